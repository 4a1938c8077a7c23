"""Headquarters merges a laptop's return bundle (inside the caller's one transaction).

- An enrollment is keyed by its UUID and the hash of its captured content: the same again is
  unchanged; the same UUID with other content is a conflict kept for the supervisor (the
  incoming record in ``sync_case.payload``), never an overwrite.
- A field person (DC01, made on the laptop) who matches a register resident — the same ID
  number, or the same folded name, birth (date or year) and village — is linked to that
  resident (``resident_alias``) with the differences shown, never inserted twice; a field
  person who matches nobody comes in as a proposal for the supervisor to accept.
- The same person enrolled on two stations: both kept, one case for the day review.
- Two corrections of one field of one person (from two places): both kept in their
  enrollments, one case showing the base value and each side's value.
- The laptop's audit events must continue the head held for it: a gap, a fork (a rewritten
  history) or an altered event refuses the whole bundle.

SQLAlchemy Core/ORM only (the hub runs this on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db import audit, events, vneid
from db.accounts import UNUSABLE_PASSWORD
from db.models import (
    Enrollment,
    EnrollmentEvent,
    Fingerprint,
    Officer,
    OriginAuditEvent,
    PairedStation,
    Portrait,
    Resident,
    ResidentAlias,
    SyncCase,
)
from db.sync import records, visit_travel
from db.sync.records import parse_day, parse_time
from db.sync.refusal import Refused
from db.vntime import now_utc

if TYPE_CHECKING:
    from db.sync.results import Checked
    from db.types import ImportResult

BATCH = 200  # enrollments (or events) taken in one go: a few statements for all of them
SAME_PERSON = ("submitted", "approved", "card_ready", "delivered")
COMPARED = ("full_name", "birth_year", "birth_date", "sex", "personal_id", "old_id", "village",
            "ethnicity", "hometown")  # fmt: skip


class Merge:
    """One bundle's merge at headquarters (the hub's extends it: db/hub/merge.py)."""

    def __init__(self, s: Session, me: str, c: Checked, result: ImportResult) -> None:
        self.s, self.me, self.c, self.result = s, me, c, result
        self.sender = c.peer.station_id
        self.bundle = c.header.bundle_uuid
        peer = s.get(PairedStation, self.sender)
        assert peer is not None
        self.peer = peer
        self.head = (peer.audit_seq or 0, peer.audit_hash or audit.GENESIS)
        self.claimed_head: tuple[int, str] | None = None
        self.officers: dict[str, int | None] = {}
        self.touched: set[str] = set()
        self.total = 0
        self.done = 0
        self.residents: dict[str, int] = {}
        self.queue: list[tuple[dict[str, Any], list[bytes], str]] = []  # enrollments, hashed
        self.queued: set[str] = set()
        self.event_queue: list[tuple[dict[str, Any], str]] = []
        self.events_queued: set[str] = set()
        # Core inserts of tables, not of ORM classes: the ORM's bulk path builds a state per
        # row, a fifth of a commune's merge at the hub.
        enrollment = Enrollment.__table__
        self.i_enrollment = insert(enrollment).returning(enrollment.c.id,
                                                         sort_by_parameter_order=True)
        self.i_portrait = insert(Portrait.__table__)
        self.i_print = insert(Fingerprint.__table__)
        self.i_event = insert(EnrollmentEvent.__table__)

    def run(self, recs: Iterator[tuple[dict[str, Any], list[bytes]]]) -> None:
        """Enrollments and events are taken in batches (:data:`BATCH`), a few statements a
        batch; any other record first writes the batch before it, so each record still sees
        every one before it, as when they were taken one by one."""
        for record, blobs in recs:
            t = record.get("t")
            if t != "enrollment":
                self.flush_enrollments()
            if t != "event":
                self.flush_events()
            self.take(record, blobs)
        self.flush_enrollments()
        self.flush_events()
        self.finish()

    def take(self, record: dict[str, Any], blobs: list[bytes]) -> None:
        t = record.get("t")
        if t == "station":
            self.station(record)
        elif t == "officer":
            self.officer(record)
        elif t == "resident":
            self.resident(record)
        elif t == "enrollment":
            self.enrollment(record, blobs)
        elif t == "event":
            self.event(record)
        elif t == "audit":
            self.audit(record.get("events") or [])
        elif t == "visit":
            visit_travel.take_visit(self.s, record, self.count, sender=self.sender)
        elif t == "visit_outcome":
            visit_travel.take_outcome(self.s, record, self.count, sender=self.sender)

    # --- helpers ------------------------------------------------------------------------

    def count(self, what: str, outcome: str) -> None:
        key = f"{what}_{outcome}"
        self.result.counts[key] = self.result.counts.get(key, 0) + 1
        if outcome == "added":
            self.result.added += 1
        elif outcome == "unchanged":
            self.result.unchanged += 1
        elif outcome == "conflict":
            self.result.conflicts += 1

    def case(self, kind: str, subject: str, other: str | None, details: dict[str, Any],
             payload: bytes | None = None) -> None:  # fmt: skip
        open_ = self.s.scalar(select(SyncCase.id).where(
            SyncCase.kind == kind, SyncCase.subject_uuid == subject,
            SyncCase.other_uuid == other if other is not None else SyncCase.other_uuid.is_(None),
            SyncCase.resolved_at.is_(None)))  # fmt: skip
        if open_ is not None:
            return
        self.s.add(SyncCase(kind=kind, origin_station_id=self.sender, subject_uuid=subject,
                            other_uuid=other, details=details, payload=payload,
                            bundle_uuid=self.bundle))  # fmt: skip
        self.result.cases.append(kind)

    def own(self, record: dict[str, Any]) -> None:
        if record.get("station_id") != self.sender:
            raise Refused.because("foreign_record")

    def officer_id(self, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        if uuid not in self.officers:
            self.officers[uuid] = self.s.scalar(select(Officer.id).where(Officer.uuid == uuid))
        return self.officers[uuid]

    def resident_id(self, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        self.resolve_residents({uuid})
        return self.residents.get(uuid)

    def resolve_residents(self, uuids: set[str]) -> None:
        """Cache the resident ids of a batch's UUIDs (register residents, then links)."""
        missing = [u for u in uuids if u not in self.residents]
        if missing:
            self.residents.update(self.s.execute(select(Resident.uuid, Resident.id).where(
                Resident.uuid.in_(missing))).all())  # fmt: skip
            rest = [u for u in missing if u not in self.residents]
            if rest:
                self.residents.update(self.s.execute(
                    select(ResidentAlias.uuid, ResidentAlias.resident_id).where(
                        ResidentAlias.uuid.in_(rest))).all())  # fmt: skip

    # --- records ------------------------------------------------------------------------

    def station(self, record: dict[str, Any]) -> None:
        self.own(record)
        last = dict(self.peer.last_slip or {})
        for year, n in (record.get("slip_last") or {}).items():
            last[str(year)] = max(int(n), int(last.get(str(year), 0)))
        self.peer.last_slip = last
        head = record.get("audit_head")
        self.claimed_head = (int(head[0]), str(head[1])) if head else None
        self.total = int(record.get("enrollments") or 0)
        self.peer.drafts = int(record.get("drafts") or 0)

    def officer(self, record: dict[str, Any]) -> None:
        if self.s.scalar(select(Officer.id).where(Officer.uuid == record["uuid"])) is not None:
            self.count("officer", "unchanged")
            return
        self.own(record)
        self.s.add(Officer(uuid=record["uuid"], station_id=record["station_id"],
                           username=str(record["username"])[:60],
                           full_name=str(record["full_name"])[:200], role=record["role"],
                           password_hash=UNUSABLE_PASSWORD, must_change_password=False,
                           active=False))  # fmt: skip
        self.s.flush()
        self.count("officer", "added")

    def resident(self, record: dict[str, Any]) -> None:
        if self.resident_id(record["uuid"]) is not None:
            self.count("resident", "unchanged")
            return
        values = {c: record.get(c) for c in records.RESIDENT_COLS}
        values["birth_date"] = parse_day(values["birth_date"])
        values["card_issued"] = parse_day(values["card_issued"])
        if record.get("station_id") != self.sender:  # a register resident HQ no longer has
            self.s.add(Resident(**values))
            self.s.flush()
            self.count("resident", "added")
            return
        match = self.match(values)
        if match is not None:
            self.s.add(ResidentAlias(uuid=values["uuid"], resident_id=match.id,
                                     station_id=self.sender))  # fmt: skip
            differences = {c: [_plain(getattr(match, c)), _plain(values.get(c))]
                           for c in COMPARED if _plain(getattr(match, c)) != _plain(values.get(c))}
            self.case("field_person_match", str(values["uuid"]), match.uuid,
                      {"resident_id": match.id, "differences": differences})  # fmt: skip
            self.s.flush()
            self.count("resident", "linked")
            return
        flag = "người mới do tổ lưu động lập (DC01): chờ lãnh đạo duyệt"
        values["review_flags"] = "; ".join(x for x in (values.get("review_flags"), flag) if x)
        self.s.add(Resident(**values))
        self.s.flush()
        self.case("field_person", str(values["uuid"]), None, {})
        self.count("resident", "added")

    def match(self, v: dict[str, Any]) -> Resident | None:
        """The register resident a field person is: same ID, or same folded name + birth
        (date, or year where one side has only the year) + village."""
        s = self.s
        if v.get("personal_id"):
            found = s.scalar(select(Resident).where(
                Resident.personal_id == v["personal_id"], Resident.uuid != v["uuid"]).limit(1))
            if found is not None:
                return found
        if not v.get("search_name") or not v.get("village_key"):
            return None
        for r in s.scalars(select(Resident).where(
                Resident.search_name == v["search_name"], Resident.village_key == v["village_key"],
                Resident.uuid != v["uuid"]).limit(20)):  # fmt: skip
            if r.birth_date and v.get("birth_date"):
                if r.birth_date == v["birth_date"]:
                    return r
            elif r.birth_year and r.birth_year == v.get("birth_year"):
                return r
        return None

    def enrollment(self, record: dict[str, Any], blobs: list[bytes]) -> None:
        self.own(record)
        digest = records.content_hash(record)
        if digest != record.get("content_hash"):
            raise Refused.because("damaged")
        if record["uuid"] in self.queued or record.get("corrects_uuid") in self.queued:
            self.flush_enrollments()  # it must see the one it repeats or corrects
        self.queue.append((record, blobs, digest))
        self.queued.add(record["uuid"])
        if len(self.queue) >= BATCH:
            self.flush_enrollments()

    def flush_enrollments(self) -> None:
        """The queued enrollments: held ones compared, new ones inserted with their images."""
        if not self.queue:
            return
        batch, self.queue, self.queued = self.queue, [], set()
        s = self.s
        held = dict(s.execute(select(Enrollment.uuid, Enrollment.content_hash).where(
            Enrollment.uuid.in_([r["uuid"] for r, _b, _d in batch]))).all())  # fmt: skip
        self.resolve_residents({r["resident_uuid"] for r, _b, _d in batch
                                if r["uuid"] not in held})  # fmt: skip
        wanted = [r["corrects_uuid"] for r, _b, _d in batch if r.get("corrects_uuid")]
        corrects = dict(s.execute(select(Enrollment.uuid, Enrollment.id).where(
            Enrollment.uuid.in_(wanted))).all()) if wanted else {}  # fmt: skip
        now = now_utc()
        rows: list[dict[str, Any]] = []
        new: list[tuple[dict[str, Any], list[bytes], _New]] = []
        for record, blobs, digest in batch:
            if record["uuid"] in held:  # its images need no check: they are not taken
                if held[record["uuid"]] == digest:
                    self.count("enrollment", "unchanged")
                else:
                    self.case("content", record["uuid"], None, {"what": "enrollment"},
                              records.pack(record, blobs))  # fmt: skip
                    self.count("enrollment", "conflict")
                self.step()
                continue
            if _blob_hashes(record) != [records.sha(b) for b in blobs]:
                raise Refused.because("damaged")
            rid = self.residents.get(record["resident_uuid"])
            if rid is None:
                raise Refused.because("damaged")
            origin = str(record["station_id"])  # the sender's, or (at the hub) a laptop's
            e = _New(id=0, uuid=record["uuid"], station_id=origin, resident_id=rid,
                     corrects_id=corrects.get(record.get("corrects_uuid") or ""),
                     redo_of=record.get("redo_of"), receipt_no=record.get("receipt_no"),
                     draft=record.get("draft") or {})  # fmt: skip
            rows.append({
                "uuid": e.uuid, "station_id": origin, "resident_id": rid,
                "officer_id": self.officer_id(record.get("officer_uuid")),
                "place": record["place"], "status": "submitted", "step": "review",
                "draft": e.draft, "receipt_no": e.receipt_no,
                "appointment_date": parse_day(record.get("appointment_date")),
                "notes": record.get("notes"), "created_at": parse_time(record["created_at"]),
                "updated_at": now, "submitted_at": parse_time(record["submitted_at"]),
                "exceptions": record.get("exceptions") or [],
                "has_exception": bool(record.get("has_exception")),
                "corrects_id": e.corrects_id, "redo_reason": record.get("redo_reason"),
                "redo_note": record.get("redo_note"), "redo_of": e.redo_of,
                "content_hash": digest, "visit_uuid": record.get("visit_uuid"),
                "vneid_requested": vneid.requested(e.draft),
            })  # fmt: skip
            new.append((record, blobs, e))
        if not rows:
            return
        # Core inserts of the batch (the hub's PostgreSQL takes the same): a thousand
        # enrollments with their portraits and prints are some 13,000 rows.
        ids = s.scalars(self.i_enrollment, rows).all()
        portraits: list[dict[str, Any]] = []
        prints: list[dict[str, Any]] = []
        for eid, (record, blobs, e) in zip(ids, new, strict=True):
            e.id = int(eid)
            pieces = iter(blobs)
            p = record.get("portrait")
            if p:
                portraits.append({
                    **{c: p[c] for c in records.PORTRAIT_COLS}, "station_id": e.station_id,
                    "enrollment_id": e.id, "jpeg": next(pieces),
                    "created_at": parse_time(p.get("created_at"))})  # fmt: skip
            prints += [{**{c: f[c] for c in records.PRINT_COLS}, "station_id": e.station_id,
                        "enrollment_id": e.id, "image": next(pieces) if f.get("image") else None,
                        "created_at": parse_time(f.get("created_at"))}
                       for f in record.get("fingerprints") or []]  # fmt: skip
        if portraits:
            s.execute(self.i_portrait, portraits)
        if prints:
            s.execute(self.i_print, prints)
        self.same_people([e for _r, _b, e in new])
        for _e in new:
            self.count("enrollment", "added")
            self.step()

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))
        if self.hook is not None:
            self.hook("enrollment")

    progress: Callable[[int, int], None] | None = None
    hook: Callable[[str], None] | None = None

    def same_people(self, batch: list[_New]) -> None:
        """The same person's other enrollments, for a batch in one query: each enrollment
        sees those held and those before it in the batch (as if taken one by one)."""
        order = {e.id: i for i, e in enumerate(batch)}
        held: dict[int, list[Any]] = {}
        for row in self.s.execute(select(
                Enrollment.resident_id, Enrollment.id, Enrollment.uuid, Enrollment.station_id,
                Enrollment.receipt_no, Enrollment.corrects_id, Enrollment.redo_of,
                Enrollment.draft, Enrollment.status).where(
                Enrollment.resident_id.in_({e.resident_id for e in batch}),
                Enrollment.status.in_((*SAME_PERSON, "returned")))):  # fmt: skip
            held.setdefault(row[0], []).append(row[1:])
        for i, e in enumerate(batch):
            self.same_person(e, [r for r in held.get(e.resident_id, ())
                                 if r[0] != e.id and order.get(r[0], -1) < i])  # fmt: skip

    def same_person(self, e: _New, others: list[Any]) -> None:
        for oid, ouuid, station, slip, corrects, redo_of, _draft, status in others:
            if status not in SAME_PERSON or e.corrects_id == oid or corrects == e.id \
                    or e.redo_of == ouuid or redo_of == e.uuid:  # fmt: skip
                continue
            self.case("same_person", e.uuid, ouuid, {"stations": [station, e.station_id],
                                                      "slips": [slip, e.receipt_no]})
        mine = _corrections(e.draft)
        for _oid, ouuid, station, _slip, _c, _r, draft, _status in others if mine else ():
            theirs = _corrections(draft)
            for field, change in mine.items():
                if field in theirs and theirs[field].get("to") != change.get("to"):
                    self.case("correction", e.uuid, ouuid, {
                        "field": field, "base": change.get("from"),
                        "values": {station: theirs[field].get("to"),
                                   e.station_id: change.get("to")}})  # fmt: skip

    def event(self, record: dict[str, Any]) -> None:
        self.own(record)
        digest = events.record_hash(record)
        if digest != record.get("content_hash") or record["kind"] not in events.KINDS:
            raise Refused.because("damaged")
        if record["uuid"] in self.events_queued:
            self.flush_events()
        self.event_queue.append((record, digest))
        self.events_queued.add(record["uuid"])
        if len(self.event_queue) >= BATCH:
            self.flush_events()

    def flush_events(self) -> None:
        if not self.event_queue:
            return
        batch, self.event_queue, self.events_queued = self.event_queue, [], set()
        held = dict(self.s.execute(select(EnrollmentEvent.uuid, EnrollmentEvent.content_hash)
                                   .where(EnrollmentEvent.uuid.in_(
                                       [r["uuid"] for r, _d in batch]))).all())  # fmt: skip
        rows = []
        for record, digest in batch:
            if record["uuid"] in held:
                self.count("event", "unchanged" if held[record["uuid"]] == digest
                           else "conflict")  # fmt: skip
                continue
            rows.append(events.row_of(record, str(record["station_id"]), digest))
            self.touched.add(record["enrollment_uuid"])
            self.count("event", "added")
        if rows:
            self.s.execute(self.i_event, rows)

    def audit(self, rows: list[list[Any]]) -> None:
        self.audit_of(self.sender, rows)

    def audit_of(self, station: str, rows: list[list[Any]]) -> None:
        """Events of ``station``'s chain, continuing :attr:`head`: those held must be
        identical, the next must continue the head, none may be skipped."""
        s = self.s
        seqs = [int(r[0]) for r in rows]
        held = dict(s.execute(select(OriginAuditEvent.seq, OriginAuditEvent.hash).where(
            OriginAuditEvent.station_id == station,
            OriginAuditEvent.seq.in_(seqs))).all())  # fmt: skip
        new: list[dict[str, Any]] = []
        for row in rows:
            seq, uuid, st, at, oid, ouuid, action, ent, eid, det, prev, digest, v = row
            if st != station:
                raise Refused.because("foreign_record")
            seq, v = int(seq), int(v)
            # every event is checked, those held too: one edited after it was sent is caught
            expect = audit.event_hash(seq, uuid, st, at, audit.hashed_officer(v, oid, ouuid),
                                      action, ent, eid, det, prev)  # fmt: skip
            if expect != digest:
                raise Refused.because("chain_altered")
            if seq <= self.head[0]:  # held already: it must be the very same event
                if held.get(seq) != digest:
                    raise Refused.because("chain_fork")
                self.count("audit", "unchanged")
                continue
            if seq != self.head[0] + 1:
                raise Refused.because("chain_gap")
            if prev != self.head[1]:
                raise Refused.because("chain_fork")
            new.append({"station_id": st, "seq": seq, "uuid": uuid, "at": at, "officer_id": oid,
                        "officer_uuid": ouuid, "action": action, "entity": ent,
                        "entity_id": eid, "details": det, "prev_hash": prev, "hash": digest,
                        "hash_v": v})  # fmt: skip
            self.head = (seq, digest)
            self.count("audit", "added")
        if new:
            s.execute(insert(OriginAuditEvent.__table__), new)

    def finish(self) -> None:
        if self.claimed_head is not None:
            seq, digest = self.claimed_head
            if seq > self.head[0]:
                raise Refused.because("chain_gap")
            if seq == self.head[0] and digest != self.head[1]:
                raise Refused.because("chain_fork")
        self.s.flush()
        self.peer.audit_seq, self.peer.audit_hash = self.head[0] or None, (
            self.head[1] if self.head[0] else None)
        events.project_all(self.s, self.touched)
        self.s.flush()
        self.peer.held = int(self.s.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.station_id == self.sender)) or 0)  # fmt: skip


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _blob_hashes(record: dict[str, Any]) -> list[str]:
    out = []
    if record.get("portrait"):
        out.append(record["portrait"]["jpeg"])
    out += [f["image"] for f in record.get("fingerprints") or [] if f.get("image")]
    return out


@dataclass
class _New:
    """An enrollment just inserted: what the same-person and corrections checks read."""

    id: int
    uuid: str
    station_id: str
    resident_id: int
    corrects_id: int | None
    redo_of: str | None
    receipt_no: str | None
    draft: dict[str, Any]


def _corrections(draft: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    details = (draft or {}).get("details") or {}
    found = details.get("corrections") if isinstance(details, dict) else None
    return found if isinstance(found, dict) else {}


def merge(
    s: Session, me: str, c: Checked, recs: Iterator[tuple[dict[str, Any], list[bytes]]],
    result: ImportResult, progress: Callable[[int, int], None] | None = None,
    hook: Callable[[str], None] | None = None, *, kind: type[Merge] | None = None,
) -> None:  # fmt: skip
    """Merge one bundle; ``kind`` is the hub's :class:`Merge` (db/hub/merge.py) there."""
    from db.sync.outgoing import bounded_cache

    with bounded_cache(s):  # the bundle's images are written once: not kept in the cache
        m = (kind or Merge)(s, me, c, result)
        m.progress, m.hook = progress, hook
        m.run(recs)
