"""The plain data the station service hands out: what the GUI, the CLI and the printing code
see of the database. Frozen dataclasses without a Session, so a widget can keep one for as long
as it likes and a worker thread can pass it to the GUI thread.

Kept apart from the modules that fill them so that ``gui/`` can import the types without the
queries (ARCHITECTURE.md: gui imports only db.service, db.access, db.types, db.errors).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.actor import Actor


def age_on(birth_date: date | None, birth_year: int | None, on: date) -> int | None:
    """Age on ``on``; a year-only birth counts the age reached during that year."""
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if birth_year is not None:
        return on.year - birth_year
    return None


def birth_text(birth_date: date | None, birth_year: int | None) -> str:
    """dd/mm/yyyy, or the year alone when only the year is known (common for elderly)."""
    if birth_date:
        return birth_date.strftime("%d/%m/%Y")
    return str(birth_year) if birth_year else ""


@dataclass(frozen=True)
class StationInfo:
    id: str
    name: str
    commune: str
    province: str | None
    kind: str
    slip_layout: str
    training: bool = False  # TRẠM TẬP HUẤN: synthetic people, says so on screens and slips


@dataclass(frozen=True, slots=True)
class Settings:
    """All station settings, resolved (stored value or default)."""

    lockout_attempts: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5
    min_password_length: int = 8
    slip_layout: str = "a5"
    language: str = "vi"
    fingerprint_scanner: str = "auto"  # auto | sbi | folder | simulator
    fingerprint_folder: str = ""  # the scanner tool's image folder (the folder backend)
    fingerprint_rolled: str = "no"  # yes: ten rolled prints after the flat ones
    fingerprint_attempts: int = 3  # per finger, keeping the best (MOSIP: 3)
    fingerprint_threshold: int = 40  # our score a print must reach (MOSIP: 40 for slaps)
    sync_warn_days: int = 7  # warn at sign-in when the last receipt is older (field sync)
    prune_images_days: int = 0  # drop images acknowledged this long ago (0: never)
    backup_warn_days: int = 3  # remind on the desk when the last backup is older


@dataclass(frozen=True)
class ResidentSummary:
    """What every list of people shows: enough to tell namesakes apart."""

    id: int
    uuid: str
    full_name: str
    personal_id: str | None
    old_id: str | None
    birth_year: int | None
    birth_date: date | None
    sex: str | None
    ethnicity: str | None
    village: str | None
    household_no: str | None
    relation_to_head: str | None
    home_visit_reason: str
    review_flags: str | None

    @property
    def birth_display(self) -> str:
        """dd/mm/yyyy, or the year alone when only the year is known (common for elderly)."""
        return birth_text(self.birth_date, self.birth_year)


@dataclass(frozen=True, kw_only=True)
class ResidentDetail(ResidentSummary):
    """The whole register record, for the detail panel and the wizard."""

    religion: str | None
    hometown: str | None
    commune: str | None
    residence_type: str | None
    phone: str | None
    extra: dict[str, str] = field(default_factory=dict)  # DC01 fields (corrections.DC01_FIELDS)
    enrollment_state: EnrollmentState | None = None  # where their enrollment stands
    home_visit_note: str | None = None  # what the officer who marked the visit wrote


@dataclass(frozen=True, kw_only=True)
class ResidentHit(ResidentSummary):
    """A search result; widgets get this, never a Session."""

    rank: int
    enrollment_state: EnrollmentState | None = None  # where their enrollment stands

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = (
            self.birth_date.isoformat() if self.birth_date else (str(self.birth_year or "") or None)
        )
        state = self.enrollment_state
        data["enrollment_state"] = state.to_json() if state else None
        return data


@dataclass(frozen=True)
class SearchResult:
    hits: list[ResidentHit]
    more: bool  # more people matched than were ranked: refine the query


@dataclass(frozen=True, slots=True)
class PortraitInfo:
    width: int
    height: int
    attempts: int
    bedridden: bool
    quality: dict[str, Any]
    exception_reason: str | None


@dataclass(frozen=True, slots=True)
class FingerprintInfo:
    """One finger as one impression (no image bytes): its score or the condition instead."""

    finger: int  # 1-10 (capture/fingerprint/fingers.py)
    impression: str  # flat | slap | rolled
    quality: int | None
    device_score: int | None
    attempts: int
    attempt_scores: tuple[int, ...]
    condition: str | None  # capture.fingerprint.fingers.Condition
    note: str | None
    image_format: str | None  # wsq | png; None: no image (a condition)

    @property
    def taken(self) -> bool:
        return self.image_format is not None

    @property
    def key(self) -> tuple[int, str]:
        return self.finger, self.impression


@dataclass(frozen=True, slots=True)
class NewPrint:
    """A print to keep (db/fingerprints.record_prints): the best attempt of one finger."""

    finger: int
    impression: str  # flat | slap | rolled
    image: bytes
    image_format: str  # wsq | png
    quality: int  # our score 0-100
    device_score: int | None = None
    attempts: int = 1
    attempt_scores: tuple[int, ...] = ()
    device: str | None = None


@dataclass(frozen=True, slots=True)
class EnrollmentInfo:
    """Everything the wizard, the review screen and the slip need (no photo bytes)."""

    uuid: str
    resident_id: int
    resident_name: str
    officer_id: int | None
    officer_name: str | None
    place: str
    status: str
    step: str | None
    draft: dict[str, Any]
    receipt_no: str | None
    appointment_date: date | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    exceptions: tuple[dict[str, Any], ...]
    reviewed_at: datetime | None
    review_note: str | None
    corrects_uuid: str | None
    portrait: PortraitInfo | None
    redo_reason: str | None = None  # "làm lại hồ sơ" (db/enrollment_state.REDO_REASONS)
    redo_note: str | None = None
    redo_of: str | None = None  # uuid of the open enrollment it was started beside
    fingerprints: tuple[FingerprintInfo, ...] = ()

    @property
    def needs_exception_review(self) -> bool:
        return bool(self.exceptions)


@dataclass(frozen=True, slots=True)
class DraftSummary:
    """One line of the "unfinished enrollments" list."""

    uuid: str
    resident_id: int
    resident_name: str
    officer_name: str | None
    place: str
    status: str
    step: str | None
    updated_at: datetime
    # where the enrollment really stands, from what is stored (db.enrollment.draft_stage):
    # "details" until a portrait is kept, then "portrait"
    stage: str = "details"
    birth_date: date | None = None
    birth_year: int | None = None
    village: str | None = None

    @property
    def birth_display(self) -> str:
        """dd/mm/yyyy, or the year alone when only the year is known."""
        return birth_text(self.birth_date, self.birth_year)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One enrollment waiting for the supervisor (a line of the day-review list)."""

    uuid: str
    receipt_no: str | None
    resident_name: str
    officer_name: str | None
    place: str
    submitted_at: datetime | None
    exceptions: tuple[dict[str, Any], ...]
    is_correction: bool
    redo_reason: str | None = None  # "làm lại hồ sơ": why a second enrollment was allowed
    redo_note: str | None = None
    possible_duplicate: bool = False  # another open enrollment of the same person exists
    new_person: bool = False  # added at the desk (form DC01), not imported from the register
    corrections: tuple[tuple[str, str, str], ...] = ()  # (field, register value, corrected)
    checks: tuple[QualityCheck, ...] = ()  # the portrait's quality checks, in their order
    bedridden: bool = False  # the portrait was taken lying down
    rotation: int = 0  # degrees the portrait was turned upright
    returned_note: str | None = None  # a correction: what the supervisor asked to fix

    @property
    def kind(self) -> str:
        """ "exception", "correction" or "normal": what the supervisor looks at first."""
        if self.exceptions:
            return "exception"
        return "correction" if self.is_correction else "normal"


