"""How far the commune is from "everyone enrolled" (issue 14): coverage per village.

Every resident falls in exactly one age group on the day asked (``on``): must hold a card
(14 and over, or birth unknown: the law assumes an adult), 6–13 (biometrics on request), under
6. A resident with a ``life_status`` (deceased, moved away, a duplicate record) is "not
applicable" and in no age group. Of those who must hold a card:

- **enrolled**: an enrollment received and not sent back — submitted, approved, card ready or
  delivered (the tally's received set without "returned");
- **in progress**: none of those, but one started (draft, captured) or sent back awaiting its
  correction;
- **not yet**: nothing at all.

Ages: a full birth date gives the exact age on ``on``; a year-only birth (common for elderly
people) counts the age reached during that year, so someone "born 2012" must hold a card
throughout 2026.

One grouped query (the database counts; a few thousand rows come back) and the sections summed
in Python (bench/coverage.py); the SQL stays dialect-neutral for the hub.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import aliased

from db.grouping import ONE, Grouping, within
from db.models import Enrollment, Resident, ResidentAlias
from db.station import StationDB
from db.types import CoverageReport, CoverageRow
from printing.model import CoverageData, CoverageLine

MUST_HOLD_FROM = 14
BIOMETRICS_FROM = 6
ENROLLED = ("submitted", "approved", "card_ready", "delivered")
IN_PROGRESS = ("draft", "captured", "returned")
NOT_APPLICABLE = ("deceased", "moved_away", "duplicate")


#: What a person counts for besides their state: asked for a level-2 VNeID account, their card
#: arrived (handed over or not), their card was handed over (db/cards.py).
_EXTRA = ("vneid", "arrived", "delivered")


def age_on(birth_date: date | None, birth_year: int | None, on: date) -> int | None:
    """Age on ``on``; a year-only birth counts the age reached during that year."""
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if birth_year is not None:
        return on.year - birth_year
    return None


def group_of(age: int | None) -> str:
    if age is None or age >= MUST_HOLD_FROM:
        return "must_hold"
    return "aged_6_13" if age >= BIOMETRICS_FROM else "under_6"


def state_of(enrolled: bool, started: bool) -> str:
    return "enrolled" if enrolled else "in_progress" if started else "not_yet"


class _Counts:
    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n: defaultdict[str, int] = defaultdict(int)

    def add(self, group: str, state: str | None, n: int = 1,
            extra: tuple[int, int, int] = (0, 0, 0)) -> None:  # fmt: skip
        if group == "not_applicable":
            self.n["not_applicable"] += n
            return
        self.n[group] += n
        for name, k in zip(_EXTRA, extra, strict=True):
            self.n[name] += k
        if state is not None:
            self.n[f"{group}_{state}"] += n

    def row(self, label: str | None, key: str | None = None) -> CoverageRow:
        n = self.n
        return CoverageRow(
            label=label, key=key, must_hold=n["must_hold"], enrolled=n["must_hold_enrolled"],
            in_progress=n["must_hold_in_progress"], not_yet=n["must_hold_not_yet"],
            not_applicable=n["not_applicable"], aged_6_13=n["aged_6_13"],
            aged_6_13_enrolled=n["aged_6_13_enrolled"], under_6=n["under_6"],
            under_6_enrolled=n["under_6_enrolled"], vneid_requests=n["vneid"],
            cards_arrived=n["arrived"], cards_delivered=n["delivered"],
        )  # fmt: skip


def _in(table: dict[Any, _Counts], key: Any) -> _Counts:
    found = table.get(key)
    if found is None:
        found = table[key] = _Counts()
    return found


def years_before(on: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29th in a common year): whoever was
    born on or before it has reached that age on ``on`` (as :func:`age_on` counts)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _group_sql(on: date) -> Any:
    """:func:`group_of` of :func:`age_on`, as SQL (and "not_applicable" first)."""
    born, year = Resident.birth_date, Resident.birth_year
    return case(
        (Resident.life_status.in_(NOT_APPLICABLE), "not_applicable"),
        (born.is_not(None) & (born <= years_before(on, MUST_HOLD_FROM)), "must_hold"),
        (born.is_not(None) & (born <= years_before(on, BIOMETRICS_FROM)), "aged_6_13"),
        (born.is_not(None), "under_6"),
        (year.is_(None) | (year <= on.year - MUST_HOLD_FROM), "must_hold"),
        (year <= on.year - BIOMETRICS_FROM, "aged_6_13"),
        else_="under_6",
    )


def _state_sql(group: Grouping = ONE) -> tuple[Any, Any]:
    """:func:`state_of`, as SQL: each person's best enrollment state, counted once over the
    enrollments (2 enrolled, 1 started) and joined to the residents; ``vneid`` is 1 for a
    person whose enrolled enrollment asked for a level-2 VNeID account (a person counts once,
    as they do enrolled; ``enrollment.vneid_requested``, set at submission from the draft)."""
    enrolled = Enrollment.status.in_(ENROLLED)
    rank = case((enrolled, 2), (Enrollment.status.in_(IN_PROGRESS), 1), else_=0)
    asked = case((enrolled & Enrollment.vneid_requested.is_(True), 1), else_=0)
    arrived = case((Enrollment.status.in_(("card_ready", "delivered")), 1), else_=0)
    delivered = case((Enrollment.status == "delivered", 1), else_=0)
    # An enrollment of a record later joined to another as the same person (db/quality.py)
    # counts for the record kept as well: a second branch, from the few aliases to their
    # enrollments by index (a join from every enrollment to the aliases instead made the
    # query a thousand times slower: bench/coverage.py).
    dup = aliased(Resident)
    mine = group.scope(select(
        Enrollment.resident_id.label("rid"), rank.label("rank"), asked.label("asked"),
        arrived.label("arrived"), delivered.label("delivered"),
    ).select_from(Enrollment))  # fmt: skip
    kept = group.scope(
        select(ResidentAlias.resident_id.label("rid"), rank.label("rank"), asked.label("asked"),
               arrived.label("arrived"), delivered.label("delivered"))
        .select_from(ResidentAlias)
        .join(dup, (dup.uuid == ResidentAlias.uuid) & (dup.life_status == "duplicate"))
        .join(Enrollment, Enrollment.resident_id == dup.id))  # fmt: skip
    each = union_all(mine, kept).subquery("each")
    states = (select(each.c.rid.label("resident_id"), func.max(each.c.rank).label("rank"),
                     func.max(each.c.asked).label("vneid"),
                     func.max(each.c.arrived).label("arrived"),
                     func.max(each.c.delivered).label("delivered"))
              .group_by(each.c.rid).subquery("states"))  # fmt: skip
    state = case((states.c.rank == 2, "enrolled"), (states.c.rank == 1, "in_progress"),
                 else_="not_yet")  # fmt: skip
    return state, states


def coverage(db: StationDB, on: date, village: str | None = None, *,
             stations: Sequence[str] | None = None) -> CoverageReport:  # fmt: skip
    """Coverage of the commune on ``on``: totals, per village (register order: by name, numbered
    villages in number order), per ethnicity and per sex. On the hub ``stations`` are one
    commune's (its HQ and laptops): their residents and enrollments only."""
    return coverages(db, on, within(Enrollment.station_id, stations),
                     within(Resident.station_id, stations), [""], village)[""]  # fmt: skip


