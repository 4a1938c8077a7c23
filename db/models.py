"""SQLAlchemy 2 typed models: the first-cut data model of ARCHITECTURE.md.

Records that can travel between stations carry a UUID and the id of the station that created
them, so that field laptops can merge back at headquarters without duplicates. Times are
stored in UTC (aware datetimes in Python); "a day" is a Vietnam-local day, computed in queries.
"""

from __future__ import annotations

import os
import time
import uuid as uuid_mod
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC text."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    """A time-ordered UUID (version 7 layout): unique across stations like uuid4, but new
    records append to the end of the uuid index instead of landing on random pages."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64
    value |= 0b10 << 62 | rand & ((1 << 62) - 1)
    return str(uuid_mod.UUID(int=value))


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
uuid_col = Annotated[str, mapped_column(String(36), unique=True, default=new_uuid)]
station_ref = Annotated[str, mapped_column(String(36), ForeignKey("station.id"), index=True)]
station_fk = Annotated[str, mapped_column(String(36), ForeignKey("station.id"))]
created = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
updated = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)]
str_opt = Annotated[str | None, mapped_column(String(200))]


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }

    if TYPE_CHECKING:
        # Every model is a declarative table: SQLAlchemy types ``__table__`` as the wider
        # FromClause, which insert()/update() do not accept.
        __table__: ClassVar[Table]


class Station(Base):
    __tablename__ = "station"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    commune: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="hq")  # hq | mobile | hub
    slip_layout: Mapped[str] = mapped_column(String(10), default="a5")  # a5 | roll80
    # Short code printed in slip numbers ("NH-2026-000123"); None: derived from the commune.
    slip_code: Mapped[str | None] = mapped_column(String(12))
    # A training station (TRẠM TẬP HUẤN): synthetic people only; syncs only with training ones.
    training: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    created_at: Mapped[created]
    # The official codes (db/places.py): what the hub groups by, whatever was typed.
    province_code: Mapped[str | None] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    # On the hub: the commune headquarters a mobile laptop's records come through.
    hq_id: Mapped[str | None] = mapped_column(String(36))


class StationKey(Base):
    """The station's own private keys (Ed25519 to sign, X25519 to receive bundles): inside the
    encrypted database, so an encrypted backup carries them and they are never in clear."""

    __tablename__ = "station_key"

    station_id: Mapped[str] = mapped_column(String(36), ForeignKey("station.id"), primary_key=True)
    sign_private: Mapped[bytes] = mapped_column(LargeBinary)
    box_private: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[created]


class PairedStation(Base):
    """Another station this one trusts (HQ ↔ a mobile laptop), from its identity file, after
    the administrator compared the fingerprint. Unpairing keeps the row (bundles from it are
    refused from then on; its records stay)."""

    __tablename__ = "paired_station"

    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    commune: Mapped[str | None] = mapped_column(String(200))
    slip_code: Mapped[str] = mapped_column(String(12))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(40))
    paired_at: Mapped[created]
    paired_by: Mapped[str | None] = mapped_column(String(36))  # officer uuid
    unpaired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The trips (db/sync/): the last bundle taken from it, how many we made for it, the head of
    # its audit chain we hold (HQ) or it acknowledged (laptop), its last slip numbers
    # ({year: number}), when its last receipt came (laptop), how many of its enrollments we
    # hold and how many drafts it still had (HQ).
    last_bundle_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_bundle_seq: Mapped[int | None]
    bundles_out: Mapped[int | None]
    audit_seq: Mapped[int | None]
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    last_slip: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    receipt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    held: Mapped[int | None]
    drafts: Mapped[int | None]  # HQ: unfinished drafts on the laptop when it last sent


class ImportBatch(Base):
    """One register file imported; the reasons for rejected rows carry no personal data."""

    __tablename__ = "import_batch"

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[created]
    finished_at: Mapped[datetime | None]
    rows: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    flagged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    issues: Mapped[list[Any]] = mapped_column(default=list)  # [{line, kind, reason}]


#: The hub's words of a folded name (its GIN index, db/hub/search.py): the words, and each
#: word's first one, two and three letters as terms of their own ("nguyen" → 1n 2ng 3ngu), so
#: a query's short prefix is one exact term instead of a prefix scan of every word it starts
#: (``a:*`` on a million names: migration 0012). Written as PostgreSQL prints it back, so that
#: Alembic's comparison of the models with the database sees the very same index.
SEARCH_WORDS_SQL = (r"to_tsvector('simple'::regconfig, (search_name::text || ' '::text) || "
                    r"regexp_replace(search_name::text, '(\S)(\S)?(\S)?\S*'::text, "
                    r"'1\1 2\1\2 3\1\2\3'::text, 'g'::text))")


