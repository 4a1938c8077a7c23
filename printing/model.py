"""Plain, frozen inputs for the printed documents.

``printing/`` never sees a database session, a Qt object or an ORM row: the caller (db/ or gui/)
copies what a document needs into one of these dataclasses. That keeps the documents testable
with literals and lets the builders run in any thread. Strings are display text, already in the
form people should read (e.g. ``commune="xã Nà Hỳ"`` with its unit word); the builders normalise
them to NFC, so decomposed input (Windows-1258 imports) prints correctly.

Validation here is about things that would print a wrong document (a naive datetime shown in the
wrong zone, a slip with both a return place and a postal address, a tally whose sections do not
add up), not about business rules that belong to db/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Layout = Literal["a5", "roll80"]
Sex = Literal["male", "female"]

#: Keys of :attr:`TallyData.by_place`, in the order they are printed.
PLACES: tuple[str, ...] = ("hq", "home", "mobile")

#: Length of the database key printed on the recovery sheet (SQLCipher raw 256-bit key).
KEY_BYTES = 32


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime (stored in UTC)")


@dataclass(frozen=True, slots=True)
class Station:
    """Who issues the document: printed in every header.

    ``agency_name``: the receiving agency, e.g. "Công an xã Nà Hỳ".
    ``parent_agency``: the agency above it for the two-line official header, e.g.
    "Công an tỉnh Điện Biên" (empty: one-line header).
    ``station_name``: this enrollment station, e.g. "Trạm thu nhận trụ sở" or "Tổ lưu động 1".
    ``commune`` / ``province``: with their unit word, e.g. "xã Nà Hỳ", "tỉnh Điện Biên".
    ``station_id``: the station's short id from the database (printed on tallies and the
    recovery sheet so a sheet can be matched to its machine).
    ``address`` / ``phone``: where the agency is; optional.
    """

    agency_name: str
    station_name: str
    commune: str
    province: str
    parent_agency: str = ""
    station_id: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SlipData:
    """One appointment slip (giấy hẹn trả kết quả, form CC02 in spirit).

    ``enrollment_id``: the enrollment's UUID as text; it goes into the QR code with
    ``slip_no`` so the slip can be scanned back to its enrollment at the counter.
    ``birth_date``: ``None`` when unknown; with ``birth_year_only`` only the year is printed
    (common for elderly residents whose register entry has no day and month).
    ``received_at``: when the application was received, timezone-aware (stored in UTC); it is
    printed in Vietnam time.
    ``return_date``: from :func:`printing.workdays.return_date` normally; the caller decides.
    Exactly one of ``return_place`` (collect at this place) and ``delivery_address`` (sent by
    post to this address) is given.
    ``procedure``: ``None`` prints the translated default "Cấp thẻ căn cước".
    ``portrait_jpeg``: the accepted portrait as JPEG bytes, or ``None`` (no thumbnail printed).
    ``layout``: "a5" for office printers, "roll80" for 80 mm thermal receipt printers.
    ``pending_approval``: an exception waits for the supervisor: no firm return date is
    printed ("chờ lãnh đạo phê duyệt"), ``return_date`` is only the earliest one.
    ``lying_down``: the portrait was taken lying down (bedridden mode); printed as a fact.
    ``home_delivery``: ``delivery_address`` is the person's home (a home or bedridden
    enrollment): the card is brought there or sent by post.
    ``fingers_taken``: how many of the ten fingers have a print (None: none were taken, the
    person is under 6); ``finger_conditions``: (finger, condition) of the others, as English
    message ids translated when printed ("left index finger", "Missing or amputated").
    ``training``: printed by a training station (TRẠM TẬP HUẤN): a banner and a watermark say
    the slip is not valid.
    ``vneid_phone``: the person asked for a level-2 electronic identification account (VNeID)
    with this mobile number, as printed ("0912 345 678"); None: not asked, nothing printed.
    """

    station: Station
    enrollment_id: str
    slip_no: str
    full_name: str
    personal_id: str | None
    birth_date: date | None
    received_at: datetime
    return_date: date
    officer_name: str
    birth_year_only: bool = False
    sex: Sex | None = None
    procedure: str | None = None
    return_place: str | None = None
    delivery_address: str | None = None
    portrait_jpeg: bytes | None = None
    layout: Layout = "a5"
    pending_approval: bool = False
    lying_down: bool = False
    home_delivery: bool = False
    fingers_taken: int | None = None
    finger_conditions: tuple[tuple[str, str], ...] = ()
    training: bool = False
    vneid_phone: str | None = None

    def __post_init__(self) -> None:
        _require_aware("received_at", self.received_at)
        if self.home_delivery and self.delivery_address is None:
            raise ValueError("home_delivery needs the home's address in delivery_address")
        if (self.return_place is None) == (self.delivery_address is None):
            raise ValueError("give exactly one of return_place and delivery_address")
        if self.layout not in ("a5", "roll80"):
            raise ValueError(f"unknown slip layout: {self.layout!r}")
        if self.sex not in (None, "male", "female"):
            raise ValueError(f"unknown sex code: {self.sex!r}")
        if not self.slip_no or "|" in self.slip_no or "|" in self.enrollment_id:
            raise ValueError("slip_no must be non-empty; '|' is reserved in the QR payload")


@dataclass(frozen=True, slots=True)
class TallyRow:
    """One line of a tally section: a label (officer's name, village) and its count."""

    label: str
    count: int


@dataclass(frozen=True, slots=True)
class LaptopHead:
    """A paired laptop as headquarters holds it: the head of its audit chain (seq and hash of
    its last event received) — what anchors the laptop's own trail on signed paper."""

    name: str
    seq: int
    digest: str  # hex SHA-256
    received_at: datetime | None
    held: int  # its enrollments held here


@dataclass(frozen=True, slots=True)
class TallyData:
    """The daily (or date-range) tally a supervisor signs.

    Every count is about the same set of enrollments: those submitted at this station between
    ``date_from`` and ``date_to`` inclusive (Vietnam dates). ``total`` is their number, and
    each breakdown must add up to it, which :func:`printing.tally.build_tally` checks
    (``ValueError`` otherwise, so a wrong query never reaches paper):

    * ``by_officer`` and ``by_village``: rows summing to ``total`` (give residents with no
      village a row of their own, e.g. label "(không rõ)");
    * ``by_place``: counts keyed "hq" (headquarters), "home" (home visit), "mobile" (mobile
      point); all three keys, summing to ``total``;
    * status: ``pending_approval`` (submitted, waiting for the supervisor) + ``approved``
      (approved or any later status: card ready, delivered) + ``returned`` (sent back to the
      officer) = ``total``.

    Figures that are not a partition of ``total``:
    ``home_visits``: households visited (one visit may enroll several people);
    ``exceptions``: enrollments with at least one quality check overridden (≤ ``total``);
    ``portrait_retakes``: portrait attempts beyond the first, summed over enrollments;
    ``self_approved``: approved by the supervisor who captured them, allowed only while the
    station has one supervisor (≤ ``approved``; printed only when not zero);
    ``vneid_requests``: enrollments asking for a level-2 electronic identification account
    (≤ ``total``);
    ``finger_conditions``: enrollments with at least one finger recorded with a condition
    (missing, bandaged, scarred, faded, cannot be placed; ≤ ``total``);
    ``fingers_taken`` and ``finger_attempts``: prints kept and the attempts they took, for the
    mean attempts per finger (printed when prints were taken).

    ``generated_at`` is timezone-aware; ``prepared_by`` is the name printed under "Người lập
    biểu" (may be empty).
    """

    station: Station
    date_from: date
    date_to: date
    generated_at: datetime
    total: int
    by_officer: tuple[TallyRow, ...]
    by_village: tuple[TallyRow, ...]
    by_place: Mapping[str, int]
    home_visits: int = 0
    exceptions: int = 0
    portrait_retakes: int = 0
    pending_approval: int = 0
    approved: int = 0
    returned: int = 0
    prepared_by: str = ""
    self_approved: int = 0
    finger_conditions: int = 0
    fingers_taken: int = 0
    finger_attempts: int = 0
    laptops: tuple[LaptopHead, ...] = ()  # headquarters: its paired laptops' chain heads
    training: bool = False  # a training station's: banner and watermark, not valid
    vneid_requests: int = 0  # asked for a level-2 electronic ID account (≤ total)
    # cards in the period, by the day they arrived or went out (not by the day received)
    cards_arrived: int = 0
    cards_delivered: Mapping[str, int] = field(default_factory=dict)  # hq | home | post

    @property
    def mean_finger_attempts(self) -> float | None:
        return self.finger_attempts / self.fingers_taken if self.fingers_taken else None

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)
        if self.date_to < self.date_from:
            raise ValueError("date_to is before date_from")


