"""How the station's codes read for a person: places, steps, statuses, exception reasons, roles,
audit actions and audit details — message ids (``N_``), translated when shown.

Why in the core: the codes are the core's (db/enrollment.py, db/permissions.py, the audit
trail), and the GUI and the command line must read them the same way. The audit trail stores
its details as short English phrases of fixed shapes (they are hashed into the chain, so they
never change); :func:`audit_details` turns each known shape into the officer's language.
"""

from __future__ import annotations

import re
from datetime import date

from capture.fingerprint.fingers import CONDITION_NAMES, FINGER_NAMES
from resources.i18n import N_, _

PLACES = {"hq": N_("Headquarters"), "mobile": N_("Mobile point"), "home": N_("Home visit")}
STEPS = {
    "details": N_("Details"),
    "portrait": N_("Portrait"),
    "fingerprints": N_("Fingerprints"),
    "review": N_("Review"),
}
STATUSES = {
    "draft": N_("draft"),
    "captured": N_("photo taken"),
    "submitted": N_("waiting for approval"),
    "approved": N_("approved"),
    "returned": N_("sent back"),
    "card_ready": N_("card ready"),
    "delivered": N_("delivered"),
    "discarded": N_("discarded"),
}
#: How a status reads in a sentence ("an enrollment that is {status}").
STATUS_NAMES = {**STATUSES, "draft": N_("a draft"), "captured": N_("captured")}
REASONS = {
    "bedridden": N_("Bedridden"), "cannot_sit": N_("Cannot sit up"),
    "missing_fingers": N_("Missing fingers"), "injured_fingers": N_("Injured fingers"),
    "faded_fingerprints": N_("Faded fingerprints"), "eye_condition": N_("Eye condition"),
    "child": N_("Child"), "injury": N_("Injury"),
    "head_covering": N_("Religious head covering"), "other": N_("Other"),
}  # fmt: skip
SUBJECTS = {
    "portrait": N_("portrait"),
    "fingerprints": N_("fingerprints"),
    "iris": N_("iris"),
    "data": N_("personal data"),
}
ROLES = {"officer": N_("officer"), "supervisor": N_("supervisor"), "admin": N_("administrator")}

ACTIONS = {
    "signin": N_("signed in"),
    "signin.failed": N_("sign-in failed"),
    "signin.refused": N_("sign-in refused"),
    "signout": N_("signed out"),
    "unlock": N_("screen unlocked"),
    "unlock.failed": N_("unlock failed"),
    "unlock.refused": N_("unlock refused"),
    "account.locked": N_("account locked"),
    "screen.lock": N_("screen locked"),
    "user.switch": N_("supervisor took over"),
    "user.switch.refused": N_("take-over refused"),
    "password.change": N_("password changed"),
    "password.change.failed": N_("password change failed"),
    "officer.create": N_("account created"),
    "officer.enable": N_("account enabled"),
    "officer.disable": N_("account disabled"),
    "officer.reset_password": N_("password reset"),
    "officer.list": N_("accounts listed"),
    "resident.search": N_("register searched"),
    "resident.view": N_("resident viewed"),
    "resident.add": N_("person added (DC01)"),
    "enrollment.create": N_("enrollment started"),
    "enrollment.save": N_("step saved"),
    "enrollment.portrait": N_("portrait saved"),
    "enrollment.override": N_("exception recorded"),
    "enrollment.discard": N_("enrollment discarded"),
    "enrollment.submit": N_("enrollment received"),
    "enrollment.correct": N_("correction started"),
    "enrollment.approve": N_("enrollment approved"),
    "enrollment.send_back": N_("enrollment sent back"),
    "enrollment.take_over": N_("enrollment taken over"),
    "enrollment.view": N_("enrollment viewed"),
    "enrollment.list": N_("enrollments listed"),
    "portrait.view": N_("portrait viewed"),
    "tally.view": N_("tally viewed"),
    "slip.print": N_("slip printed"),
    "pdf.save": N_("saved as a PDF file"),
    "register.import": N_("register imported"),
    "audit.show": N_("audit trail viewed"),
    "audit.verify": N_("audit trail verified"),
    "settings.change": N_("setting changed"),
    "station.init": N_("station set up"),
    "recovery_sheet.print": N_("recovery sheet printed"),
    "recovery_sheet.save": N_("recovery sheet saved"),
    "officer.unlock": N_("account unlocked"),
}
ENTITIES = {
    "officer": N_("officer"),
    "enrollment": N_("enrollment"),
    "resident": N_("resident"),
    "station": N_("station"),
    "setting": N_("setting"),
    "import_batch": N_("import"),
    "tally": N_("tally"),
    "slip": N_("slip"),
}