class Resident(Base):
    """A person of the population register (dữ liệu dân cư) as this station knows them."""

    __tablename__ = "resident"
    __table_args__ = (
        UniqueConstraint("station_id", "personal_id", name="uq_resident_station_personal_id"),
        # Birth year and village are searched through the FTS5 index's tags (db/search_index.py):
        # two fewer B-trees to update on every imported row.
        # Only people recorded without an ID number are matched by name + birth + village.
        Index("ix_resident_match_key", "match_key", sqlite_where=text("personal_id IS NULL"),
              postgresql_where=text("personal_id IS NULL")),
        Index("ix_resident_old_id", "old_id", sqlite_where=text("old_id IS NOT NULL"),
              postgresql_where=text("old_id IS NOT NULL")),
        # The hub's counterparts of the FTS5 index (migrations 0011, 0012): PostgreSQL only.
        Index("ix_resident_search_words", text(SEARCH_WORDS_SQL),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
        Index("ix_resident_personal_id", "personal_id",
              postgresql_where=text("personal_id IS NOT NULL")).ddl_if(dialect="postgresql"),
        # the hub's reports scope every query to one commune's stations
        Index("ix_resident_station_id", "station_id").ddl_if(dialect="postgresql"),
    )

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_fk]  # one station per register: an index would not help
    personal_id: Mapped[str | None] = mapped_column(String(12))
    old_id: Mapped[str | None] = mapped_column(String(9))
    full_name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(String(500))
    birth_year: Mapped[int | None]
    birth_date: Mapped[date | None] = mapped_column(Date)  # None when only the year is known
    sex: Mapped[str | None] = mapped_column(String(1))  # M | F
    ethnicity: Mapped[str_opt]
    religion: Mapped[str_opt]
    hometown: Mapped[str_opt]
    commune: Mapped[str_opt]
    village: Mapped[str_opt]
    village_key: Mapped[str | None] = mapped_column(String(200))
    household_no: Mapped[str | None] = mapped_column(String(40))
    relation_to_head: Mapped[str_opt]
    residence_type: Mapped[str | None] = mapped_column(String(10))  # permanent | temporary
    phone: Mapped[str | None] = mapped_column(String(20))
    home_visit_reason: Mapped[str] = mapped_column(String(20), default="none")
    # What the officer who flagged the resident for a home visit wrote (db/visits.py).
    home_visit_note: Mapped[str | None] = mapped_column(Text)
    review_flags: Mapped[str | None] = mapped_column(Text)  # "; "-joined problems to review
    match_key: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(32))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    created_at: Mapped[created]
    updated_at: Mapped[updated]
    # The card issue date the register gives (``Ngày cấp``): who must renew (db/renewals.py).
    card_issued: Mapped[date | None] = mapped_column(Date)
    # Why the resident no longer counts towards coverage: deceased | moved_away | duplicate.
    life_status: Mapped[str | None] = mapped_column(String(12))
    # What form DC01 records beyond the register's columns (db/corrections.DC01_FIELDS: places of
    # birth registration and residence, parents' and spouse's names and ID numbers).
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Officer(Base):
    __tablename__ = "officer"
    __table_args__ = (
        UniqueConstraint("station_id", "username", name="uq_officer_station_username"),
    )

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    username: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))  # officer | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created]


