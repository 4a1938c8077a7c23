"""The register-quality report ("sạch, sống", issue 14) and the supervisor's actions on it.

What it finds, over every resident the station holds that still counts (no ``life_status``;
at headquarters that includes the laptops' DC01 people merged in, which is where one ID number
can appear twice — one station's register allows each number once):

- **likely duplicates** by DESIGN §6's rule, db/sameperson.likely_same and nothing else:
  ``same_id`` (one ID number twice), ``two_ids`` (same folded name, birth and village under
  different numbers), ``no_id`` (the same, one or all without a number);
- **weak candidates** (``variant``): the same household number and birth, names equal once
  spelling variants are folded too (:func:`loose_name`: tone marks and diacritics as fold does,
  y read as i, k as c, gh/ngh as g/ng, z as d, doubled letters single) — what one family's
  records look like when two clerks typed one child ("Thúy"/"Thúi", "Sùng"/"Sùngg") or the
  village was left out of one record, which the strict rule cannot match;
- **single-record defects**: no ID number at 14 or over (or birth unknown: the law assumes an
  adult), ID digits that disagree with the birth year or sex (db/idnumber), no full name, birth
  or sex, no village, and an age over 110 on the day (probably deceased, unreported).

Speed: one streaming pass over the register's compact columns fills three dicts (ID number;
name + village + birth year; household + birth year + loose name); the rule is applied only
inside those buckets (two or three people), never pairwise over the register
(bench/register_quality.py: 20,000 and 600,000 residents). Lists are cut at LIST_LIMIT per
finding; the counts are exact.

Actions (supervisor or administrator, ``register.clean``), each audited in its own transaction,
none deleting a resident: the same person (the other becomes ``life_status = "duplicate"`` and
a ResidentAlias to the kept one, so searches and sync find the kept one), deceased / moved away
and back, "not the same person" (a QualityDismissal: never proposed again), and a field fixed
(the import's own cleaning re-derives the search name, keys, flags and content hash, so the fix
travels to laptops like an updated register row).
"""

from __future__ import annotations

import gc
import queue
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import audit
from db.actor import Actor
from db.coverage import MUST_HOLD_FROM, years_before
from db.dc01 import ADDED_AT_DESK, CONFIRMED_DIFFERENT
from db.errors import InvalidInput
from db.idnumber import century_digit, check_personal_id
from db.models import Officer, QualityDismissal, Resident, ResidentAlias, utcnow
from db.register.validate import TEXT_FIELDS, RowRejected, clean_row
from db.sameperson import PersonKey, likely_same, same_birth
from db.station import StationDB
from db.types import DuplicateGroup, QualityFinding, QualityReport, QualityResident
from resources.i18n import N_

LIST_LIMIT = 500
MAX_AGE = 110
DUPLICATE_KINDS = ("same_id", "two_ids", "no_id", "variant")
FINDING_KINDS = ("missing_id", "id_mismatch", "missing_fields", "no_village", "implausible_age")
MARKS = {"deceased": "deceased", "moved_away": "moved_away", "clear": None}
FIX_FIELDS = ("full_name", "birth", "sex", "personal_id", "village", "household_no")
_MISMATCH = frozenset({
    N_("century digit does not match birth year"), N_("year digits do not match birth year"),
    N_("century/sex digit does not match sex"),
})  # fmt: skip
_KEPT_FLAGS = (ADDED_AT_DESK, CONFIRMED_DIFFERENT)

# The compact columns of the pass (no full name: search_name is its fold).
_PASS = ("SELECT id, personal_id, search_name, birth_year, birth_date, sex, village_key,"
         " household_no FROM resident WHERE life_status IS NULL")  # fmt: skip

# Spelling variants folded away for the weak candidates, applied to an already folded name.
_VARIANTS = ((re.compile(r"ngh"), "ng"), (re.compile(r"gh"), "g"), (re.compile(r"y"), "i"),
             (re.compile(r"k"), "c"), (re.compile(r"z"), "d"),
             (re.compile(r"([a-z])\1+"), r"\1"))  # fmt: skip


@lru_cache(maxsize=65536)
def loose_name(folded: str) -> str:
    """A folded name with its spelling variants folded too (registers repeat names a lot)."""
    for pattern, repl in _VARIANTS:
        folded = pattern.sub(repl, folded)
    return folded


# --- the report ---------------------------------------------------------------------------


Row = tuple[Any, ...]  # the pass's columns: id, ID number, folded name, year, birth, sex, ...


