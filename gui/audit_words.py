"""How the audit chain's health and its events read for a supervisor: the start-up warning and
the audit view say the same, in words (the codes stay in the details)."""

from __future__ import annotations

from db.labels import ACTIONS, ENTITIES, day_text, label
from db.types import AuditRow, VerifyResult
from printing.text import fmt_int
from resources.i18n import N_, _

#: db/audit.py's reasons for a broken chain, as a sentence.
BROKEN_REASONS = {
    "altered": N_("an event was changed after it was written"),
    "missing": N_("an event has been deleted"),
    "out of chain": N_("an event does not follow the one before it"),
    "truncated": N_("the newest events have been removed"),
    "checkpoint": N_("the trail no longer matches the state it was last verified in"),
}


def reason_text(reason: str | None) -> str:
    return label(BROKEN_REASONS, reason) if reason else _("unknown cause")


def broken_message(result: VerifyResult) -> str:
    # Communes report to the provincial police: there are no districts since 1 July 2025.
    return _(
        "The audit trail has been changed outside the program: event no. {seq} does not "
        "verify ({reason}). Report it to the provincial police."
    ).format(seq=result.first_broken, reason=reason_text(result.reason))


def intact_message(result: VerifyResult) -> str:
    return _("The audit trail is intact: all {n} events verified, none changed or missing.").format(
        n=fmt_int(result.checked)
    )


def action_text(code: str) -> str:
    """An action's name as a menu or a column shows it: "Xem hồ sơ" (the code if unknown)."""
    text = label(ACTIONS, code)
    return text[:1].upper() + text[1:]


#: Settings by name (db/settings.py), for the subject of "setting changed".
SETTING_NAMES = {
    "language": N_("language"),
    "idle_lock_minutes": N_("minutes before the screen locks"),
    "lockout_attempts": N_("wrong passwords before an account locks"),
    "lockout_minutes": N_("minutes an account stays locked"),
    "min_password_length": N_("shortest password"),
    "slip_layout": N_("slip layout"),
    "fingerprint_scanner": N_("fingerprint scanner"),
    "fingerprint_folder": N_("fingerprint scanner's image folder"),
    "fingerprint_rolled": N_("rolled fingerprints"),
    "fingerprint_attempts": N_("attempts per finger"),
    "fingerprint_threshold": N_("fingerprint quality threshold"),
    "sync_warn_days": N_("days without a receipt before the sign-in warns"),
    "prune_images_days": N_("days after a receipt before a laptop drops images"),
    "backup_warn_days": N_("days without a backup before the desk reminds"),
}


def subject_text(row: AuditRow) -> str:
    """What an event is about, in words: the name or slip number the core resolved for this
    reader, else what the stored id means without one (a day, a setting, an import)."""
    if row.subject:
        return row.subject
    entity, eid = row.entity, row.entity_id or ""
    if entity == "tally" and eid:
        return _("tally of {day}").format(day=day_text(eid))
    if entity == "setting" and eid:
        return _("setting: {name}").format(name=label(SETTING_NAMES, eid))
    if entity == "import_batch" and eid:
        return _("register import no. {n}").format(n=eid)
    if entity == "station":
        return _("this station")
    return label(ENTITIES, entity) if entity else ""
