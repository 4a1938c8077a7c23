"""Why a bundle, work packet or receipt was refused: a stable code (for ``--json`` and other
tools) and a sentence in the officer's language that says what to do. A refusal applies
nothing."""

from __future__ import annotations

from db.errors import StationError
from resources.i18n import N_

REASONS: dict[str, str] = {
    "not_a_bundle": N_("This file is not a sync file of the enrollment station."),
    "unreadable": N_("The file cannot be read: check the USB drive and try again."),
    "newer_version": N_("This file was made by a newer version of the program: update this "
                        "station first, then import it again."),
    "truncated": N_("The file is incomplete (the drive may have been pulled out while it was "
                    "written): export it again on the other station."),
    "damaged": N_("The file was damaged or changed after it was made: export it again on the "
                  "other station. Nothing was applied."),
    "bad_signature": N_("The file is not signed by the station it names: it was not made by "
                        "that station. Nothing was applied; tell the supervisor."),
    "unknown_sender": N_("The file comes from a station this one is not paired with: pair the "
                         "two stations first (Trạm → Ghép trạm)."),
    "unpaired": N_("The file comes from a station that was unpaired: its files are refused. "
                   "Pair it again if it is trusted."),
    "wrong_recipient": N_("The file was made for another station: bring the file made for "
                          "this one."),
    "training_mismatch": N_("A training station and a real station never exchange files: "
                            "nothing was applied."),
    "wrong_kind": N_("This file cannot be applied on this station (a return bundle goes to "
                     "headquarters, a work packet and a receipt to the laptop)."),
    "replay": N_("This file was already imported: nothing changed."),
    "chain_gap": N_("The laptop's audit trail in this file does not continue what "
                    "headquarters holds (events are missing): nothing was applied; tell the "
                    "supervisor."),
    "chain_fork": N_("The laptop's audit trail was rewritten since its last file: nothing was "
                     "applied; tell the supervisor."),
    "chain_altered": N_("An event of the laptop's audit trail was changed: nothing was "
                        "applied; tell the supervisor."),
    "foreign_record": N_("The file holds records of another station: nothing was applied; "
                         "tell the supervisor."),
    "write_failed": N_("The file written could not be read back intact: the drive may be "
                       "failing. Try another drive."),
    "not_paired": N_("This station is not paired with headquarters yet (Trạm → Ghép trạm)."),
    "no_such_station": N_("No paired laptop has this station id: see “sync status”."),
}


class Refused(StationError):
    """A sync file refused; ``code`` is one of :data:`REASONS` (its message id)."""

    message = REASONS["damaged"]
    code = "damaged"

    @classmethod
    def because(cls, code: str) -> Refused:
        """The refusal for ``code``, with that reason's sentence."""
        refused = cls(REASONS[code])
        refused.code = code
        return refused