class Enrollment(Base):
    """One application for a card; its lifecycle is in db/enrollment.py (ARCHITECTURE.md)."""

    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("station_id", "receipt_no", name="uq_enrollment_station_receipt_no"),
        Index("ix_enrollment_created_at", "created_at"),
        # Covers the tally (db/tally.py): a quarter of enrollments is read from the index alone.
        Index(
            "ix_enrollment_submitted_at",
            "submitted_at",
            "status",
            "officer_id",
            "place",
            "has_exception",
            "resident_id",
            "vneid_requested",
        ),
        # the hub: one commune's enrollments of a period (db/hub/reports.py)
        Index("ix_enrollment_station_submitted", "station_id", "submitted_at")
        .ddl_if(dialect="postgresql"),
    )

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    place: Mapped[str] = mapped_column(String(10), default="hq")  # hq | home | mobile
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    step: Mapped[str | None] = mapped_column(String(20))  # wizard step of a draft
    draft: Mapped[dict[str, Any]] = mapped_column(default=dict)  # data typed so far
    receipt_no: Mapped[str | None] = mapped_column(String(40))
    appointment_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created]
    updated_at: Mapped[updated]
    submitted_at: Mapped[datetime | None]
    # Quality checks overridden (ARCHITECTURE.md): [{subject, reason, note, at}]; the flag
    # lets the tally count them with a plain SUM.
    exceptions: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    has_exception: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The supervisor's decision (approve / send back) and why.
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(Text)
    # A correction is a new enrollment pointing at the returned one it replaces.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("enrollment.id"))
    # "Làm lại hồ sơ" (db/enrollment_state.py): why a second enrollment of a person was started
    # while another was open, the officer's note, and the uuid of that open one (a uuid, not an
    # id: it may be another station's enrollment, merged by sync).
    redo_reason: Mapped[str | None] = mapped_column(String(20))
    redo_note: Mapped[str | None] = mapped_column(Text)
    redo_of: Mapped[str | None] = mapped_column(String(36))
    # SHA-256 of the captured content once submitted (db/sync/records.py): what sync compares.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # The home visit this enrollment was started from (db/visits.py): place is then "home".
    visit_uuid: Mapped[str | None] = mapped_column(String(36))
    # The person asked for a level-2 electronic ID account (db/vneid.py; the number is in the
    # draft's details): set at submission from the draft, for the tally's covering index.
    vneid_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class EnrollmentEvent(Base):
    """What happens to an enrollment after it was submitted — the supervisor's decision, the
    card's arrival, its delivery — as a record of its own (DESIGN §11): the enrollment's
    status is the projection of these (db/events.py), so they travel and merge by UUID."""

    __tablename__ = "enrollment_event"
    __table_args__ = (Index("ix_enrollment_event_kind_at", "kind", "at"),)  # the tally's cards

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[str] = mapped_column(String(36))  # where it was decided
    enrollment_uuid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # approve | return | card_ready | delivered
    actor_uuid: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # a handover (db/cards.py): hq | home | post, and where (the house, the postal receipt)
    place: Mapped[str | None] = mapped_column(String(8))
    place_note: Mapped[str | None] = mapped_column(Text)


class CardCopy(Base):
    """What a mobile laptop needs to hand a card over at someone's home (db/cards.py): the
    slip number, when the card arrived and the portrait on file. Headquarters holds the
    enrollment; this copy comes in the work packet with the visit that takes the card."""

    __tablename__ = "card_copy"

    id: Mapped[intpk]
    enrollment_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[str] = mapped_column(String(36))  # the enrollment's station
    resident_uuid: Mapped[str] = mapped_column(String(36), index=True)
    slip_no: Mapped[str | None] = mapped_column(String(32))
    arrived_at: Mapped[datetime]
    portrait: Mapped[bytes | None] = mapped_column(LargeBinary)
    received_at: Mapped[datetime]


