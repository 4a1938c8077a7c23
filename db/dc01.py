"""A person who is not in the register yet (form DC01): added at the desk, then enrolled.

Why through ``clean_row``: a person typed at the desk must be normalised exactly like an
imported one (folded search name, sort key, match key), or the lookup would not find them and
the next register import would add them a second time. The row is marked as added at the desk
(``review_flags``), so the register's keepers can check it against their records.

Why the register is checked first (DESIGN §6, db/sameperson.py): the officer who did not find
someone in the lookup (a typo, a name written another way) must not add them a second time.
A likely match refuses the form with :class:`LikelySamePerson`; the officer opens the person
from the register, or confirms that this is someone else (``not_same_as``: the candidates they
saw), which is audited and flagged on the new record. A match by ID number cannot be someone
else (the number is unique).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from db import audit
from db.actor import Actor
from db.corrections import dc01_extra
from db.errors import LikelySamePerson, StationError
from db.ethnicities import canonical_ethnicity, canonical_religion
from db.models import Resident, ResidentAlias
from db.register.validate import CleanRow, RowRejected, clean_row
from db.sameperson import PersonKey, likely_same
from db.search_index import village_tag, year_tag
from db.station import StationDB
from db.vntime import local_date, now_utc
from resources.i18n import N_

ADDED_AT_DESK = N_("added at the desk (DC01)")
CONFIRMED_DIFFERENT = N_("the officer confirmed this is not a likely match in the register")
MAX_CANDIDATES = 20


class PersonRejected(StationError):
    """The DC01 form cannot be saved; the message (an English message id) says why."""

    message = N_("This person cannot be added to the register.")


def _cleaned(values: dict[str, Any], today: date) -> CleanRow:
    try:
        row = clean_row(
            {**values, "home_visit_reason": values.get("home_visit_reason") or ""}, today
        )
    except RowRejected as exc:
        raise PersonRejected(str(exc)) from exc  # a message id of the register's rules
    for column, canonical in (("ethnicity", canonical_ethnicity), ("religion", canonical_religion)):
        row.values[column] = canonical(row.values[column]) or row.values[column]
    return row


def _key(v: dict[str, Any]) -> PersonKey:
    return PersonKey.of(v["personal_id"], v["full_name"], v["birth_year"], v["birth_date"],
                        v["village"])  # fmt: skip


def candidates(conn: Connection | Session, v: dict[str, Any]) -> tuple[list[int], bool]:
    """Residents likely the same person as the cleaned row ``v`` (ids), and whether one has
    its ID number. The name, year and village go through the search index (whole words and
    its year/village tags), then every candidate is judged by the one rule."""
    found: dict[int, bool] = {}
    pid = v["personal_id"]
    if pid:
        for (rid,) in conn.execute(select(Resident.id).where(Resident.personal_id == pid)):
            found[rid] = True
    key = _key(v)
    if key.name and key.birth_year and key.village and key.name.replace(" ", "").isalpha():
        words = " ".join(dict.fromkeys(f'"{w}"' for w in key.name.split()))
        match = f"{words} {year_tag(key.birth_year)} {village_tag(key.village)}"
        for rid, rpid, name, year, born, village in conn.execute(_BY_INDEX, {"match": match}):
            if rid not in found and likely_same(key, PersonKey.of(rpid, name, year, born, village)):
                found[rid] = False
    found = _kept(conn, found)
    ids = sorted(found)[:MAX_CANDIDATES]
    return ids, any(found[i] for i in ids)


def _kept(conn: Connection | Session, found: dict[int, bool]) -> dict[int, bool]:
    """A record the supervisor joined to another as the same person (db/quality.py: life
    status "duplicate", an alias) stands for the record kept."""
    if not found:
        return found
    rows = conn.execute(
        select(Resident.id, ResidentAlias.resident_id)
        .join(ResidentAlias, ResidentAlias.uuid == Resident.uuid)
        .where(Resident.id.in_(list(found)), Resident.life_status == "duplicate"))  # fmt: skip
    joined = {int(a): int(b) for a, b in rows}
    if not joined:
        return found
    out: dict[int, bool] = {}
    for rid, has_id in found.items():
        kept = joined.get(rid, rid)
        out[kept] = out.get(kept, False) or has_id
    return out


# Whole name words + the year and village tags: namesakes of that year in that village only.
_BY_INDEX = text(
    "SELECT id, personal_id, full_name, birth_year, birth_date, village FROM resident"
    " WHERE id IN (SELECT rowid FROM resident_fts WHERE resident_fts MATCH :match"
    f" LIMIT {MAX_CANDIDATES * 10})"
).columns(Resident.id, Resident.personal_id, Resident.full_name, Resident.birth_year,
          Resident.birth_date, Resident.village)  # fmt: skip


def likely_matches(db: StationDB, values: dict[str, Any], today: date | None = None) -> list[int]:
    """The register's residents likely the same person as the DC01 form's ``values`` (empty
    when the form cannot be read yet: the add will say why)."""
    try:
        row = _cleaned(values, today or local_date(now_utc()))
    except PersonRejected:
        return []
    with db.Session() as s:
        return candidates(s, row.values)[0]


def add_resident(
    db: StationDB, values: dict[str, Any], today: date | None = None, *, actor: Actor,
    not_same_as: Collection[int] = (),
) -> int:  # fmt: skip
    """Add a person from the DC01 form's fields; returns the new resident's id.

    ``values`` uses the register's column names (``birth_date`` as "dd/mm/yyyy" or a year,
    ``sex`` as "M"/"F") and the DC01 fields of db/corrections.DC01_FIELDS. Raises
    :class:`PersonRejected` with a reason (no name, bad number...), and
    :class:`LikelySamePerson` while the register holds someone likely the same person who is
    not in ``not_same_as`` (the candidates the officer saw and said are someone else).
    """
    today = today or local_date(now_utc())
    row = _cleaned(values, today)
    flags = [ADDED_AT_DESK, *row.problems]
    extra = dc01_extra({k: str(v) for k, v in values.items() if isinstance(v, str | int)})
    with db.Session.begin() as s:
        found, same_id = candidates(s, row.values)
        unseen = [i for i in found if i not in set(not_same_as)]
        if unseen or same_id:
            exc = LikelySamePerson(count=len(found))
            exc.candidate_ids, exc.same_id_number = tuple(found), same_id
            raise exc
        if found:
            flags.insert(1, CONFIRMED_DIFFERENT)
        row.values["review_flags"] = "; ".join(flags)
        r = Resident(station_id=db.station_id, extra=extra or None, **row.values)
        s.add(r)
        s.flush()
        details = "DC01" + (", confirmed not " + " ".join(f"#{i}" for i in found) if found
                            else "")  # fmt: skip
        audit.append(s, db.station_id, actor, "resident.add", "resident", r.id, details)
        return int(r.id)


__all__ = ["ADDED_AT_DESK", "PersonRejected", "add_resident", "candidates", "likely_matches"]