class _Pass:
    """The buckets and counts of one streaming pass (:func:`_scan`)."""

    def __init__(self, on: date) -> None:
        self.on = on
        self.examined = 0
        # Each bucket keeps its first row in ``first`` and only the others in ``more``: a
        # register's 600,000 keys cost no list each.
        self.more: dict[str, defaultdict[Any, list[Row]]] = {
            k: defaultdict(list) for k in ("pid", "name", "house")}
        self.first: dict[str, dict[Any, Row]] = {k: {} for k in ("pid", "name", "house")}
        self.found: dict[str, list[int]] = {k: [] for k in FINDING_KINDS}
        self.counts: dict[str, int] = dict.fromkeys(FINDING_KINDS, 0)

    def note(self, kind: str, rid: int) -> None:
        self.counts[kind] += 1
        if len(self.found[kind]) < LIST_LIMIT:
            self.found[kind].append(rid)

    def buckets(self, which: str) -> Iterable[list[Row]]:
        first = self.first[which]
        for key, others in self.more[which].items():
            yield [first[key], *others]


def _prefix(year: int, sex: str) -> str:
    """The century/sex digit and year digits an ID number should have ("" outside 1800-2299)."""
    try:
        return f"{century_digit(year, sex)}{year % 100:02d}"
    except ValueError:
        return ""


def _scan(rows: Iterable[Row], on: date) -> _Pass:
    """One pass: findings counted, rows put in their buckets (locals only: it runs 600,000
    times at a province)."""
    p = _Pass(on)
    note = p.note
    prefixes: dict[tuple[int, str], str] = {}
    adult_born = years_before(on, MUST_HOLD_FROM).isoformat()
    adult_year, old_year, day = on.year - MUST_HOLD_FROM, on.year - MAX_AGE, on.isoformat()[5:]
    pid_first, name_first, house_first = p.first["pid"], p.first["name"], p.first["house"]
    pid_more, name_more, house_more = p.more["pid"], p.more["name"], p.more["house"]
    n = 0
    for row in rows:
        n += 1
        rid, pid, name, year, born, sex, village, house = row
        if pid:
            if pid_first.setdefault(pid, row) is not row:
                pid_more[pid].append(row)
            ok = False
            if year and sex:
                want = prefixes.get((year, sex))
                if want is None:
                    want = prefixes[(year, sex)] = _prefix(year, sex)
                ok = pid[3:6] == want
            if not ok and _MISMATCH.intersection(check_personal_id(pid, year, sex).problems):
                note("id_mismatch", rid)
        elif year is None or (born <= adult_born if born else year <= adult_year):
            note("missing_id", rid)
        if not name or year is None or sex not in ("M", "F"):
            note("missing_fields", rid)
        if not village:
            note("no_village", rid)
        elif name and year:
            key = (name, village, year)
            if name_first.setdefault(key, row) is not row:
                name_more[key].append(row)
        if year is not None and year <= old_year and (
                year < old_year or born is None or born[5:] <= day):
            note("implausible_age", rid)
        if house and name and year:
            hkey = (house, year, loose_name(name))
            if house_first.setdefault(hkey, row) is not row:
                house_more[hkey].append(row)
    p.examined = n
    return p


def _key(row: Row) -> PersonKey:
    """The rule's key of a pass row (name and village are stored folded already)."""
    _rid, pid, name, year, born, _sex, village, _house = row
    return PersonKey(pid or None, name or "", year, date.fromisoformat(born) if born else None,
                     village or None)  # fmt: skip


def _components(ids: Sequence[int], linked: Any) -> list[list[int]]:
    """Groups of ``ids`` joined by ``linked(a, b)`` (union-find over a bucket's few pairs)."""
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            if linked(a, b):
                parent[root(a)] = root(b)
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for i in ids:
        groups[root(i)].append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _dismissed(s: Session) -> set[frozenset[int]]:
    a = Resident.__table__.alias("a")
    b = Resident.__table__.alias("b")
    rows = s.execute(select(a.c.id, b.c.id).select_from(QualityDismissal)
                     .join(a, a.c.uuid == QualityDismissal.a_uuid)
                     .join(b, b.c.uuid == QualityDismissal.b_uuid)).all()  # fmt: skip
    return {frozenset(r) for r in rows}


def _duplicates(p: _Pass, dismissed: set[frozenset[int]]) -> list[tuple[str, list[int]]]:
    """The groups, by kind: the rule applied to the pairs of each bucket (two or three rows)."""
    groups: list[tuple[str, list[int]]] = []
    keys: dict[int, PersonKey] = {}

    def grouped(bucket: list[Row], linked: Any) -> list[list[int]]:
        for row in bucket:
            if row[0] not in keys:
                keys[row[0]] = _key(row)
        return _components([r[0] for r in bucket],
                           lambda a, b: frozenset((a, b)) not in dismissed and linked(
                               keys[a], keys[b]))  # fmt: skip

    def other_number(a: PersonKey, b: PersonKey) -> bool:  # a same number is a same_id group
        return not (a.personal_id and a.personal_id == b.personal_id) and likely_same(a, b)

    def variant(a: PersonKey, b: PersonKey) -> bool:
        return same_birth(a, b) and not likely_same(a, b)

    for bucket in p.buckets("pid"):
        groups += [("same_id", g) for g in grouped(bucket, likely_same)]
    for bucket in p.buckets("name"):
        for g in grouped(bucket, other_number):
            groups.append(("two_ids" if all(keys[i].personal_id for i in g) else "no_id", g))
    for bucket in p.buckets("house"):
        groups += [("variant", g) for g in grouped(bucket, variant)]
    return groups


