"""Errors the vault raises, each with a message a person can act on."""


class VaultError(Exception):
    """Base class: the message is meant to be shown to the user as it is."""


class BinderMissing(VaultError):
    """There is no binder in the data dir."""


class BinderExists(VaultError):
    """A binder is already there; creating another would lose it."""


class WrongPassphrase(VaultError):
    """The recovery passphrase does not open this binder."""


class BinderInUse(VaultError):
    """Another CareBinder window or command has this binder open."""


class BinderDamaged(VaultError):
    """The binder's files cannot be read as they should."""


class NewerBinder(VaultError):
    """The binder was written by a newer CareBinder than this one."""


class StorageError(VaultError):
    """Writing to the data dir failed (full disk, no permission, removed drive)."""
