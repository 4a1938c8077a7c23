"""Defects injected into a clean register, for the register-quality tests and the bench
(bench/register_quality.py): N of each kind the report looks for, and whether it found them.

Each duplicate is a copy of a clean resident made the way such records arise: the same ID
number arriving from a laptop's register at headquarters (``same_id``), one person typed again
under another number (``two_ids``) or without one (``no_id``), and one household's child typed
twice with a spelling variant (``variant``: a doubled letter, or y for i). Single defects change
one clean resident each. Every chosen resident is used for one defect only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from db.models import Resident, Station, new_uuid
from db.station import StationDB
from db.text import fold
from db.types import QualityReport

DUPLICATE_KINDS = ("same_id", "two_ids", "no_id", "variant")
SINGLE_KINDS = ("missing_id", "id_mismatch", "missing_fields", "no_village", "implausible_age")
_COPIED = ("personal_id", "old_id", "full_name", "search_name", "sort_key", "birth_year",
           "birth_date", "sex", "ethnicity", "religion", "hometown", "commune", "village",
           "village_key", "household_no", "relation_to_head", "residence_type", "phone",
           "home_visit_reason", "match_key", "content_hash")  # fmt: skip


@dataclass
class Injected:
    pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # uuids
    singles: dict[str, list[str]] = field(default_factory=dict)


def _variant(name: str) -> str | None:
    """The name with one spelling variant the strict rule does not fold away."""
    words = name.split()
    given = words[-1]
    if "i" in given and "y" not in given.lower():
        words[-1] = given.replace("i", "y", 1)
    elif len(given) >= 2 and given[-1].isalpha():
        words[-1] = given + given[-1]
    else:
        return None
    return " ".join(words)


def inject(db: StationDB, n: int, on: date, seed: int = 14) -> Injected:
    """N defects of each kind; returns what was injected, by uuid."""
    rng = random.Random(seed)
    out = Injected()
    with db.Session.begin() as s:
        laptop = Station(id=new_uuid(), name="Tổ lưu động", commune="Nà Hỳ", kind="mobile")
        s.add(laptop)
        adults = list(s.scalars(select(Resident).where(
            Resident.life_status.is_(None), Resident.personal_id.is_not(None),
            Resident.birth_date.is_not(None), Resident.birth_year <= on.year - 20,
            Resident.birth_year >= on.year - 90)))  # fmt: skip
        rng.shuffle(adults)
        pick = iter(adults)
        taken = set(s.scalars(select(Resident.personal_id).where(
            Resident.personal_id.is_not(None))))  # fmt: skip

        def free(head: str) -> str:
            """An unused number starting with ``head`` (PPP C YY: six digits)."""
            while (pid := f"{head}{rng.randrange(10**6):06d}") in taken:
                pass
            taken.add(pid)
            return pid

        def copy(r: Resident, **changes: Any) -> Resident:
            values = {c: getattr(r, c) for c in _COPIED} | changes
            c = Resident(uuid=new_uuid(), station_id=changes.pop("station_id", db.station_id),
                         **{k: v for k, v in values.items() if k != "station_id"})
            s.add(c)
            return c

        def pair(kind: str, r: Resident, c: Resident) -> None:
            out.pairs.setdefault(kind, []).append((r.uuid, c.uuid))

        for _ in range(n):
            r = next(pick)
            pair("same_id", r, copy(r, station_id=laptop.id, village="Bản " + (r.village or ""),
                                    village_key=fold("Bản " + (r.village or ""))))
            r = next(pick)
            pair("two_ids", r, copy(r, personal_id=free(r.personal_id[:6])))
            r = next(pick)
            pair("no_id", r, copy(r, personal_id=None, old_id=None))
            while (name := _variant((r := next(pick)).full_name)) is None:
                pass
            pair("variant", r, copy(r, personal_id=None, full_name=name, search_name=fold(name)))
            for kind in SINGLE_KINDS:
                r = next(pick)
                out.singles.setdefault(kind, []).append(r.uuid)
                if kind == "missing_id":
                    r.personal_id = None
                elif kind == "id_mismatch":
                    year_digits = f"{(int(r.personal_id[4:6]) + 1) % 100:02d}"
                    r.personal_id = free(r.personal_id[:4] + year_digits)
                elif kind == "missing_fields":
                    r.sex = None
                elif kind == "no_village":
                    r.village = r.village_key = None
                else:
                    r.birth_year, r.birth_date = on.year - 115, None
    return out


def found(report: QualityReport, injected: Injected) -> dict[str, tuple[int, int]]:
    """Per kind: (found, injected). A pair is found when one group of its kind holds both."""
    groups: dict[str, list[set[str]]] = {}
    for d in report.duplicates:
        groups.setdefault(d.kind, []).append({r.uuid for r in d.residents})
    out: dict[str, tuple[int, int]] = {}
    for kind in DUPLICATE_KINDS:
        pairs = injected.pairs.get(kind, [])
        hits = sum(any({a, b} <= g for g in groups.get(kind, [])) for a, b in pairs)
        out[kind] = (hits, len(pairs))
    for kind in SINGLE_KINDS:
        listed = {r.uuid for r in report.finding(kind).residents}
        wanted = injected.singles.get(kind, [])
        out[kind] = (sum(u in listed for u in wanted), len(wanted))
    return out


def alarms(report: QualityReport) -> int:
    """What the report says of a register with nothing injected: groups and single findings."""
    return len(report.duplicates) + sum(f.count for f in report.findings)