_CODES = {**STEPS, **PLACES, **REASONS, **SUBJECTS, **ROLES}
# The shapes the core writes (db/service.py, db/accounts.py, db/enrollment.py, ...), each with
# its sentence; {code} fields are codes translated through the tables above.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"(?P<words>\d+) words, (?P<results>\d+) results(?P<more>\+?)",
         N_("{words} words, {results}{more} results")),
        (r"(?P<words>\d+) words, village, (?P<results>\d+) results(?P<more>\+?)",
         N_("{words} words and a village, {results}{more} results")),
        (r"(?P<n>\d+) unfinished", N_("{n} unfinished")),
        (r"today, (?P<n>\d+) received", N_("today, {n} received")),
        (r"review, (?P<n>\d+) waiting", N_("{n} waiting for approval")),
        (r"(?P<day>\d{4}-\d\d-\d\d), (?P<n>\d+) rows", N_("{day}, {n} enrollments")),
        (r"(?P<n>\d+) accounts", N_("{n} accounts")),
        (r"(?P<n>\d+) events", N_("{n} events")),
        (r"ok", N_("intact")),
        (r"broken at #(?P<seq>\d+)", N_("broken at event #{seq}")),
        (r"wrong password \((?P<n>\d+)\)", N_("wrong password ({n})")),
        (r"wrong current password", N_("wrong current password")),
        (r"account locked", N_("account locked")),
        (r"unknown or disabled account", N_("unknown or disabled account")),
        (r"unknown user name", N_("unknown user name")),
        (r"disabled account", N_("disabled account")),
        (r"(?P<n>\d+) min", N_("{n} minutes")),
        (r"first administrator", N_("first administrator")),
        (r"role (?P<role>\w+)", N_("role: {role}")),
        (r"with exception", N_("with an exception")),
        (r"self-approved \(only supervisor\)",
         N_("approved by the supervisor who captured it (the only supervisor)")),
        (r"with exception, self-approved \(only supervisor\)",
         N_("with an exception; approved by the supervisor who captured it (the only "
            "supervisor)")),
        (r"from officer #(?P<id>\d+)", N_("from officer #{id}")),
        (r"unassigned", N_("unassigned")),
        (r"note of (?P<n>\d+) characters", N_("note of {n} characters")),
        (r"corrects (?P<uuid>[0-9a-f-]+)", N_("corrects {uuid}")),
        (r"resident #(?P<id>\d+), (?P<place>\w+)", N_("resident #{id}, {place}")),
        (r"attempts (?P<n>\d+)", N_("{n} attempts")),
        (r"attempts (?P<n>\d+), override (?P<reason>\w+)", N_("{n} attempts, exception: {reason}")),
        (r"(?P<subject>portrait|fingerprints|iris|data): (?P<reason>\w+)",
         N_("{subject}: {reason}")),
        (r"(?P<rows>\d+) rows: (?P<added>\d+) added, (?P<updated>\d+) updated, "
         r"(?P<rejected>\d+) rejected",
         N_("{rows} rows: {added} added, {updated} updated, {rejected} rejected")),
        (r"(?P<step>details|portrait|fingerprints|review)", N_("step: {step}")),
        (r"resume", N_("resumed")),
        (r"DC01", N_("form DC01")),
        (r"(?P<old>[^ ]*) -> (?P<new>[^ ]*)", N_("{old} → {new}")),
    )
)  # fmt: skip


