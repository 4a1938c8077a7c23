"""Reports across communes: the campaign's tally and coverage, computed by the stations' own
queries (db/tally.py, db/coverage.py) in one pass grouped by station, each station's rows
counted in its commune (db/grouping.py), and their sum for the district.

A commune is its official code (db/places.py), whatever its stations typed: two headquarters
of one code (one set up again) are one commune, and a commune without a code (a name the list
does not know) is its headquarters alone. Each commune's figures are the very figures its own
station computes (tests/db/test_hub_reports.py checks it); the district's are their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from db.coverage import coverages
from db.errors import InvalidInput
from db.grouping import Grouping
from db.models import Enrollment, PairedStation, Resident, Station
from db.station import StationDB
from db.tally import compute_tallies, tally_to_json
from db.text import fold
from db.types import CoverageReport, CoverageRow
from resources.i18n import N_


@dataclass(frozen=True)
class Commune:
    key: str  # the official code, or the HQ's station id when it has none
    code: str | None
    name: str  # the official name when there is a code
    province_code: str | None
    hqs: tuple[str, ...]
    stations: tuple[str, ...]  # the HQs and the laptops their records came from

    def to_json(self) -> dict[str, Any]:
        return {"commune": self.name, "commune_code": self.code,
                "province_code": self.province_code, "stations": list(self.stations)}


def communes(db: StationDB) -> list[Commune]:
    """Every commune with a paired headquarters, by official code."""
    from db import places

    with db.Session() as s:
        rows = list(s.scalars(select(Station)))
        paired = set(s.scalars(select(PairedStation.station_id).where(
            PairedStation.kind == "hq")))  # fmt: skip
    hqs = [st for st in rows if st.kind == "hq" and st.id in paired]
    groups: dict[str, list[Station]] = {}
    for hq in hqs:
        groups.setdefault(hq.commune_code or hq.id, []).append(hq)
    out = []
    for key, members in groups.items():
        code = members[0].commune_code
        place = places.by_code(code)
        ids = tuple(sorted(h.id for h in members))
        laptops = tuple(sorted(st.id for st in rows if st.hq_id in ids))
        out.append(Commune(key, code, place.short if place else members[0].commune,
                           members[0].province_code, ids, ids + laptops))  # fmt: skip
    return sorted(out, key=lambda c: (c.code or "~", fold(c.name)))


def find(db: StationDB, text: str) -> Commune:
    """``--commune``: an official code, a name (with or without marks) or a station id."""
    wanted = fold(text)
    for c in communes(db):
        if text.strip() in (c.code, c.key, *c.hqs) or fold(c.name) == wanted:
            return c
    raise InvalidInput(N_("No commune paired with the hub is called “{name}”: hub status lists "
                          "them with their codes."), name=text)  # fmt: skip


# --- the tally ------------------------------------------------------------------------------

_SUMMED = ("total", "home_visits", "exceptions", "portrait_retakes", "pending_approval",
           "approved", "returned", "self_approved", "finger_conditions", "vneid_requests")


@dataclass(frozen=True)
class HubTally:
    date_from: date
    date_to: date
    communes: tuple[tuple[Commune, dict[str, Any]], ...]
    district: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date_from.isoformat(), "date_to": self.date_to.isoformat(),
                "communes": [{**c.to_json(), "tally": t} for c, t in self.communes],
                "district": self.district}  # fmt: skip


def _sum_tallies(tallies: Sequence[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: sum(int(t[k]) for t in tallies) for k in _SUMMED}
    places: dict[str, int] = {}
    delivered: dict[str, int] = {}
    for t in tallies:
        for k, v in t["by_place"].items():
            places[k] = places.get(k, 0) + int(v)
        for k, v in t["cards"]["delivered"].items():
            delivered[k] = delivered.get(k, 0) + int(v)
    out["by_place"] = places
    out["cards"] = {"arrived": sum(int(t["cards"]["arrived"]) for t in tallies),
                    "delivered": delivered}  # fmt: skip
    return out


def by_commune(column: Any, chosen: Sequence[Commune]) -> Grouping:
    """Rows grouped by their station (``column``), each station counted in its commune."""
    groups = {st: c.key for c in chosen for st in c.stations}
    stations = sorted(groups)
    return Grouping(column, lambda stmt: stmt.where(column.in_(stations)), groups)


def tally(db: StationDB, date_from: date, date_to: date | None = None,
          commune: str | None = None) -> HubTally:  # fmt: skip
    date_to = date_to or date_from
    chosen = [find(db, commune)] if commune else communes(db)
    tallies = compute_tallies(db, date_from, date_to, by_commune(Enrollment.station_id, chosen),
                              [c.key for c in chosen])  # fmt: skip
    rows = []
    for c in chosen:
        doc = tally_to_json(tallies[c.key])
        doc["station"] = c.name
        doc.pop("laptops", None)  # the commune's own tally lists them (the hub pairs none)
        rows.append((c, doc))
    return HubTally(date_from, date_to, tuple(rows), _sum_tallies([d for _c, d in rows]))


# --- coverage --------------------------------------------------------------------------------

_ROW_FIELDS = ("must_hold", "enrolled", "in_progress", "not_yet", "not_applicable", "aged_6_13",
               "aged_6_13_enrolled", "under_6", "under_6_enrolled", "vneid_requests",
               "cards_arrived", "cards_delivered")  # fmt: skip


@dataclass(frozen=True)
class HubCoverage:
    on: date
    communes: tuple[tuple[Commune, CoverageReport], ...]
    district: CoverageRow

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(),
                "communes": [{**c.to_json(), **r.total.to_json("commune"), "commune": c.name,
                              "villages": [v.to_json() for v in r.villages]}
                             for c, r in self.communes],
                "district": self.district.to_json("district")}  # fmt: skip


def coverage(db: StationDB, on: date, commune: str | None = None) -> HubCoverage:
    chosen = [find(db, commune)] if commune else communes(db)
    found = coverages(db, on, by_commune(Enrollment.station_id, chosen),
                      by_commune(Resident.station_id, chosen), [c.key for c in chosen])
    reports = tuple((c, found[c.key]) for c in chosen)
    sums = {f: sum(getattr(r.total, f) for _c, r in reports) for f in _ROW_FIELDS}
    return HubCoverage(on, reports, CoverageRow(None, None, **sums))
