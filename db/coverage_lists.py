"""Who exactly is behind a coverage number (issue 14): "not yet" in Huổi Cơ Mông, the 6–13 year
olds enrolled, the residents no longer counted — on screen, on paper, from the command line.

The list is selected with the very CASE expressions the counts group by (db/coverage.py
``_group_sql``/``_state_sql``), so a list always has as many people as its number says
(tests/db/test_coverage.py checks every cell of a built commune). Sorted in Vietnamese order:
by village (numbered villages in number order), then the register's collation key.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from db.coverage import _group_sql, _state_sql
from db.labels import VISIT_REASONS, label
from db.models import Resident
from db.station import StationDB
from db.types import COVERAGE_GROUPS, COVERAGE_STATES, NO_VILLAGE, CoverageList, CoverageListRow
from printing.model import CoverageListData, CoverageListLine
from resources.i18n import N_

NOT_APPLICABLE = "not_applicable"
GROUP_NAMES = {"must_hold": N_("aged 14 and over"), "aged_6_13": N_("aged 6–13"),
               "under_6": N_("under 6")}  # fmt: skip
STATE_NAMES = {"enrolled": N_("Enrolled"), "in_progress": N_("In progress"),
               "not_yet": N_("Not yet"), "not_applicable": N_("Not applicable")}  # fmt: skip


def check_cell(group: str | None, state: str) -> str | None:
    """The group the cell means: none for "not applicable" (those residents are in no age
    group), "must_hold" when not said. ``ValueError`` for a code that is not one."""
    if state not in COVERAGE_STATES:
        raise ValueError(f"unknown coverage state {state!r}")
    if state == NOT_APPLICABLE:
        return None
    group = group or "must_hold"
    if group not in COVERAGE_GROUPS:
        raise ValueError(f"unknown coverage group {group!r}")
    return group


def coverage_list(
    db: StationDB, on: date, state: str, group: str | None = None, village: str | None = None,
    *, home_visits_only: bool = False,
) -> CoverageList:  # fmt: skip
    """The residents of one coverage cell on ``on``: ``village`` a name (None: the commune;
    NO_VILLAGE: those without one), ``group`` an age group, ``state`` an enrollment state;
    ``home_visits_only`` keeps those the register or an officer flagged for a home visit."""
    from db.tally import _village_order
    from db.text import fold

    group = check_cell(group, state)
    grp, (st, states) = _group_sql(on), _state_sql()
    stmt = (select(Resident.uuid, Resident.full_name, Resident.birth_date, Resident.birth_year,
                   Resident.sex, Resident.village, Resident.household_no, Resident.phone,
                   Resident.home_visit_reason, Resident.home_visit_note, Resident.sort_key,
                   st)
            .outerjoin(states, states.c.resident_id == Resident.id)
            .where(grp == (group or NOT_APPLICABLE)))  # fmt: skip
    if group is not None:
        stmt = stmt.where(st == state)
    if village == NO_VILLAGE:
        stmt = stmt.where(or_(Resident.village_key.is_(None), Resident.village_key == ""))
    elif village is not None:
        stmt = stmt.where(Resident.village_key == fold(village))
    if home_visits_only:
        stmt = stmt.where(Resident.home_visit_reason.is_not(None),
                          Resident.home_visit_reason != "none")  # fmt: skip
    with db.Session() as s:
        found = list(s.execute(stmt).all())
    found.sort(key=lambda r: (r.village is None or r.village == "",
                              _village_order(r.village or ""), r.sort_key, r.uuid))  # fmt: skip
    rows = tuple(CoverageListRow(r.uuid, r.full_name, r.birth_date, r.birth_year, r.sex,
                                 r.village, r.household_no, r.phone,
                                 r.home_visit_reason or "none", r.home_visit_note, state)
                 for r in found)  # fmt: skip
    label = None if village is None else (village if village == NO_VILLAGE else
                                          next((r.village for r in rows if r.village), village))
    return CoverageList(on, village, label, group, state, home_visits_only, rows)


def cell_title(cl: CoverageList) -> tuple[str, str]:
    """Which cell a list is, in words: (where, what) — "Huổi Cơ Mông", "aged 14 and over:
    not yet" (translated)."""
    from db.documents import unknown_village
    from resources.i18n import _

    where = _("Whole commune") if cl.village is None else cl.village_label or unknown_village()
    what = _(STATE_NAMES[cl.state])
    if cl.group is not None:
        what = _("{group}: {state}").format(group=_(GROUP_NAMES[cl.group]), state=what)
    if cl.home_visits_only:
        what += " – " + _("home-visit cases only")
    return where, what


def coverage_list_sheet(db: StationDB, cl: CoverageList) -> CoverageListData:
    """The list as the printed sheet takes it (printing/ knows no db types)."""
    from db.documents import print_station, unknown_village
    from db.models import Station
    from db.vntime import now_utc
    from resources.i18n import _

    sexes = {"M": _("Male"), "F": _("Female")}
    with db.Session() as s:
        st = s.get(Station, db.station_id)
        training = bool(st is not None and st.training)
    where, what = cell_title(cl)
    lines = tuple(CoverageListLine(
        full_name=r.full_name, birth=r.birth_display, sex=sexes.get(r.sex or "", ""),
        village=r.village or unknown_village(), household_no=r.household_no or "",
        phone=r.phone or "",
        home_visit="" if r.home_visit_reason == "none" else label(VISIT_REASONS,
                                                                  r.home_visit_reason),
        note=r.home_visit_note or "") for r in cl.rows)  # fmt: skip
    return CoverageListData(station=print_station(db), on=cl.on, generated_at=now_utc(),
                            where=where, what=what, lines=lines,
                            training=training)  # fmt: skip
