"""The daily tally, computed by the database: the figures a supervisor signs (ARCHITECTURE.md).

What counts: every enrollment **received** in the period, i.e. submitted between 00:00 of
``date_from`` and 24:00 of ``date_to`` in Vietnam time (stored times are UTC; the UTC range is
computed once, so the index on ``submitted_at`` is used). Drafts, captured-but-not-submitted
and discarded enrollments have not been received and are not counted; the slip is what makes
an application exist for the citizen.

Every received enrollment goes through the supervisor's day review (flow 6), so its status is
exactly one of: waiting (``submitted``), approved (``approved`` or later: ``card_ready``,
``delivered``), or sent back (``returned``) — the three add up to the total, as
``printing.check_tally`` requires. Exceptions (flow 5) are not a separate status: they are
counted apart (``exceptions``) and wait in the same review. A correction of a returned enrollment
is a new enrollment counted on the day it is submitted; the returned one stays in its own day.

One aggregate query grouped by (officer, village, place, status, exception) returns at most a
few thousand small rows whatever the number of enrollments; they are rolled up into the
sections here. It also counts the level-2 electronic ID account requests (db/vneid.py) from
``enrollment.vneid_requested``, set at submission from the draft and part of the covering
index: parsing every draft's JSON made a quarter's tally 0.6 s slower (bench/printing.py).
A second query counts home visits as distinct (local day, household) pairs: a visit to one
household may enroll several people; a third sums the portrait retakes. On the hub the same
statements group every commune at once (db/grouping.py). The cards that arrived and went out
in the period (db/cards.counts) are counted by the event's time, whenever the enrollment was
received.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, func, literal, select

from db.cards import PLACES as CARD_PLACES
from db.cards import CardCounts
from db.cards import counts as card_counts
from db.cards import counts_by as card_counts_by
from db.dialect import local_day
from db.documents import UNASSIGNED_OFFICER, print_station, unknown_village
from db.enrollment import APPROVED_OR_LATER, PLACES, RECEIVED
from db.grouping import ONE, Grouping, within
from db.lifecycle import TRANSITIONS
from db.models import Enrollment, Fingerprint, Officer, Portrait, Resident
from db.models import Station as StationRow
from db.station import StationDB
from db.types import DayEnrollment
from db.vntime import local_day_bounds, now_utc
from printing import LaptopHead, Station, TallyData, TallyRow


def _received_between(start: datetime, end: datetime) -> Any:
    """Received in ``[start, end)``. The status test is written as NOT IN so that SQLite
    walks the ``submitted_at`` index (with ``IN`` it prefers the status index and reads every
    enrollment ever received: 180 ms instead of 1 ms for a day among 100,000)."""
    not_received = tuple(s for s in TRANSITIONS if s not in RECEIVED)
    return (
        (Enrollment.submitted_at >= start)
        & (Enrollment.submitted_at < end)
        & Enrollment.status.not_in(not_received)
    )


def compute_tally(
    db: StationDB,
    date_from: date,
    date_to: date | None = None,
    *,
    prepared_by: str = "",
    now: datetime | None = None,
    stations: Sequence[str] | None = None,
) -> TallyData:
    """The tally of enrollments received in Vietnam-local days ``date_from``..``date_to``; on
    the hub, of one commune's ``stations`` (its HQ and laptops)."""
    return compute_tallies(db, date_from, date_to, within(Enrollment.station_id, stations), [""],
                           prepared_by=prepared_by, now=now)[""]  # fmt: skip