def _residents(s: Session, ids: Iterable[int]) -> dict[int, tuple[str, QualityResident]]:
    """id → (sort key, resident) for what the report shows (in chunks: SQLite's parameters)."""
    wanted = sorted(set(ids))
    out: dict[int, tuple[str, QualityResident]] = {}
    cols = (Resident.id, Resident.sort_key, Resident.uuid, Resident.full_name,
            Resident.personal_id, Resident.birth_date, Resident.birth_year, Resident.sex,
            Resident.village, Resident.household_no)  # fmt: skip
    for at in range(0, len(wanted), 900):
        for rid, sk, *rest in s.execute(select(*cols).where(Resident.id.in_(wanted[at:at + 900]))):
            out[rid] = (sk, QualityResident(*rest))
    return out


def _read_ahead(raw: Any, sql: str, batch: int = 20_000) -> Iterator[Row]:
    """The pass's rows, read in batches on a second thread while the pass works through the
    previous one: SQLite steps and decrypts pages with the GIL released, so on two cores the
    reading (about 2 s at 600,000) and the pass overlap (bench/register_quality.py: 5.0 s →
    4.5 s at 600,000). The reader stops when the pass stops early."""
    cursor = raw.cursor()
    cursor.execute(sql)
    batches: queue.Queue[list[Row] | BaseException] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def offer(item: list[Row] | BaseException) -> None:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(batch)
                offer(rows)
                if not rows:
                    return
        except BaseException as exc:  # handed to the pass, raised there
            offer(exc)

    reader = threading.Thread(target=read, name="quality-reader", daemon=True)
    reader.start()
    try:
        while True:
            got = batches.get()
            if isinstance(got, BaseException):
                raise got
            if not got:
                return
            yield from got
    finally:
        stop.set()
        reader.join()
        cursor.close()


def report(db: StationDB, on: date) -> QualityReport:
    """The quality report of the register on ``on`` (ages are taken on that day)."""
    # The pass makes millions of small objects at a province: without pausing the collector,
    # its full collections (each walking everything made so far) cost more than the pass.
    paused = gc.isenabled()
    gc.disable()
    try:
        with db.Session() as s:
            p = _scan(_read_ahead(s.connection().connection.dbapi_connection, _PASS), on)
            groups = _duplicates(p, _dismissed(s))
            shown = _residents(s, [i for _k, g in groups for i in g] +
                               [i for ids in p.found.values() for i in ids])  # fmt: skip
    finally:
        if paused:
            gc.enable()
    order = {k: n for n, k in enumerate(DUPLICATE_KINDS)}

    def people(ids: Iterable[int]) -> tuple[QualityResident, ...]:
        return tuple(shown[i][1] for i in sorted(ids, key=lambda i: (shown[i][0], i)))

    duplicates = sorted(
        (DuplicateGroup(kind, kind == "variant", people(g)) for kind, g in groups),
        key=lambda d: (order[d.kind], d.residents[0].village or "", d.residents[0].full_name))
    findings = tuple(
        QualityFinding(kind, p.counts[kind], tuple(sorted(
            people(p.found[kind]), key=lambda r: (r.village or "")
        ))) for kind in FINDING_KINDS)  # fmt: skip
    return QualityReport(on, p.examined, tuple(duplicates), findings)


# --- the actions --------------------------------------------------------------------------


def _resident(s: Session, uuid: str) -> Resident:
    r = s.scalar(select(Resident).where(Resident.uuid == uuid))
    if r is None:
        raise InvalidInput(N_("No resident has this number on this station."))
    return r


def same_person(db: StationDB, keep_uuid: str, duplicate_uuid: str, *, actor: Actor) -> None:
    """``duplicate_uuid`` is the same person as ``keep_uuid``: it stops counting and becomes an
    alias of the kept one (its ID number and name then find the kept one)."""
    if keep_uuid == duplicate_uuid:
        raise InvalidInput(N_("Choose two different residents."))
    with db.Session.begin() as s:
        keep, dup = _resident(s, keep_uuid), _resident(s, duplicate_uuid)
        if keep.life_status is not None or dup.life_status is not None:
            raise InvalidInput(N_("Only residents still counted in the register can be joined."))
        dup.life_status = "duplicate"
        s.execute(update(ResidentAlias).where(ResidentAlias.resident_id == dup.id)
                  .values(resident_id=keep.id))  # its own aliases follow it
        s.add(ResidentAlias(uuid=dup.uuid, resident_id=keep.id, station_id=dup.station_id))
        audit.append(s, db.station_id, actor, "register.same_person", "resident", keep.id,
                     f"duplicate #{dup.id}")