@dataclass(frozen=True, slots=True)
class DayEnrollment:
    """One line of a day's list (CLI ``enrollments``, the supervisor's day review)."""

    uuid: str
    receipt_no: str | None
    resident_name: str
    personal_id: str | None
    village: str | None
    officer_name: str | None
    place: str
    status: str
    submitted_at: datetime | None
    has_exception: bool
    # a returned enrollment (the desk's list): the supervisor's note, and its correction if one
    # was started (uuid and status), so the officer sees why and corrects it once
    review_note: str | None = None
    correction_uuid: str | None = None
    correction_status: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "slip_no": self.receipt_no,
            "resident": self.resident_name,
            "personal_id": self.personal_id,
            "village": self.village,
            "officer": self.officer_name,
            "place": self.place,
            "status": self.status,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "exception": self.has_exception,
        }


@dataclass(frozen=True, slots=True)
class OfficerInfo:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SignIn:
    actor: Actor
    must_change_password: bool


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int  # events whose hash was recomputed
    total: int  # events in the table
    first_broken: int | None  # seq of the first event that is missing or does not verify
    reason: str | None  # "altered" | "missing" | "out of chain" | "truncated" | "checkpoint"
    partial: bool = False  # the start-up check's sample, not the whole chain


@dataclass(frozen=True, slots=True)
class AuditRow:
    seq: int
    at: datetime
    officer: str  # user name, or "system"
    station_id: str
    action: str
    entity: str | None
    entity_id: str | None
    details: str | None
    officer_name: str = ""  # full name (resolved when listed, never stored in the event)
    subject: str = ""  # a slip number, a resident's or an officer's name (resolved likewise)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["at"] = self.at.isoformat()
        for shown in ("officer_name", "subject"):  # display only: an export keeps ids
            d.pop(shown)
        return d

    def action_text(self) -> str:
        """What happened, in the current language (the code stays in ``action``)."""
        from db.labels import ACTIONS, label

        return label(ACTIONS, self.action)

    def object_text(self, *, short: bool = False) -> str:
        """What the event is about; ``short`` cuts a uuid to its first 8 characters."""
        from db.labels import ENTITIES, label

        name, eid = label(ENTITIES, self.entity), self.entity_id or ""
        if short and len(eid) > 12:
            eid = eid[:8] + "…"
        return f"{name} #{eid}" if eid else name

    def details_text(self) -> str:
        from db.labels import audit_details

        return audit_details(self.details, self.action)