class HomeVisit(Base):
    """One resident on a day's home-visit plan (db/visits.py): who, when, which team (a
    station: HQ or a mobile laptop) and how — fetch to the office or enroll at home. A
    travelling record (DESIGN §11): never edited; a rescheduled visit is a new one that
    ``follows`` it, so plans made at HQ and on a laptop merge by UUID."""

    __tablename__ = "home_visit"

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[str] = mapped_column(String(36))  # where it was planned
    resident_uuid: Mapped[str] = mapped_column(String(36), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    team: Mapped[str] = mapped_column(String(36))  # the station that goes
    mode: Mapped[str] = mapped_column(String(8))  # fetch | home
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    planned_by: Mapped[str | None] = mapped_column(String(36))  # officer uuid
    at: Mapped[datetime]
    follows: Mapped[str | None] = mapped_column(String(36))
    content_hash: Mapped[str] = mapped_column(String(64))


class VisitOutcome(Base):
    """What came of a home visit, recorded on the desk of the team that went (a travelling
    record: it goes back to HQ in the return bundle)."""

    __tablename__ = "visit_outcome"

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[str] = mapped_column(String(36))
    visit_uuid: Mapped[str] = mapped_column(String(36), index=True)
    # enrolled_home | brought | refused | deceased | moved_away | not_found | rescheduled
    # | cancelled
    outcome: Mapped[str] = mapped_column(String(20))
    actor_uuid: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    enrollment_uuid: Mapped[str | None] = mapped_column(String(36))
    next_day: Mapped[date | None] = mapped_column(Date)  # rescheduled to
    content_hash: Mapped[str] = mapped_column(String(64))


class QualityDismissal(Base):
    """Two residents the register-quality report took for one person and a supervisor said
    are not (db/quality.py): the pair is not proposed again."""

    __tablename__ = "quality_dismissal"

    a_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)  # the smaller uuid
    b_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    by_uuid: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class SlipCounter(Base):
    """The last slip number issued per station and (Vietnam-local) year; never decremented."""

    __tablename__ = "slip_counter"

    station_id: Mapped[str] = mapped_column(String(36), ForeignKey("station.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Portrait(Base):
    __tablename__ = "portrait"
    # with attempts: the tally counts retakes from the index alone
    __table_args__ = (Index("ix_portrait_enrollment_id", "enrollment_id", "attempts"),)

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id"))
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    quality: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(default=1)
    bedridden: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_reason: Mapped[str | None] = mapped_column(String(20))
    exception_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created]


class Fingerprint(Base):
    """One finger of one enrollment as one impression: the best attempt's image, or the
    condition recorded instead (capture/fingerprint/fingers.py). One row per finger and
    impression, replaced as the officer retakes (saved as it is taken: a crash keeps it)."""

    __tablename__ = "fingerprint"
    __table_args__ = (
        Index("ux_fingerprint_finger", "enrollment_id", "finger", "impression", unique=True),
    )

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id"), index=True)
    finger: Mapped[int]  # 1-10, right thumb → right little, left thumb → left little
    impression: Mapped[str] = mapped_column(String(8), default="flat", server_default="flat")
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_format: Mapped[str | None] = mapped_column(String(8))  # wsq | png
    quality: Mapped[int | None]  # our score 0-100 (capture/fingerprint/quality.py)
    device_score: Mapped[int | None]  # the scanner's own score, kept beside ours
    attempts: Mapped[int] = mapped_column(default=1)
    attempt_scores: Mapped[list[int] | None] = mapped_column(JSON)
    condition: Mapped[str | None] = mapped_column(String(20))  # missing | scarred | bandaged...
    note: Mapped[str | None] = mapped_column(Text)
    device: Mapped[str | None] = mapped_column(String(80))  # backend, model, serial
    created_at: Mapped[created]


class AuditEvent(Base):
    """Append-only, hash-chained log of who did what (never photos or personal details)."""

    __tablename__ = "audit_event"

    seq: Mapped[intpk]
    uuid: Mapped[uuid_col]
    station_id: Mapped[station_ref]
    at: Mapped[created]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # 2: the officer is hashed by UUID (DESIGN §11); 1: by the local id (events before).
    officer_uuid: Mapped[str | None] = mapped_column(String(36))
    hash_v: Mapped[int] = mapped_column(default=2, server_default="1")


class OriginAuditEvent(Base):
    """Another station's audit event as it sent it (its own sequence and chain), checked to
    continue the head held for that station before it is stored (db/sync/chain.py)."""

    __tablename__ = "origin_audit_event"

    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    uuid: Mapped[str] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(26))  # exactly as hashed
    officer_id: Mapped[int | None]
    officer_uuid: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    hash_v: Mapped[int]


class SyncBundle(Base):
    """A bundle, work packet or receipt taken in (idempotency of whole files)."""

    __tablename__ = "sync_bundle"

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    origin_station_id: Mapped[str] = mapped_column(String(36))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[created]
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kind: Mapped[str | None] = mapped_column(String(12))
    seq: Mapped[int | None]


class SyncCase(Base):
    """What a merge leaves for the supervisor: the same person enrolled on two stations, a
    field person matching a register resident, two corrections of one field, the same UUID
    with other content (the incoming record kept in ``payload``, never written over)."""

    __tablename__ = "sync_case"

    id: Mapped[intpk]
    uuid: Mapped[uuid_col]
    kind: Mapped[str] = mapped_column(String(20))
    origin_station_id: Mapped[str] = mapped_column(String(36))
    subject_uuid: Mapped[str] = mapped_column(String(36), index=True)
    other_uuid: Mapped[str | None] = mapped_column(String(36))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    bundle_uuid: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[created]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolution: Mapped[str | None] = mapped_column(Text)


class ResidentAlias(Base):
    """A field person (DC01) linked at merge to the register resident they are."""

    __tablename__ = "resident_alias"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    station_id: Mapped[str] = mapped_column(String(36))


class PeerAuditHead(Base):
    """On a headquarters: the head of one audit chain (its own, or a laptop's it holds) that a
    peer — the district hub — acknowledged in a signed receipt; the next bundle starts after."""

    __tablename__ = "peer_audit_head"

    peer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class SyncAck(Base):
    """A record a peer's signed receipt says it holds (with that content): not sent again."""

    __tablename__ = "sync_ack"

    peer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    receipt_uuid: Mapped[str] = mapped_column(String(36))
    acked_at: Mapped[datetime]


class Setting(Base):
    """Typed, versioned station settings (see db/settings.py); not for window geometry."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