#: Details whose meaning depends on the action ("review" on a view is not the wizard's step).
_ACTION_DETAILS: dict[tuple[str | None, str], str] = {
    ("enrollment.view", "review"): N_("opened in the day review"),
    ("enrollment.view", "resume"): N_("reopened to continue"),
}
#: Shapes whose ids the audit view names already (its subject column): said without them.
_ACTION_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "enrollment.create": (re.compile(r"resident #\d+, (?P<place>\w+)"), N_("place: {place}")),
    "enrollment.correct": (re.compile(r"corrects [0-9a-f-]+"),
                           N_("correcting an enrollment that was sent back")),
}
_PERIOD = re.compile(r"(?P<first>\d{4}-\d\d-\d\d)\.\.(?P<last>\d{4}-\d\d-\d\d)")
_ISO_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def day_text(iso: str) -> str:
    """A stored ISO day (2026-03-12) as people write it (12/03/2026)."""
    m = _ISO_DAY.fullmatch(iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def label(table: dict[str, str], code: str | None) -> str:
    """The translated label of ``code`` in ``table``; an unknown code is shown as it is."""
    if not code:
        return ""
    return _(table[code]) if code in table else code


def _field(key: str, value: str | None) -> str:
    """One field of an audit detail in words (codes through their tables, days as written)."""
    if key in ("role", "place", "reason", "subject", "step"):
        return label(_CODES, value)
    if key in _KEYED:
        return label(_KEYED[key], value)
    if key == "fingers":
        return ", ".join(label(FINGERS, f) for f in (value or "").split(","))
    return day_text(value or "") if key == "day" else (value or "")


def audit_details(details: str | None, action: str | None = None) -> str:
    """An audit event's details in the current language (unknown shapes are shown as stored:
    slip numbers, ids); ``action`` reads the details that depend on it."""
    if not details:
        return ""
    if (action, details) in _ACTION_DETAILS:
        return _(_ACTION_DETAILS[(action, details)])
    if action in _ACTION_SHAPES and (m := _ACTION_SHAPES[action][0].fullmatch(details)):
        fields = {k: label(_CODES, v) for k, v in m.groupdict().items()}
        return _(_ACTION_SHAPES[action][1]).format(**fields)
    if m := _PERIOD.fullmatch(details):  # a tally's days
        first, last = day_text(m["first"]), day_text(m["last"])
        return first if first == last else f"{first} – {last}"
    for pattern, template in _DETAILS:
        m = pattern.fullmatch(details)
        if m:
            fields = {k: _field(k, v) for k, v in m.groupdict().items()}
            return _(template).format(**fields)
    return details


# --- issue 11: "làm lại hồ sơ", DC01 checks, where a person's enrollment stands -------------

#: Why a second enrollment of a person was started (db/enrollment_state.REDO_REASONS).
REDO_REASONS = {
    "lost_card": N_("Lost card"),
    "damaged_card": N_("Damaged card"),
    "data_correction": N_("Data correction"),
    "other": N_("Other"),
}
ACTIONS.update({"enrollment.redo": N_("application redone (second enrollment)")})
_CODES.update(REDO_REASONS)
_DETAILS += tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"redo (?P<reason>\w+) beside (?P<uuid>[0-9a-f-]+)",
         N_("{reason}; the person's open enrollment: {uuid}")),
        (r"redo (?P<reason>\w+)", N_("reason: {reason}")),
        (r"DC01 check, (?P<n>\d+) candidates",
         N_("form DC01 checked against the register: {n} possible matches")),
        (r"DC01, confirmed not (?P<ids>#\d+(?: #\d+)*)",
         N_("form DC01; the officer confirmed it is not the same person as resident {ids}")),
    )
)  # fmt: skip
_STATE_TEXTS = {
    "draft": N_("unfinished (draft), started {day}"),
    "captured": N_("unfinished (photo taken), started {day}"),
    "submitted": N_("received {day}, waiting for approval"),
    "approved": N_("received {day}, approved"),
    "returned": N_("received {day}, sent back"),
    "card_ready": N_("card ready to hand over (received {day})"),
    "delivered": N_("card delivered (received {day})"),
    "discarded": N_("discarded ({day})"),
}


