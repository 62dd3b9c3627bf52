"""Why a file cannot be taken in, said so that the person who chose it understands."""


class Refused(Exception):
    """The file is not imported; `str(exc)` is the reason shown beside its name."""