def compute_tallies(
    db: StationDB,
    date_from: date,
    date_to: date | None,
    group: Grouping,
    keys: Sequence[str],
    *,
    prepared_by: str = "",
    now: datetime | None = None,
) -> dict[str, TallyData]:
    """:func:`compute_tally` of each group of ``keys`` in one pass (db/grouping.py; a group
    with nothing received has its tally of zeros)."""
    date_to = date_to or date_from
    start, end = local_day_bounds(date_from, date_to)
    where = _received_between(start, end)
    key, scope = group.key, group.scope
    # Portrait attempts beyond the first, summed apart (an enrollment has one portrait: a
    # retake replaces it, db/enrollment.attach_portrait): a correlated subquery in the grouped
    # query ran once per enrollment, half a second of a district's tally on PostgreSQL.
    retakes = scope(
        select(key, func.coalesce(func.sum(Portrait.attempts - 1), 0))
        .select_from(Enrollment)
        .join(Portrait, Portrait.enrollment_id == Enrollment.id)
        .where(where)
    ).group_by(key)
    groups = scope(
        select(
            key,
            Enrollment.officer_id,
            func.max(Officer.full_name),
            Resident.village_key,
            func.max(Resident.village),
            Enrollment.place,
            Enrollment.status,
            Enrollment.has_exception,
            func.count(),
            func.sum(case((Enrollment.reviewed_by_id == Enrollment.officer_id, 1), else_=0)),
            func.sum(case((vneid_requested(), 1), else_=0)),
        )
        .select_from(Enrollment)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .where(where)
    ).group_by(
        key,
        Enrollment.officer_id,
        Resident.village_key,
        Enrollment.place,
        Enrollment.status,
        Enrollment.has_exception,
    )
    day = cast(local_day(Enrollment.submitted_at), String)
    household = func.coalesce(Resident.household_no, literal("#") + cast(Resident.id, String))
    visit = day + literal("|") + household
    home = where & (Enrollment.place == "home")
    visits = scope(
        select(key, func.count(func.distinct(visit)))
        .select_from(Enrollment)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .where(home)
    ).group_by(key)
    visit_pairs = scope(
        select(key, visit).select_from(Enrollment)
        .join(Resident, Resident.id == Enrollment.resident_id).where(home)
    ).distinct()
    fingers = scope(
        select(
            key,
            func.count(func.distinct(case((Fingerprint.condition.is_not(None),
                                           Fingerprint.enrollment_id)))),
            func.count(Fingerprint.image),
            func.coalesce(func.sum(case((Fingerprint.image.is_not(None), Fingerprint.attempts),
                                        else_=0)), 0),
        )
        .select_from(Fingerprint)
        .join(Enrollment, Enrollment.id == Fingerprint.enrollment_id)
        .where(where)
    ).group_by(key)  # fmt: skip
    parts = {k: _Parts() for k in keys}

    def part(k: str) -> _Parts | None:
        g = group.group_of(k)
        return parts.get(g) if g is not None else None

    seen: dict[str, set[str]] = {}  # a group's distinct home visits, when it has several keys
    with db.Session() as s:
        rows = s.execute(groups).all()
        if group.groups is None:
            for k, n in s.execute(visits):
                if (p := part(k)) is not None:
                    p.home_visits = int(n or 0)
        else:
            for k, visit in s.execute(visit_pairs):
                g = group.group_of(k)
                if g in parts:
                    seen.setdefault(g, set()).add(visit)
        for k, n in s.execute(retakes):
            if (p := part(k)) is not None:
                p.retakes += int(n or 0)
        for k, with_conditions, prints, attempts in s.execute(fingers):
            if (p := part(k)) is not None:
                a, b, c = p.fingers
                p.fingers = (a + int(with_conditions or 0), b + int(prints or 0),
                             c + int(attempts or 0))  # fmt: skip
        if group is ONE:  # a station counts the cards of enrollments it may not hold too
            parts[keys[0]].cards = card_counts(s, start, end)
        else:
            for k, cards in card_counts_by(s, start, end, group).items():
                if (p := part(k)) is not None:
                    p.cards = p.cards.plus(cards)
    for g, visited in seen.items():
        parts[g].home_visits = len(visited)
    for k, *row in rows:
        if (p := part(k)) is not None:
            p.rows.append(row)
    station, heads, training = print_station(db), laptop_heads(db), _training(db)
    generated = now or now_utc()
    return {k: _tally(p, station, date_from, date_to, generated, prepared_by, heads, training)
            for k, p in parts.items()}  # fmt: skip


@dataclass
class _Parts:
    """What the queries gave for one group."""

    rows: list[Any] = field(default_factory=list)
    home_visits: int = 0
    retakes: int = 0
    fingers: tuple[int, int, int] = (0, 0, 0)
    cards: CardCounts = field(default_factory=lambda: CardCounts(0, dict.fromkeys(CARD_PLACES, 0)))


def _tally(p: _Parts, station: Station, date_from: date, date_to: date, generated: datetime,
           prepared_by: str, heads: tuple[LaptopHead, ...], training: bool) -> TallyData:
    officers: dict[int | None, list[Any]] = {}
    villages: dict[str | None, list[Any]] = {}
    places = dict.fromkeys(PLACES, 0)
    status: defaultdict[str, int] = defaultdict(int)
    total = exceptions = self_approved = requests = 0
    for officer_id, officer, vkey, village, place, st, exc, count, own, asked in p.rows:
        requests += int(asked or 0)
        total += count
        officers.setdefault(officer_id, [officer or UNASSIGNED_OFFICER, 0])[1] += count
        villages.setdefault(vkey or None, [village or unknown_village(), 0])[1] += count
        places[place if place in places else "hq"] += count
        status[st] += count
        exceptions += count if exc else 0
        self_approved += int(own or 0) if st in APPROVED_OR_LATER else 0
    by_officer = sorted((TallyRow(label, n) for label, n in officers.values()),
                        key=lambda r: (-r.count, r.label))  # fmt: skip
    unknown = villages.pop(None, None)
    by_village = sorted((TallyRow(label, n) for label, n in villages.values()),
                        key=lambda r: _village_order(r.label))  # fmt: skip
    if unknown:
        by_village.append(TallyRow(unknown[0], unknown[1]))
    with_conditions, prints, attempts = p.fingers
    return TallyData(
        station=station,
        date_from=date_from,
        date_to=date_to,
        generated_at=generated,
        total=total,
        by_officer=tuple(by_officer),
        by_village=tuple(by_village),
        by_place=places,
        home_visits=p.home_visits,
        exceptions=exceptions,
        portrait_retakes=p.retakes,
        pending_approval=status["submitted"],
        approved=sum(status[k] for k in APPROVED_OR_LATER),
        returned=status["returned"],
        self_approved=self_approved,
        prepared_by=prepared_by,
        finger_conditions=with_conditions,
        fingers_taken=prints,
        finger_attempts=attempts,
        laptops=heads,
        training=training,
        vneid_requests=requests,
        cards_arrived=p.cards.arrived,
        cards_delivered=p.cards.delivered,
    )