#: The same, short, for a column of the lookup's results (the full sentence is its tooltip).
_STATE_SHORT = {
    "draft": N_("unfinished since {day}"),
    "captured": N_("unfinished since {day}"),
    "submitted": N_("waiting for approval ({day})"),
    "approved": N_("approved ({day})"),
    "returned": N_("sent back ({day})"),
    "card_ready": N_("card ready ({day})"),
    "delivered": N_("card delivered ({day})"),
    "discarded": N_("discarded ({day})"),
}


def short_day(day: date, today: date | None = None) -> str:
    """01/12 within the current year, 01/12/2025 otherwise."""
    from db.vntime import today_local

    this_year = (today or today_local()).year
    return day.strftime("%d/%m" if day.year == this_year else "%d/%m/%Y")


def enrollment_state_text(status: str, day: date, today: date | None = None, *,
                          short: bool = False) -> str:  # fmt: skip
    """Where an enrollment stands, in the current language ("đã thu nhận 01/12, chờ duyệt";
    ``short``: "chờ duyệt (01/12)")."""
    template = (_STATE_SHORT if short else _STATE_TEXTS).get(status)
    if template is None:
        return status
    return _(template).format(day=short_day(day, today))


#: The details step's fields (db/corrections.FIELDS), as the form and the day review name them.
FIELD_LABELS = {
    "full_name": N_("Full name"),
    "birth": N_("Date of birth"),
    "sex": N_("Sex"),
    "personal_id": N_("Personal ID number"),
    "old_id": N_("Old ID (CMND)"),
    "ethnicity": N_("Ethnicity"),
    "religion": N_("Religion"),
    "hometown": N_("Hometown"),
    "village": N_("Village"),
    "household_no": N_("Household no."),
    "phone": N_("Phone"),
}


#: Form DC01's fields beyond the register's columns (db/corrections.DC01_FIELDS).
DC01_LABELS = {
    "birth_registration_place": N_("Place of birth registration"),
    "permanent_residence": N_("Permanent residence"),
    "current_residence": N_("Current residence"),
    "father_name": N_("Father's full name"),
    "father_id": N_("Father's ID number"),
    "mother_name": N_("Mother's full name"),
    "mother_id": N_("Mother's ID number"),
    "spouse_name": N_("Spouse's full name"),
    "spouse_id": N_("Spouse's ID number"),
}


# --- issue 13: fingerprints -------------------------------------------------------------------