def mark(db: StationDB, uuid: str, status: str, *, actor: Actor) -> None:
    """Deceased, moved away, or ``clear`` (back in the register: a mark or a join undone)."""
    if status not in MARKS:
        raise InvalidInput(N_("Mark a resident as deceased, moved away, or clear the mark."))
    with db.Session.begin() as s:
        r = _resident(s, uuid)
        before = r.life_status
        if MARKS[status] is not None and before is not None:
            raise InvalidInput(N_("This resident is marked already; clear the mark first."))
        if before == "duplicate":  # the join undone: the alias goes with it
            alias = s.get(ResidentAlias, r.uuid)
            if alias is not None:
                s.delete(alias)
        r.life_status = MARKS[status]
        audit.append(s, db.station_id, actor, "register.mark", "resident", r.id,
                     f"{before or 'none'} to {MARKS[status] or 'none'}")


def dismiss(db: StationDB, uuid_a: str, uuid_b: str, *, actor: Actor) -> None:
    """Two residents are not the same person: the pair is never proposed again."""
    if uuid_a == uuid_b:
        raise InvalidInput(N_("Choose two different residents."))
    a_uuid, b_uuid = sorted((uuid_a, uuid_b))
    with db.Session.begin() as s:
        a, b = _resident(s, a_uuid), _resident(s, b_uuid)
        if s.get(QualityDismissal, (a_uuid, b_uuid)) is None:
            by = (s.scalar(select(Officer.uuid).where(Officer.id == actor.officer_id))
                  if actor.officer_id is not None else None)  # fmt: skip
            s.add(QualityDismissal(a_uuid=a_uuid, b_uuid=b_uuid, by_uuid=by, at=utcnow()))
        audit.append(s, db.station_id, actor, "register.not_same", "resident", a.id,
                     f"not #{b.id}")


def _raw(r: Resident) -> dict[str, Any]:
    """The resident as a register row, for the import's cleaning."""
    raw: dict[str, Any] = {c: getattr(r, c) for c in (
        "personal_id", "old_id", "full_name", "sex", "village", "household_no",
        "residence_type", "phone", "home_visit_reason", "card_issued", *TEXT_FIELDS)}
    raw["birth_date"] = r.birth_date or r.birth_year
    return raw


def fix(db: StationDB, uuid: str, field: str, value: str, today: date, *, actor: Actor) -> None:
    """Correct one field of a resident's register record. The row goes through the import's
    cleaning again, so its search name, match key, flags and content hash are what an updated
    register would give (and the change travels to laptops); audited with the field's name."""
    if field not in FIX_FIELDS:
        raise InvalidInput(N_("This field cannot be corrected here."))
    text = " ".join(value.split())
    with db.Session.begin() as s:
        r = _resident(s, uuid)
        raw = _raw(r)
        if field == "birth":
            raw["birth_date"] = text
        elif field == "personal_id":
            raw["personal_id"] = text.replace(" ", "").replace(".", "")
        else:
            raw[field] = text
        try:
            cleaned = clean_row(raw, today)
        except RowRejected as exc:
            raise InvalidInput(str(exc)) from exc  # a message id of the register's rules
        values = cleaned.values
        if field == "birth" and values["birth_year"] is None and text:
            raise InvalidInput(N_("write the date as dd/mm/yyyy, or the year alone"))
        pid = values["personal_id"]
        if pid and pid != r.personal_id and s.scalar(select(Resident.id).where(
                Resident.station_id == r.station_id, Resident.personal_id == pid)):
            raise InvalidInput(N_("Another resident of this register has this ID number."))
        kept = [f for f in (r.review_flags or "").split("; ") if f in _KEPT_FLAGS]
        values["review_flags"] = "; ".join(kept + cleaned.problems) or None
        for column, v in values.items():
            if column in ("ethnicity", "religion"):
                continue  # canonical forms the import or the desk chose stay as they are
            setattr(r, column, v)
        audit.append(s, db.station_id, actor, "register.correct", "resident", r.id,
                     f"field {field}")


__all__ = ["DUPLICATE_KINDS", "FINDING_KINDS", "FIX_FIELDS", "dismiss", "fix", "loose_name",
           "mark", "report", "same_person"]
