"""Errors of the records layer; messages are for people."""


class RecordsError(Exception):
    """Base class: the message can be shown as it is."""


class NotFound(RecordsError):
    """No record answers to that id or name."""


class Ambiguous(RecordsError):
    """A name matches more than one record."""


class InvalidValue(RecordsError):
    """A value the user gave cannot be saved as it is."""
