"""Domain errors the GUI and CLI turn into sentences an officer understands.

Messages never carry personal data (names, ID numbers): they may end up in logs.
"""

from __future__ import annotations


class StationError(Exception):
    """Base of every expected failure of the core."""


class StationNotFound(StationError):
    """No station has been set up in this data directory."""


class StationExists(StationError):
    """``init`` on a data directory that already holds a station."""


class KeyMissing(StationError):
    """The database key is neither in the keyring nor in a key file."""


class WrongKey(StationError):
    """The key or passphrase does not open this station's database."""


class PassphraseRequired(StationError):
    """The key file needs a passphrase and none could be asked for."""


class NotAStationDatabase(StationError):
    """The file is not an encrypted station database (or it is damaged)."""


class NewerDatabase(StationError):
    """The database was written by a newer version of the program."""


class RegisterFileError(StationError):
    """A register file cannot be read at all (as opposed to bad rows in it)."""


class PermissionDenied(StationError):
    """The signed-in person's role does not allow this action."""


class IllegalTransition(StationError):
    """An enrollment cannot make this move from its current status (DESIGN.md §5)."""


class EnrollmentNotFound(StationError):
    """No enrollment has this id in the station database."""