@dataclass(frozen=True)
class ImportIssue:
    """A line the import did not take as it was. ``code`` is the message id (flags: several
    joined by "; "), stable for JSON and counting; ``reason`` the English sentence; ``text()``
    the sentence in the officer's language. Fields are numbers and labels, never personal data.
    """

    line: int
    kind: str  # rejected | flagged | duplicate
    reason: str
    code: str = ""
    fields: tuple[tuple[str, str | int], ...] = ()

    @classmethod
    def of(
        cls, line: int, kind: str, code: str, fields: tuple[tuple[str, str | int], ...] = ()
    ) -> ImportIssue:
        return cls(line, kind, cls.fill(code, fields, str) if fields else code, code, fields)

    def text(self) -> str:
        """The reason in the current language."""
        from resources.i18n import _

        return self.fill(self.code or self.reason, self.fields, _)

    @staticmethod
    def fill(
        code: str, fields: tuple[tuple[str, str | int], ...], translate: Any
    ) -> str:
        """Each message id of ``code`` translated and filled; a missing field shows as …"""
        import re

        values = dict(fields)
        parts = [str(translate(part)) for part in code.split("; ")]
        return "; ".join(
            re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "…")), part)
            if "{" in part else part
            for part in parts
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """For JSON: the stable code beside the translated reason."""
        return {"line": self.line, "kind": self.kind, "code": self.code or self.reason,
                "reason": self.text()}  # fmt: skip

    def record(self) -> dict[str, Any]:
        """As kept in the import batch (English, as the audit trail)."""
        return {"line": self.line, "kind": self.kind, "reason": self.reason}