def coverages(
    db: StationDB, on: date, enrollments: Grouping, residents: Grouping, keys: Sequence[str],
    village: str | None = None,
) -> dict[str, CoverageReport]:  # fmt: skip
    """:func:`coverage` of each group of ``keys`` in one pass (db/grouping.py): a resident is
    counted in their register's group, with the enrollments ``enrollments`` scopes (on the hub
    a resident's enrollments are all of the resident's commune: db/hub/merge.py sees to it)."""
    from db.text import fold

    group, (state, states) = _group_sql(on), _state_sql(enrollments)
    key = residents.key
    cells = (residents.scope(
        select(key.label("k"), Resident.village_key.label("vkey"),
               Resident.ethnicity.label("ethnicity"), Resident.sex.label("sex"),
               group.label("grp"), state.label("st"), func.count().label("n"),
               func.coalesce(func.sum(states.c.vneid), 0).label("vneid"),
               func.coalesce(func.sum(states.c.arrived), 0).label("got"),
               func.coalesce(func.sum(states.c.delivered), 0).label("out"),
               func.max(Resident.village).label("name"))
        .select_from(Resident))
        .outerjoin(states, states.c.resident_id == Resident.id)
        .group_by(key, Resident.village_key, Resident.ethnicity, Resident.sex, group, state))
    if village:
        cells = cells.where(Resident.village_key == fold(village))
    # The database groups, and sums each section (villages, ethnicities, sexes) from the
    # cells: a few hundred rows a commune come back whatever the register's size (summing a
    # district's 60,000 cells in Python was half its coverage's time). The age test is a
    # comparison with the birth date 14 (6) years before ``on``: the same SQL on SQLite and
    # PostgreSQL, but for the sections' grouping.
    if db.engine.dialect.name == "postgresql":
        stmt = _sections_pg(cells)
    else:
        c = cells.cte("cells")
        sums = (func.sum(c.c.n), func.sum(c.c.vneid), func.sum(c.c.got), func.sum(c.c.out))
        stmt = union_all(*(
            select(literal(section), c.c.k, dim, c.c.grp, c.c.st, *sums, func.max(c.c.name))
            .group_by(c.c.k, dim, c.c.grp, c.c.st)
            for section, dim in (("village", c.c.vkey), ("ethnicity", c.c.ethnicity),
                                 ("sex", c.c.sex))))  # fmt: skip
    found = {k: _Sections() for k in keys}
    with db.Session() as s:
        for section, k, value, grp, st, n, *more, name in s.connection().execute(stmt).all():
            g = residents.group_of(k)
            if g in found:
                found[g].add(section, value, grp, st, int(n), more, name)
    return {k: sections.report(on) for k, sections in found.items()}