#: Finger positions "1"–"10" (capture/fingerprint/fingers.py), their conditions, impressions.
FINGERS = {str(k): v for k, v in FINGER_NAMES.items()}
FINGER_CONDITIONS = dict(CONDITION_NAMES)
IMPRESSIONS = {"flat": N_("flat"), "slap": N_("flat (from a slap)"), "rolled": N_("rolled")}
REASONS["cannot_place_fingers"] = N_("Fingers cannot be placed")
_CODES.update(REASONS)
_KEYED: dict[str, dict[str, str]] = {
    "finger": FINGERS, "impression": IMPRESSIONS, "condition": FINGER_CONDITIONS,
}
ACTIONS.update({
    "enrollment.finger": N_("fingerprint saved"),
    "enrollment.finger_condition": N_("finger condition recorded"),
    "enrollment.finger_clear": N_("fingerprint removed to be taken again"),
    "fingerprint.view": N_("fingerprints viewed"),
})
_DETAILS += tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"finger (?P<finger>\d+) (?P<impression>\w+), score (?P<score>\d+), "
         r"attempts (?P<n>\d+)",
         N_("{finger}, {impression}: score {score}, {n} attempts")),
        (r"fingers (?P<fingers>[\d,]+) (?P<impression>\w+): (?P<condition>\w+)",
         N_("{fingers} ({impression}): {condition}")),
        (r"finger (?P<finger>\d+) (?P<impression>\w+)", N_("{finger}, {impression}")),
        (r"(?P<n>\d+) prints", N_("{n} prints")),
    )
)  # fmt: skip


# --- issue 12: field sync ----------------------------------------------------------------------

ACTIONS.update({
    "station.pair": N_("station paired"),
    "station.unpair": N_("station unpaired"),
    "station.identity": N_("station identity file written"),
    "sync.export_bundle": N_("return bundle written for headquarters"),
    "sync.export_packet": N_("work packet written for a laptop"),
    "sync.import_bundle": N_("laptop's bundle imported"),
    "sync.import_packet": N_("work packet applied"),
    "sync.import_receipt": N_("receipt from headquarters applied"),
    "sync.receipt": N_("receipt written for a laptop"),
    "sync.cases_view": N_("sync cases viewed"),
    "sync.case_resolve": N_("sync case resolved"),
})
ENTITIES["sync_case"] = N_("sync case")
STATION_KINDS = {"hq": N_("headquarters"), "mobile": N_("mobile laptop"),
                 "hub": N_("district hub")}
_KEYED["kind"] = STATION_KINDS
_DETAILS += tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"(?P<kind>hq|mobile|hub), series (?P<code>[A-Z0-9]+)",
         N_("{kind}, slip series {code}")),
        (r"(?P<e>\d+) enrollments, (?P<r>\d+) residents, (?P<a>\d+) audit events",
         N_("{e} enrollments, {r} residents, {a} audit events")),
        (r"added (?P<a>\d+), unchanged (?P<u>\d+), conflicts (?P<c>\d+)",
         N_("added {a}, unchanged {u}, conflicts {c}")),
        (r"(?P<n>\d+) cases", N_("{n} cases")),
    )
)  # fmt: skip

# --- issue 12: training stations (db/training.py) ------------------------------------------

ACTIONS["training.seed"] = N_("training station filled with synthetic people")
_DETAILS += (
    (re.compile(r"(?P<r>\d+) residents, (?P<e>\d+) enrollments"),
     N_("{r} residents, {e} enrollments")),
)  # fmt: skip


# --- issue 14: the campaign --------------------------------------------------------------------

ACTIONS.update({
    "coverage.view": N_("coverage viewed"),
})
ENTITIES["coverage"] = N_("coverage")

# --- issue 14: card renewals (db/renewals.py) ----------------------------------------------

ACTIONS["renewals.view"] = N_("card renewal list viewed")

# --- issue 14: home visits (db/visits.py) --------------------------------------------------