@dataclass
class ImportReport:
    """Counts of one import, and its issues: all counted, the first ``keep`` kept (a file of
    three million bad rows must not hold three million issues in memory)."""

    batch_id: int = 0
    file_name: str = ""
    encoding: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    rejected: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    issue_counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, code) → n
    keep: int = 1000

    def add_issue(self, issue: ImportIssue) -> None:
        key = (issue.kind, issue.code or issue.reason)
        self.issue_counts[key] = self.issue_counts.get(key, 0) + 1
        if len(self.issues) < self.keep:
            self.issues.append(issue)

    @property
    def issues_total(self) -> int:
        return sum(self.issue_counts.values()) or len(self.issues)

    @property
    def duplicates(self) -> int:
        return sum(n for (kind, _code), n in self.issue_counts.items() if kind == "duplicate")

    def summary(self) -> list[tuple[str, str, int]]:
        """(kind, code, count) of every reason, the most frequent first."""
        return sorted(((k, c, n) for (k, c), n in self.issue_counts.items()),
                      key=lambda item: (-item[2], item[0], item[1]))  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        from resources.i18n import _

        return {
            "batch_id": self.batch_id,
            "file": self.file_name,
            "encoding": self.encoding,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "flagged": self.flagged,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "issues": [i.to_dict() for i in self.issues],
            "issues_total": self.issues_total,
            "issues_omitted": self.issues_total - len(self.issues),
            "summary": [
                {"kind": k, "code": c, "reason": ImportIssue.fill(c, (), _), "count": n}
                for k, c, n in self.summary()
            ],
            "ignored_columns": self.ignored_columns,
        }


@dataclass(frozen=True, slots=True)
class QualityCheck:
    """One check of a portrait's stored quality report, for the supervisor (db/review.py)."""

    id: str  # capture.report.CHECK_IDS
    result: str  # "pass" | "warn" | "fail"
    value: float | None
    advice_vi: str = ""  # what the officer was told, in both languages (as stored)
    advice_en: str = ""

    def advice(self, lang: str) -> str:
        return self.advice_en if lang == "en" else self.advice_vi


@dataclass(frozen=True, slots=True)
class EnrollmentState:
    """Where a resident's current enrollment stands: the lookup's column, the detail panel's
    line ("đã thu nhận 01/12, chờ duyệt"). The open one if any, else the last received."""

    uuid: str
    status: str
    day: date  # Vietnam-local day it was received, or started while unfinished
    receipt_no: str | None
    open_count: int  # open enrollments of the person (more than 1: a possible duplicate)

    def text(self, today: date | None = None, *, short: bool = False) -> str:
        """The state in the current language (``short``: for a column of results)."""
        from db.labels import enrollment_state_text

        return enrollment_state_text(self.status, self.day, today, short=short)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "day": self.day.isoformat(),
                "slip_no": self.receipt_no, "open": self.open_count}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FormChoices:
    """The lists the DC01 form offers (free text stays allowed): the 54 recognised ethnic
    groups, religions, and the villages of this station's register."""

    ethnicities: tuple[str, ...]
    religions: tuple[str, ...]
    villages: tuple[str, ...]


# --- field sync (db/sync/) ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportReport:
    kind: str  # bundle | packet
    path: str
    recipient: str
    recipient_name: str
    enrollments: int
    residents: int
    events: int
    audit_events: int
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class ImportResult:
    kind: str
    sender: str
    sender_name: str
    added: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0
    reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)  # kinds of the cases opened
    receipt: dict[str, Any] | None = None  # HQ: the receipt to write
    sender_kind: str = "hq"  # hq | mobile | hub

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sender": self.sender, "sender_name": self.sender_name,
                "added": self.added, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "refused": self.refused, "reason": self.reason, "counts": self.counts,
                "cases": len(self.cases)}  # fmt: skip

    def summary(self) -> str:
        """The plain sentence after an import: 'Đã nhận 312 hồ sơ của Tổ lưu động 1; 2 trường hợp
        cần lãnh đạo xem.' (the sync dialog and ``sync import``)."""
        from resources.i18n import _, ngettext

        if self.reason == "replay":
            return _("This file was already imported: nothing changed.")
        visits = self.counts.get("visit_outcome_added", 0)
        if self.kind == "bundle":
            n = self.counts.get("enrollment_added", 0)
            line = _("Received {n} enrollments from {name}").format(n=n, name=self.sender_name)
            if visits:
                line += ngettext("; {v} home visit outcome", "; {v} home visit outcomes",
                                 visits).format(v=visits)
            if self.cases:
                line += ngettext("; {c} case for the supervisor to look at",
                                 "; {c} cases for the supervisor to look at",
                                 len(self.cases)).format(c=len(self.cases))
            return line + "."
        if self.kind == "packet":
            line = _("Work packet from {name} applied: {r} residents added or updated.").format(
                name=self.sender_name,
                r=self.counts.get("resident_added", 0) + self.counts.get("resident_updated", 0))
            planned = self.counts.get("visit_added", 0)
            if planned:
                line += " " + ngettext("{v} new home visit for this team.",
                                       "{v} new home visits for this team.",
                                       planned).format(v=planned)
            return line
        if self.sender_kind == "hub":
            return _("Receipt from {name} applied: the district hub holds {n} more "
                     "enrollments.").format(name=self.sender_name,
                                            n=self.counts.get("enrollment_acknowledged", 0))
        return _("Receipt from {name} applied: {n} enrollments acknowledged.").format(
            name=self.sender_name, n=self.counts.get("enrollment_acknowledged", 0))