def _sections_pg(cells: Any) -> Any:
    """The same rows in one grouping on PostgreSQL (``GROUPING SETS``, which SQLite lacks):
    no table of cells between, a district's coverage 0.2 s sooner (bench/hub.py)."""
    from sqlalchemy import tuple_

    vkey, ethnicity, sex = Resident.village_key, Resident.ethnicity, Resident.sex
    which = func.grouping(vkey, ethnicity, sex)  # the set's bits: 3 village, 5 ethnicity, 6 sex
    section = case((which == 3, "village"), (which == 5, "ethnicity"), else_="sex")
    value = case((which == 3, vkey), (which == 5, ethnicity), else_=sex)
    c = cells.selected_columns
    return (cells.with_only_columns(section, c.k, value, c.grp, c.st, c.n, c.vneid, c.got,
                                    c.out, c.name)
            .group_by(None)
            .group_by(c.k, c.grp, c.st, func.grouping_sets(
                tuple_(vkey), tuple_(ethnicity), tuple_(sex))))  # fmt: skip


class _Sections:
    """One group's sections as the database summed them, and the report they make."""

    def __init__(self) -> None:
        self.total = _Counts()
        self.villages: dict[str | None, _Counts] = {}
        self.ethnicities: dict[str, _Counts] = {}
        self.sexes: dict[str, _Counts] = {}
        self.names: dict[str, str] = {}  # a village's name as the register writes it

    def add(self, section: str, value: str | None, grp: str, st: str | None, n: int,
            more: list[Any], name: str | None) -> None:  # fmt: skip
        st = None if grp == "not_applicable" else st
        extra = (int(more[0] or 0), int(more[1] or 0), int(more[2] or 0))
        if section == "village":
            _in(self.villages, value or None).add(grp, st, n, extra)
            if value and name and name > self.names.get(value, ""):
                self.names[value] = name
        elif section == "ethnicity":
            _in(self.ethnicities, value or "").add(grp, st, n, extra)
        else:  # every person has one row by sex: the total is their sum
            _in(self.sexes, value or "").add(grp, st, n, extra)
            self.total.add(grp, st, n, extra)

    def report(self, on: date) -> CoverageReport:
        from db.tally import _village_order

        names, villages = self.names, self.villages
        by_village = sorted((c.row(names.get(k) or "", k) for k, c in villages.items()
                             if k is not None),
                            key=lambda r: _village_order(r.label or ""))  # fmt: skip
        if None in villages:
            by_village.append(villages[None].row(None, None))
        return CoverageReport(
            on=on, total=self.total.row(None),
            villages=tuple(by_village),
            by_ethnicity=tuple(sorted((c.row(k or None, k) for k, c in self.ethnicities.items()),
                                      key=lambda r: (-r.must_hold, r.label or ""))),
            by_sex=tuple(sorted((c.row(k or None, k) for k, c in self.sexes.items()),
                                key=lambda r: r.key or "~")),
        )  # fmt: skip


def coverage_sheet(db: StationDB, report: CoverageReport) -> CoverageData:
    """The report as the printed sheet takes it (printing/ knows no db types)."""
    from db.documents import print_station, unknown_village
    from db.models import Station
    from db.vntime import now_utc
    from resources.i18n import _

    sexes = {"M": _("Male"), "F": _("Female")}

    def line(r: CoverageRow, label: str) -> CoverageLine:
        return CoverageLine(label, r.must_hold, r.enrolled, r.in_progress, r.not_yet,
                            r.not_applicable, r.aged_6_13, r.under_6,
                            r.vneid_requests, r.cards_arrived, r.cards_delivered)  # fmt: skip

    with db.Session() as s:
        st = s.get(Station, db.station_id)
        training = bool(st is not None and st.training)
    return CoverageData(
        station=print_station(db), on=report.on, generated_at=now_utc(),
        total=line(report.total, ""),
        villages=tuple(line(r, r.label or unknown_village()) for r in report.villages),
        by_ethnicity=tuple(line(r, r.label or unknown_village()) for r in report.by_ethnicity),
        by_sex=tuple(line(r, sexes.get(r.key or "", unknown_village())) for r in report.by_sex),
        training=training,
    )  # fmt: skip
