"""Domain errors of the station; each says, in the officer's language, what happened and what
to do (resources/problems.py turns any of them into that sentence for the GUI and the CLI).

A raise site may give a more precise sentence than the class's own (``message``); either way
it is an ``N_()`` message id with named fields, and the fields never carry personal data.
"""

from __future__ import annotations

from resources.i18n import N_
from resources.problems import Problem


class StationError(Problem):
    """Base of every expected failure of the core."""


class StationNotFound(StationError):
    """No station has been set up in this data directory."""

    message = N_("No station has been set up on this computer yet.")


class StationExists(StationError):
    """``init`` on a data directory that already holds a station."""

    message = N_("A station already exists in this data directory.")


class KeyMissing(StationError):
    """The database key is neither in the keyring nor in a key file."""

    message = N_(
        "The station key is missing on this computer. Use the recovery sheet kept in the "
        "supervisor's safe."
    )


class WrongKey(StationError):
    """The key or passphrase does not open this station's database."""

    message = N_("The passphrase or key is not right for this station. Nothing was changed.")


class PassphraseRequired(StationError):
    """The key file needs a passphrase and none could be asked for."""

    message = N_("The station passphrase is needed to open the database.")


class NotAStationDatabase(StationError):
    """The file is not an encrypted station database (or it is damaged)."""

    message = N_("This file is not a station database, or it is damaged. Nothing was changed.")


class NewerDatabase(StationError):
    """The database was written by a newer version of the program."""

    message = N_("This station was used by a newer version of the program. Please update it.")


class RegisterFileError(StationError):
    """A register file cannot be read at all (as opposed to bad rows in it)."""

    message = N_("The register file cannot be read.")


class PermissionDenied(StationError):
    """The signed-in person's role does not allow this action."""

    message = N_("Your role does not allow this action.")


class IllegalTransition(StationError):
    """An enrollment cannot make this move from its current status (ARCHITECTURE.md)."""

    message = N_("This enrollment cannot be changed in its present state.")


class AlreadyDecided(IllegalTransition):
    """Another supervisor approved or sent back the enrollment first."""

    message = N_("Another supervisor has already decided this enrollment. Nothing was recorded.")


class EnrollmentNotFound(StationError):
    """No enrollment has this id in the station database."""

    message = N_("No enrollment has this number on this station.")


class InvalidInput(StationError, ValueError):
    """What was typed or chosen cannot be stored as it is (the sentence says why); also a
    ValueError, so code that validates values catches it like any bad value."""

    message = N_("This value cannot be stored as it is.")


class ImportCancelled(StationError):
    """The officer cancelled an import; nothing of it was kept."""

    message = N_("The import was cancelled; nothing was changed.")


class OpenEnrollmentExists(StationError):
    """The person already has an open enrollment (db/enrollment_state.py): a second one is
    started only as a redo ("làm lại hồ sơ") with a reason. Besides the sentence (status, day,
    slip number: never the person), it carries what the desk needs to offer resuming it."""

    message = N_(
        "This person already has an enrollment that is {status} (started {day}). Open it to "
        "continue, or redo the application with a reason."
    )
    uuid: str = ""  # the open enrollment
    status: str = ""  # its status code
    own_draft: bool = False  # unfinished and the caller's own: it can simply be resumed
    resident_id: int = 0
    receipt_no: str | None = None
    day: str = ""  # dd/mm/yyyy, Vietnam time
    officer_name: str | None = None  # who made it (an officer, not the person)
    station_id: str = ""


class LikelySamePerson(StationError):
    """A DC01 person looks like someone already in the register (DESIGN §6, db/sameperson.py):
    refused until the officer opens that person or confirms it is someone else. Carries the
    candidates' resident ids only (the GUI shows them through the service)."""

    message = N_(
        "The register already has someone ({count} in all) who may be this person. Open the "
        "person from the register, or confirm that this is someone else."
    )
    candidate_ids: tuple[int, ...] = ()
    same_id_number: bool = False  # a candidate has the same ID number: cannot be someone else


# --- issue 17: cards (db/cards.py); here so the GUI can tell them apart --------------------


class CardNotFound(StationError):
    """Nothing on this station answers to the slip number, ID number or code given."""

    message = N_("No approved enrollment on this station has this slip number or ID number.")


class CardNotApproved(StationError):
    message = N_("This enrollment is not approved yet, so its card cannot have arrived.")


class CardNotArrived(StationError):
    message = N_("This card has not arrived yet: record its arrival first.")


class CardAlreadyDelivered(StationError):
    message = N_("This card was already handed over on {day}.")


class AwaitingHeadquarters(StationError):
    """A laptop restored from a backup, before headquarters' next work packet (db/restore.py):
    HQ may hold slip numbers and trail events the backup does not."""

    message = N_(
        "This laptop was restored from a backup. Import headquarters' latest work packet first "
        "(Station → Field sync): then slip numbers and the trail go on from what headquarters "
        "holds, and none is issued twice. Drafts can be captured meanwhile."
    )