@dataclass(frozen=True)
class PeerState:
    station_id: str
    name: str
    kind: str
    active: bool
    last_bundle_at: datetime | None
    receipt_at: datetime | None
    bundles_out: int
    held: int  # HQ: enrollments it holds from this laptop
    open_cases: int
    drafts: int = 0  # HQ: unfinished on the laptop when it last sent

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("last_bundle_at", "receipt_at"):
            out[k] = out[k].isoformat() if out[k] else None
        return out


@dataclass(frozen=True)
class SyncState:
    station_id: str
    kind: str
    training: bool
    pending: int  # laptop: submitted, not acknowledged by HQ
    acknowledged: int
    last_receipt_at: datetime | None
    days_since_receipt: int | None
    warn_days: int
    oldest_pending_days: int | None = None  # since the oldest unacknowledged submission
    peers: list[PeerState] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        """A laptop holding work HQ has not acknowledged for longer than the setting allows
        (since the last receipt, or since that work was submitted if no receipt came)."""
        if self.kind != "mobile" or not self.pending:
            return False
        age = self.days_since_receipt
        if age is None or (self.oldest_pending_days or 0) < age:
            age = self.oldest_pending_days
        return age is not None and age > self.warn_days

    def to_json(self) -> dict[str, Any]:
        return {"station_id": self.station_id, "kind": self.kind, "training": self.training,
                "pending": self.pending, "acknowledged": self.acknowledged,
                "last_receipt_at": self.last_receipt_at.isoformat()
                if self.last_receipt_at else None,
                "days_since_receipt": self.days_since_receipt, "stale": self.stale,
                "paired": [p.to_json() for p in self.peers]}  # fmt: skip

    def freshness_line(self) -> str:
        """'chưa gửi về trụ sở: N hồ sơ; lần nhận xác nhận cuối: D ngày trước' (the words of
        the desk and ``sync status``; "today" rather than "0 days ago")."""
        from resources.i18n import _

        if self.last_receipt_at is None:
            line = _("not yet sent to headquarters: {n} enrollments; no receipt received yet")
            return line.format(n=self.pending)
        if self.days_since_receipt == 0:
            return _("not yet sent to headquarters: {n} enrollments; last receipt: today").format(
                n=self.pending)
        line = _("not yet sent to headquarters: {n} enrollments; last receipt: {d} days ago")
        return line.format(n=self.pending, d=self.days_since_receipt)


@dataclass(frozen=True)
class CaseInfo:
    """A case for the supervisor's day review (personal details are read only by the
    supervisor, from the encrypted database; nothing here goes to the audit trail)."""

    uuid: str
    kind: str  # same_person | field_person_match | field_person | correction | content
    station_name: str
    subject_uuid: str
    other_uuid: str | None
    details: dict[str, Any]
    created_at: datetime
    person: str  # the resident's name, for the supervisor's screen


