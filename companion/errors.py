"""Errors the person can meet, each with one plain sentence and a distinct exit code."""

from __future__ import annotations


class CompanionError(Exception):
    """Base for every error that is shown to the person instead of a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CompanionError):
    """The command was called the wrong way."""

    exit_code = 2


class WrongPassphrase(CompanionError):
    """The passphrase does not open this vault."""

    exit_code = 3


class VaultDamaged(CompanionError):
    """The file is not a companion vault, or it is truncated, tampered with or too new."""

    exit_code = 4


class VaultBusy(CompanionError):
    """Another process has the vault open."""

    exit_code = 5


class StorageFailure(CompanionError):
    """The disk refused a read or write (permissions, full disk, missing folder)."""

    exit_code = 1