VISIT_REASONS = {
    "none": N_("No home visit needed"),
    "elderly": N_("Elderly"),
    "bedridden": N_("Bedridden"),
    "disabled": N_("Disabled"),
    "postpartum": N_("Postpartum"),
    "no_transport": N_("No transport"),
    "other": N_("Other"),
}
VISIT_MODES = {"fetch": N_("Fetch to the office"), "home": N_("Enroll at home")}
VISIT_OUTCOMES = {
    "enrolled_home": N_("Enrolled at home"),
    "brought": N_("Brought to the office"),
    "refused": N_("Refused"),
    "deceased": N_("Deceased"),
    "moved_away": N_("Moved away"),
    "not_found": N_("Not found"),
    "rescheduled": N_("Rescheduled"),
    "cancelled": N_("Cancelled"),
}
ACTIONS.update({
    "visit.flag": N_("resident marked for a home visit"),
    "visit.plan": N_("home visits planned"),
    "visit.outcome": N_("home visit outcome recorded"),
    "visit.list": N_("home visit list viewed"),
    "visit.print": N_("home visit list printed"),
})
ENTITIES["home_visit"] = N_("home visit")
_KEYED["outcome"] = VISIT_OUTCOMES
_CODES.update({k: v for k, v in VISIT_REASONS.items() if k not in _CODES})
_DETAILS += (
    (re.compile(r"(?P<day>\d{4}-\d\d-\d\d), (?P<n>\d+) residents"),
     N_("{day}, {n} residents")),
    (re.compile(r"(?P<n>\d+) candidates"), N_("{n} people who need a visit")),
    (re.compile(r"visit reason (?P<reason>\w+)"), N_("reason: {reason}")),
    (re.compile(r"outcome (?P<outcome>\w+)"), N_("outcome: {outcome}")),
)  # fmt: skip
# --- issue 14: register quality (db/quality.py) --------------------------------------------

ACTIONS.update({
    "register.quality": N_("register quality report viewed"),
    "register.same_person": N_("two records joined as one person"),
    "register.mark": N_("resident marked"),
    "register.not_same": N_("two records confirmed as different people"),
    "register.correct": N_("register record corrected"),
})
#: The report's kinds of likely duplicates and of single-record defects.
QUALITY_KINDS = {
    "same_id": N_("The same ID number twice"),
    "two_ids": N_("One person under two ID numbers"),
    "no_id": N_("The same person, without an ID number"),
    "variant": N_("Perhaps the same person (spelling variant in one household)"),
    "missing_id": N_("No ID number (aged 14 or over)"),
    "id_mismatch": N_("ID number disagrees with birth year or sex"),
    "missing_fields": N_("Name, birth or sex missing"),
    "no_village": N_("No village"),
    "implausible_age": N_("Over 110 years old (probably deceased)"),
}
LIFE_STATUSES = {"none": N_("counted"), "deceased": N_("deceased"),
                 "moved_away": N_("moved away"), "duplicate": N_("duplicate record")}
_KEYED["life"] = LIFE_STATUSES
_KEYED["field"] = FIELD_LABELS
_DETAILS += tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"duplicate #(?P<id>\d+)", N_("duplicate: resident #{id}")),
        (r"not #(?P<id>\d+)", N_("not the same person as resident #{id}")),
        (r"(?P<life>none|deceased|moved_away|duplicate) to "
         r"(?P<life2>none|deceased|moved_away|duplicate)", N_("{life} → {life2}")),
        (r"field (?P<field>\w+)", N_("field: {field}")),
        (r"(?P<g>\d+) groups, (?P<n>\d+) findings", N_("{g} groups, {n} findings")),
    )
)  # fmt: skip
_KEYED["life2"] = LIFE_STATUSES

# --- issue 14: the lists behind the coverage numbers (db/coverage_lists.py) -----------------

ACTIONS["coverage.list"] = N_("coverage list viewed")
ENTITIES["renewals"] = N_("card renewal list")

# --- issue 17: cards that come back and go out (db/cards.py) -------------------------------