# --- the campaign (db/coverage.py) -------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """One line of coverage: a village (``label`` its name, ``key`` its folded key; None for
    the commune's total or residents without a village), an ethnicity or a sex."""

    label: str | None
    key: str | None
    must_hold: int  # aged 14 and over (or birth unknown), still counted
    enrolled: int
    in_progress: int
    not_yet: int
    not_applicable: int  # deceased, moved away, a duplicate record
    aged_6_13: int = 0
    aged_6_13_enrolled: int = 0
    under_6: int = 0
    under_6_enrolled: int = 0
    vneid_requests: int = 0  # enrolled people who asked for a level-2 VNeID account
    cards_arrived: int = 0  # people whose card came back (handed over or not)
    cards_delivered: int = 0  # people whose card was handed over

    @property
    def share(self) -> float | None:
        """Enrolled among those who must hold a card (None when nobody must)."""
        return self.enrolled / self.must_hold if self.must_hold else None

    def progress_text(self) -> str:
        """"đã thu nhận 1.204/1.350 (89,2%)"."""
        from resources.i18n import _

        share = self.share
        pct = "—" if share is None else f"{share * 100:.1f}".replace(".", ",") + "%"
        return _("enrolled {done}/{of} ({pct})").format(
            done=f"{self.enrolled:,}".replace(",", "."),
            of=f"{self.must_hold:,}".replace(",", "."), pct=pct)

    def to_json(self, name: str = "village") -> dict[str, Any]:
        return {name: self.label, "must_hold": self.must_hold, "enrolled": self.enrolled,
                "in_progress": self.in_progress, "not_yet": self.not_yet,
                "not_applicable": self.not_applicable, "aged_6_13": self.aged_6_13,
                "aged_6_13_enrolled": self.aged_6_13_enrolled, "under_6": self.under_6,
                "under_6_enrolled": self.under_6_enrolled,
                "vneid_requests": self.vneid_requests, "cards_arrived": self.cards_arrived,
                "cards_delivered": self.cards_delivered}  # fmt: skip


@dataclass(frozen=True)
class CoverageReport:
    on: date
    total: CoverageRow
    villages: tuple[CoverageRow, ...]
    by_ethnicity: tuple[CoverageRow, ...] = ()
    by_sex: tuple[CoverageRow, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "total": self.total.to_json(),
                "villages": [r.to_json() for r in self.villages],
                "by_ethnicity": [r.to_json("ethnicity") for r in self.by_ethnicity],
                "by_sex": [r.to_json("sex") for r in self.by_sex]}  # fmt: skip


#: The age groups and states of a coverage cell (db/coverage_lists.py); "not_applicable"
#: residents are in no age group.
COVERAGE_GROUPS = ("must_hold", "aged_6_13", "under_6")
COVERAGE_STATES = ("enrolled", "in_progress", "not_yet", "not_applicable")
#: ``village`` of :class:`CoverageList` for the residents the register gives no village.
NO_VILLAGE = ""


@dataclass(frozen=True)
class CoverageListRow:
    """One resident behind a coverage number."""

    uuid: str
    full_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    village: str | None
    household_no: str | None
    phone: str | None
    home_visit_reason: str  # none | elderly | bedridden | disabled | postpartum | other
    home_visit_note: str | None
    state: str  # one of COVERAGE_STATES

    @property
    def birth_display(self) -> str:
        return birth_text(self.birth_date, self.birth_year)

    def to_json(self) -> dict[str, Any]:
        birth = self.birth_date.isoformat() if self.birth_date else str(self.birth_year or "")
        return {"uuid": self.uuid, "full_name": self.full_name, "birth_date": birth or None,
                "sex": self.sex, "village": self.village, "household_no": self.household_no,
                "phone": self.phone, "home_visit_reason": self.home_visit_reason,
                "home_visit_note": self.home_visit_note, "state": self.state}  # fmt: skip


@dataclass(frozen=True)
class CoverageList:
    """The residents behind one number of the coverage: a village (None: the commune;
    NO_VILLAGE: no village given), an age group (None with "not_applicable") and a state."""

    on: date
    village: str | None  # as asked (a name, NO_VILLAGE or None)
    village_label: str | None  # the register's spelling of it (None: the commune)
    group: str | None
    state: str
    home_visits_only: bool
    rows: tuple[CoverageListRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "village": self.village_label,
                "group": self.group, "state": self.state,
                "home_visits_only": self.home_visits_only,
                "residents": [r.to_json() for r in self.rows]}  # fmt: skip