def vneid_requested() -> Any:
    """An enrollment whose person asked for a level-2 account (db/vneid.requested, recorded at
    submission): read from the tally's covering index."""
    return Enrollment.vneid_requested.is_(True)


def laptop_heads(db: StationDB) -> tuple[LaptopHead, ...]:
    """Headquarters' paired laptops with the head of their audit chain it holds."""
    from db.models import PairedStation

    with db.Session() as s:
        rows = s.scalars(select(PairedStation).where(
            PairedStation.kind == "mobile", PairedStation.audit_seq.is_not(None))
            .order_by(PairedStation.name)).all()  # fmt: skip
        return tuple(LaptopHead(p.name, int(p.audit_seq or 0), p.audit_hash or "",
                                p.last_bundle_at, int(p.held or 0)) for p in rows)  # fmt: skip


def _training(db: StationDB) -> bool:
    """A training station's tally says so (printing/training.py)."""
    with db.Session() as s:
        st = s.get(StationRow, db.station_id)
        return bool(st is not None and st.training)


def _village_order(label: str) -> tuple[str, int]:
    """Alphabetical, with numbered villages in number order ("Nậm Chim 2" before "… 10")."""
    from db.text import fold

    head, _, tail = fold(label).rpartition(" ")
    if tail.isdigit() and head:
        return head, int(tail)
    return fold(label), 0


def tally_to_json(t: TallyData) -> dict[str, Any]:
    """The tally as the CLI prints it with ``--json`` (the same figures as the PDF)."""
    return {
        "date": t.date_from.isoformat(),
        "date_to": t.date_to.isoformat(),
        "station": t.station.station_name,
        "generated_at": t.generated_at.isoformat(),
        "total": t.total,
        "by_officer": [{"officer": r.label, "count": r.count} for r in t.by_officer],
        "by_village": [{"village": r.label, "count": r.count} for r in t.by_village],
        "by_place": dict(t.by_place),
        "home_visits": t.home_visits,
        "exceptions": t.exceptions,
        "portrait_retakes": t.portrait_retakes,
        "pending_approval": t.pending_approval,
        "approved": t.approved,
        "returned": t.returned,
        "self_approved": t.self_approved,
        "finger_conditions": t.finger_conditions,
        "vneid_requests": t.vneid_requests,
        "cards": {"arrived": t.cards_arrived, "delivered": dict(t.cards_delivered)},
        "mean_finger_attempts": (round(t.mean_finger_attempts, 2)
                                 if t.mean_finger_attempts is not None else None),
        "laptops": [{"name": h.name, "audit_seq": h.seq, "audit_head": h.digest,
                     "last_file_at": h.received_at.isoformat() if h.received_at else None,
                     "enrollments_held": h.held} for h in t.laptops],
    }


def day_enrollments(
    db: StationDB, day: date, *, include_unfinished: bool = False
) -> list[DayEnrollment]:
    """Enrollments received on a local day (the tally's set), in order of receipt.

    ``include_unfinished`` adds the drafts and captured enrollments started that day.
    """
    start, end = local_day_bounds(day)
    cond = _received_between(start, end)
    if include_unfinished:
        cond = cond | (
            (Enrollment.created_at >= start)
            & (Enrollment.created_at < end)
            & Enrollment.status.in_(("draft", "captured"))
        )
    # The fields of DayEnrollment, in order: select() leaves the row open-ended past ten columns.
    stmt: Select[
        str, str | None, str, str | None, str | None, str | None, str, str, datetime | None, bool
    ] = (
        select(Enrollment.uuid, Enrollment.receipt_no, Resident.full_name, Resident.personal_id,
               Resident.village, Officer.full_name, Enrollment.place, Enrollment.status,
               Enrollment.submitted_at, Enrollment.has_exception)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .where(cond)
        .order_by(case((Enrollment.submitted_at.is_(None), 1), else_=0),
                  Enrollment.submitted_at, Enrollment.id)
    )  # fmt: skip
    with db.Session() as s:
        return [DayEnrollment(*row) for row in s.execute(stmt)]