#: How a card was handed over.
CARD_PLACES = {"hq": N_("At the office"), "home": N_("At home"), "post": N_("By post")}
ACTIONS.update({
    "card.view": N_("card opened for handover"),
    "card.arrived": N_("card arrived from the province"),
    "card.delivered": N_("card handed over"),
    "card.list": N_("list of cards waiting viewed"),
    "card.print": N_("card list printed"),
})
_KEYED["handover"] = CARD_PLACES
_DETAILS += (
    (re.compile(r"handed over (?P<handover>hq|home|post)"), N_("handed over: {handover}")),
    (re.compile(r"(?P<n>\d+) cards"), N_("{n} cards")),
)  # fmt: skip
VISIT_MODES["deliver"] = N_("Take the card home")
VISIT_OUTCOMES["card_delivered"] = N_("Card handed over at home")
#: What may come of a visit of each mode (db/visits.py checks it; the outcome dialog offers it):
#: a card is handed over only on a delivery visit, where nobody is enrolled.
VISIT_MODE_OUTCOMES = {
    mode: tuple(o for o in VISIT_OUTCOMES
                if (o == "card_delivered") == (mode == "deliver")
                or o not in ("card_delivered", "enrolled_home", "brought"))
    for mode in VISIT_MODES
}

# --- issue 17: the information sheet the citizen checks and signs (db/info_sheet.py) --------

ACTIONS["info_sheet.print"] = N_("information sheet printed")
_DETAILS += ((re.compile(r"paper (?P<paper>A[45])"), N_("paper {paper}")),)

# --- issue 15: the district hub (db/hub/) ----------------------------------------------------

ACTIONS.update({
    "hub.search": N_("district register searched"),
    "hub.tally": N_("district tally viewed"),
    "hub.coverage": N_("district coverage viewed"),
    "hub.duplicates": N_("cross-commune duplicates viewed"),
    "sync.upload": N_("bundle sent to the district hub over the network"),
})
_DETAILS += (
    (re.compile(r"(?P<n>\d+) communes"), N_("{n} communes")),
    (re.compile(r"(?P<n>\d+) found"), N_("{n} found")),
    (re.compile(r"tries (?P<n>\d+)"), N_("tries {n}")),
    (re.compile(r"refused by the hub: (?P<code>[a-z_]+)"), N_("refused by the hub: {code}")),
)  # fmt: skip

# --- issue 16: backups and restore (db/backup.py, db/restore.py) ----------------------------

ACTIONS.update({
    "station.backup": N_("station backed up"),
    "station.restore_prepared": N_("backup checked before a restore"),
    "station.restore": N_("station restored from a backup"),
    "station.key_recovered": N_("station key stored again from the recovery sheet"),
})
_DETAILS += (
    (re.compile(r"(?P<e>\d+) enrollments, (?P<b>\d+) bytes"),
     N_("enrollments: {e}; file size: {b} bytes")),
    (re.compile(r"backup of (?P<at>[0-9T:-]+), (?P<e>\d+) enrollments"),
     N_("backup of {at} UTC; enrollments: {e}")),
    (re.compile(r"backup of (?P<at>[0-9T:-]+)"), N_("backup of {at} UTC")),
)  # fmt: skip

def backup_lines(counts: dict[str, int]) -> list[str]:
    """The counts of a backup shown before restoring it (db/backup_file.SHOWN), a line each:
    ``["3.000 people in the register", …]`` (Vietnamese groups thousands with dots)."""
    from resources.i18n import language, ngettext

    sep = "." if language() == "vi" else ","

    def n(key: str) -> tuple[int, str]:
        value = counts.get(key, 0)
        return value, f"{value:,}".replace(",", sep)

    (r, rs), (e, es), (o, os_), (a, as_) = (n(k) for k in ("resident", "enrollment", "officer",
                                                          "audit_event"))  # fmt: skip
    return [
        ngettext("{count} person in the register", "{count} people in the register", r)
        .format(count=rs),
        ngettext("{count} enrollment", "{count} enrollments", e).format(count=es),
        ngettext("{count} account", "{count} accounts", o).format(count=os_),
        ngettext("{count} audit trail event", "{count} audit trail events", a).format(count=as_),
    ]
_ACTION_DETAILS.update({
    ("station.key_recovered", "keyring"): N_("kept in the computer's keyring"),
    ("station.key_recovered", "keyfile"): N_("kept in a key file under a new passphrase"),
})