@dataclass(frozen=True)
class Renewal:
    """Someone who reaches a card age (14, 25, 40, 60) in the period and must get a card then
    (db/renewals.py). ``card_issued`` None: the register does not say when their card was issued
    — at 14 they must get a first card, at the other ages their card needs checking."""

    uuid: str
    full_name: str
    birth_date: date | None
    birth_year: int | None
    milestone: int  # the age reached
    due: date  # the day it is reached (1 January of that year for a year-only birth)
    village: str | None
    card_issued: date | None = None

    @property
    def birth_display(self) -> str:
        return birth_text(self.birth_date, self.birth_year)

    def to_json(self) -> dict[str, Any]:
        """The CLI's record: the birth as ISO date, or the year alone as a string."""
        birth = self.birth_date.isoformat() if self.birth_date else str(self.birth_year or "")
        return {"uuid": self.uuid, "full_name": self.full_name, "birth_date": birth or None,
                "milestone": self.milestone, "village": self.village}  # fmt: skip


# --- issue 14: home visits (db/visits.py) ------------------------------------------------------


@dataclass(frozen=True)
class VisitInfo:
    """One resident on a visit plan (or, ``day`` None, a flagged resident not yet planned),
    with what the register says to find them and what came of the visit."""

    uuid: str | None
    resident_uuid: str
    day: date | None
    team: str | None
    team_name: str
    mode: str | None  # fetch | home
    reason: str
    note: str | None
    full_name: str
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    village: str | None
    household_no: str | None
    phone: str | None
    resident_note: str | None
    sort_key: str = ""
    outcome: str | None = None
    outcome_note: str | None = None
    next_day: date | None = None
    enrollment_uuid: str | None = None
    card_slip: str | None = None  # a delivery visit: the slip number of the card it takes

    @classmethod
    def unplanned(cls, r: Any) -> VisitInfo:
        """A flagged resident (a ``db.models.Resident``) as a candidate for a plan."""
        return cls(uuid=None, resident_uuid=r.uuid, day=None, team=None, team_name="",
                   mode=None, reason=r.home_visit_reason, note=None, full_name=r.full_name,
                   birth_date=r.birth_date, birth_year=r.birth_year, sex=r.sex,
                   village=r.village, household_no=r.household_no, phone=r.phone,
                   resident_note=r.home_visit_note, sort_key=r.sort_key)  # fmt: skip

    @property
    def birth_display(self) -> str:
        return birth_text(self.birth_date, self.birth_year)

    def age_on(self, on: date) -> int | None:
        return age_on(self.birth_date, self.birth_year, on)

    def to_json(self) -> dict[str, Any]:
        birth = self.birth_date.isoformat() if self.birth_date else (
            str(self.birth_year) if self.birth_year else None)
        return {"uuid": self.uuid, "resident_uuid": self.resident_uuid,
                "full_name": self.full_name, "birth_date": birth, "sex": self.sex,
                "village": self.village, "household_no": self.household_no,
                "phone": self.phone, "reason": self.reason,
                "note": self.note, "resident_note": self.resident_note,
                "day": self.day.isoformat() if self.day else None, "team": self.team,
                "team_name": self.team_name, "mode": self.mode, "outcome": self.outcome,
                "outcome_note": self.outcome_note,
                "next_day": self.next_day.isoformat() if self.next_day else None,
                "enrollment_uuid": self.enrollment_uuid}  # fmt: skip


@dataclass(frozen=True)
class VisitPlanResult:
    """What a plan made: the new visits, and who was left out and why."""

    planned: list[str]
    already_planned: int = 0  # on an open visit already
    not_counted: int = 0  # deceased, moved away, a duplicate record
    no_card: int = 0  # a card delivery planned for someone whose card is not waiting

    def to_json(self) -> dict[str, Any]:
        return {"planned": self.planned, "already_planned": self.already_planned,
                "not_counted": self.not_counted, "no_card": self.no_card}  # fmt: skip


# --- issue 14: register quality (db/quality.py) -----------------------------------------------


@dataclass(frozen=True)
class QualityResident:
    """A resident as the quality report shows them side by side."""

    uuid: str
    full_name: str
    personal_id: str | None
    birth_date: date | None
    birth_year: int | None
    sex: str | None
    village: str | None
    household_no: str | None

    @property
    def birth_display(self) -> str:
        return birth_text(self.birth_date, self.birth_year)

    def to_json(self) -> dict[str, Any]:
        birth = self.birth_date.isoformat() if self.birth_date else str(self.birth_year or "")
        return {"uuid": self.uuid, "full_name": self.full_name, "personal_id": self.personal_id,
                "birth_date": birth or None, "sex": self.sex, "village": self.village,
                "household_no": self.household_no}  # fmt: skip