@dataclass(frozen=True, slots=True)
class CoverageLine:
    """One line of the coverage sheet: a village (or an ethnicity, a sex) and its counts."""

    label: str
    must_hold: int
    enrolled: int
    in_progress: int
    not_yet: int
    not_applicable: int
    aged_6_13: int = 0
    under_6: int = 0
    vneid_requests: int = 0  # enrolled people who asked for a level-2 VNeID account
    cards_arrived: int = 0  # people whose card came back (handed over or not)
    cards_delivered: int = 0  # people whose card was handed over


@dataclass(frozen=True, slots=True)
class CoverageData:
    """The campaign's coverage sheet (A4): how far the commune is from everyone enrolled on
    ``on``; ``total`` is the commune's line (the villages add up to it)."""

    station: Station
    on: date
    generated_at: datetime
    total: CoverageLine
    villages: tuple[CoverageLine, ...]
    by_ethnicity: tuple[CoverageLine, ...] = ()
    by_sex: tuple[CoverageLine, ...] = ()
    training: bool = False

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)


@dataclass(frozen=True, slots=True)
class CoverageListLine:
    """One resident of a coverage list, every text ready to print."""

    full_name: str
    birth: str
    sex: str
    village: str
    household_no: str
    phone: str
    home_visit: str  # the reason, in words ("" when none)
    note: str