@dataclass(frozen=True)
class DuplicateGroup:
    """Residents likely one person. ``kind``: same_id (one ID number twice), two_ids (one
    name, birth and village under different numbers), no_id (the same, one or all without a
    number), variant (weak: one household and birth, names equal but for spelling)."""

    kind: str
    weak: bool
    residents: tuple[QualityResident, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "weak": self.weak,
                "residents": [r.to_json() for r in self.residents]}  # fmt: skip


@dataclass(frozen=True)
class QualityFinding:
    """One kind of single-record defect: how many, and the first of them (``residents``)."""

    kind: str  # missing_id | id_mismatch | missing_fields | no_village | implausible_age
    count: int
    residents: tuple[QualityResident, ...]


@dataclass(frozen=True)
class QualityReport:
    on: date
    examined: int  # residents still counted (no life status)
    duplicates: tuple[DuplicateGroup, ...]
    findings: tuple[QualityFinding, ...]

    def finding(self, kind: str) -> QualityFinding:
        return next(f for f in self.findings if f.kind == kind)

    def to_json(self) -> dict[str, Any]:
        counts = {"duplicates": sum(not d.weak for d in self.duplicates),
                  "weak_duplicates": sum(d.weak for d in self.duplicates)}  # fmt: skip
        counts.update({f.kind: f.count for f in self.findings})
        return {"on": self.on.isoformat(), "examined": self.examined,
                "duplicates": [d.to_json() for d in self.duplicates], "counts": counts,
                "findings": {f.kind: [r.to_json() for r in f.residents]
                             for f in self.findings}}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CardInfo:
    """A card on its way to its holder (db/cards.py): the enrollment it belongs to, whom the
    register says it is for, and when it arrived and went out."""

    enrollment_uuid: str
    slip_no: str
    resident_id: int | None
    full_name: str
    birth_date: date | None
    birth_year: int | None
    personal_id: str | None
    village: str | None
    phone: str | None
    status: str  # the enrollment's: approved | card_ready | delivered (or earlier)
    enrolled_place: str  # hq | home | …: a card of someone enrolled at home goes back home
    arrived_at: datetime | None
    delivered_at: datetime | None = None
    delivered_place: str | None = None  # hq | home | post
    delivered_note: str | None = None
    delivered_by: str = ""
    copy: bool = False  # a laptop's copy of a card headquarters holds
    resident_uuid: str | None = None  # whom it is for (a delivery visit plans by it)

    def birth_text(self) -> str:
        if self.birth_date is not None:
            return self.birth_date.strftime("%d/%m/%Y")
        return str(self.birth_year) if self.birth_year else ""

    def to_json(self) -> dict[str, Any]:
        def day(at: datetime | None) -> str | None:
            from db.vntime import local_date

            return local_date(at).isoformat() if at is not None else None

        return {"slip_no": self.slip_no, "full_name": self.full_name,
                "personal_id": self.personal_id, "village": self.village, "phone": self.phone,
                "status": self.status, "arrived": day(self.arrived_at),
                "delivered": day(self.delivered_at), "place": self.delivered_place}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CardOutcome:
    """What recording one card's arrival did: ``arrived``, ``already`` (arrived or handed
    over before), ``not_approved`` or ``not_found``."""

    ref: str
    outcome: str
    card: CardInfo | None


# --- backups (issue 16) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup file holds, as shown before restoring it (db/restore.py)."""

    path: Path
    station_id: str
    station_name: str
    commune: str
    kind: str
    training: bool
    created_at: datetime
    program: str
    counts: dict[str, int]
    size: int
    key_store: str


@dataclass(frozen=True, slots=True)
class BackupReport:
    """A backup written and verified (db/backup.py)."""

    path: Path
    size: int
    counts: dict[str, int]
    created_at: datetime
    seconds: float


@dataclass(frozen=True, slots=True)
class BackupState:
    """When the station was last backed up, and whether the desk should remind of it."""

    last_at: datetime | None
    last_file: str | None
    due: bool
    days: int | None  # whole days since the last backup (None: never)
    awaiting_hq: bool = False  # a laptop restored from a backup, before HQ's packet