@dataclass(frozen=True, slots=True)
class CoverageListData:
    """The residents behind one coverage number (A4): ``where`` the village or the commune,
    ``what`` the group and state in words."""

    station: Station
    on: date
    generated_at: datetime
    where: str
    what: str
    lines: tuple[CoverageListLine, ...]
    training: bool = False

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)


@dataclass(frozen=True, slots=True)
class RenewalLine:
    """One resident of the card renewal list, every text ready to print."""

    village: str
    full_name: str
    birth: str
    card_issued: str  # "" when the register does not say
    milestone: int
    due: str
    first_card: bool = False  # 14 and no card known: a first card, not a renewal


@dataclass(frozen=True, slots=True)
class RenewalsData:
    """Who must get a card between ``first`` and ``last`` (A4), by village; ``unknown``: those
    whose card issue date the register does not give, listed apart."""

    station: Station
    first: date
    last: date
    generated_at: datetime
    known: tuple[RenewalLine, ...]
    unknown: tuple[RenewalLine, ...] = ()
    training: bool = False

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)


@dataclass(frozen=True, slots=True)
class RecoveryData:
    """The database key sheet printed once at station setup for the supervisor's safe.

    ``key``: the raw 32-byte SQLCipher key. The PDF holding it is built in memory only; the
    caller must not save it to disk.
    ``created_at``: when the key was made (timezone-aware).
    """

    station: Station
    key: bytes = field(repr=False)
    created_at: datetime

    def __post_init__(self) -> None:
        _require_aware("created_at", self.created_at)
        if len(self.key) != KEY_BYTES:
            raise ValueError(f"the database key must be {KEY_BYTES} bytes")


@dataclass(frozen=True, slots=True)
class VisitLine:
    """One resident on a day's visit list, as printed (labels already in words)."""

    village: str
    household: str
    name: str
    age: str
    reason: str
    phone: str
    notes: str
    mode: str
    outcome: str = ""  # empty: the box is left for the team to fill in


@dataclass(frozen=True, slots=True)
class VisitSheetData:
    """The home-visit list of one day for one team (A4 landscape): what the team takes with
    them and brings back with the outcomes written in."""

    station: Station
    day: date
    team: str
    generated_at: datetime
    lines: tuple[VisitLine, ...]
    training: bool = False

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)


# --- issue 17: the information sheet the citizen checks and signs (or thumbprints) ---------

SheetLayout = Literal["a5", "a4"]

#: The details an information sheet prints, in the order of the form: the register's fields
#: (db/corrections.FIELDS) and those only form DC01 records (db/corrections.DC01_FIELDS).
INFO_FIELDS: tuple[str, ...] = (
    "full_name", "birth", "sex", "personal_id", "old_id", "ethnicity", "religion", "hometown",
    "village", "household_no", "phone",
    "birth_registration_place", "permanent_residence", "current_residence",
    "father_name", "father_id", "mother_name", "mother_id", "spouse_name", "spouse_id",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class InfoSheetData:
    """The information sheet (phiếu thu nhận thông tin căn cước, form CC01 in spirit) the
    citizen checks before the application goes in, and signs or thumbprints.

    ``details``: (field, value) of every detail the application carries, fields of
    :data:`INFO_FIELDS` (the builder prints them in that order, whatever order they come in;
    an empty value prints as a dash, a DC01 field left empty is not printed at all). The
    birth is the text as checked ("12/03/1950" or "1950"), the sex "M" / "F" (translated when
    printed). ``corrected``: (field, what the register had, "" when it had nothing) of each
    detail the officer corrected: the sheet marks them so the citizen checks them first.
    ``new_person``: not in the register (form DC01): the details are what the citizen declared,
    nothing is "corrected".
    ``place``: where the application is received, "hq" / "home" / "mobile".
    ``fingers_taken`` / ``finger_conditions``: as on :class:`SlipData` (None: none taken yet,
    or the person is under 6).
    ``vneid_phone`` / ``vneid_email``: a level-2 electronic identification account request, as
    printed ("0912 345 678"); None: not asked.
    ``slip_no`` / ``received_at``: once submitted (a reprint), the slip number and the time of
    receipt; before submit both are None.
    ``printed_at``: timezone-aware; the date line above the signatures.
    """

    station: Station
    enrollment_id: str
    details: tuple[tuple[str, str], ...]
    officer_name: str
    printed_at: datetime
    corrected: tuple[tuple[str, str], ...] = ()
    new_person: bool = False
    place: str = "hq"
    portrait_jpeg: bytes | None = None
    lying_down: bool = False
    fingers_taken: int | None = None
    finger_conditions: tuple[tuple[str, str], ...] = ()
    vneid_phone: str | None = None
    vneid_email: str | None = None
    slip_no: str | None = None
    received_at: datetime | None = None
    layout: SheetLayout = "a5"
    training: bool = False

    def __post_init__(self) -> None:
        _require_aware("printed_at", self.printed_at)
        if self.received_at is not None:
            _require_aware("received_at", self.received_at)
        if self.layout not in ("a5", "a4"):
            raise ValueError(f"unknown information sheet layout: {self.layout!r}")
        if self.place not in PLACES:
            raise ValueError(f"unknown place: {self.place!r}")
        unknown = {f for f, _v in (*self.details, *self.corrected) if f not in INFO_FIELDS}
        if unknown:
            raise ValueError(f"unknown detail fields: {sorted(unknown)}")
        if self.fingers_taken is not None and not 0 <= self.fingers_taken <= 10:
            raise ValueError("fingers_taken must be between 0 and 10")

    def value(self, name: str) -> str:
        """The detail ``name`` as checked ("" when the application does not carry it)."""
        return next((v for f, v in self.details if f == name), "")


# --- issue 17: the cards that came back (the notice list, the handover register) -----------


@dataclass(frozen=True, slots=True)
class CardLine:
    """One card in a printed card list (texts already translated by the db side)."""

    village: str
    name: str
    birth: str  # "12/03/1950" or "1950"
    personal_id: str  # "" when none
    slip_no: str
    phone: str  # "" when none
    arrived: date | None  # when the card came back from the province
    delivered: date | None = None
    place: str = ""  # how it was handed over, translated ("Tại trụ sở", "Tại nhà: …", …)
    officer: str = ""  # who handed it over


@dataclass(frozen=True, slots=True)
class CardListData:
    """A list of cards back from the province (A4), in the order the caller gives (the
    Vietnamese sort is the caller's): ``kind`` "waiting" is the notice list of cards to
    collect, by village; "handover" the register (sổ trả thẻ, A4 landscape) each person signs
    or thumbprints on receiving their card.

    ``village``: the list was filtered to one village (said in the title).
    ``collect_hours``: when the cards are handed out, as printed ("7 giờ 30 – 11 giờ 30, thứ
    Hai đến thứ Sáu"); empty: the working days.
    ``public``: a notice posted in the village or read over the loudspeaker: ID numbers and
    phone numbers are printed by their last digits only (a notice is seen by everyone).
    """

    station: Station
    kind: Literal["waiting", "handover"]
    generated_at: datetime  # aware
    lines: tuple[CardLine, ...]
    village: str = ""  # the list was filtered to one village
    training: bool = False
    collect_hours: str = ""
    public: bool = False

    def __post_init__(self) -> None:
        _require_aware("generated_at", self.generated_at)
        if self.kind not in ("waiting", "handover"):
            raise ValueError(f"unknown card list kind: {self.kind!r}")
