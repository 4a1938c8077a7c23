"""Search across the district's register on PostgreSQL, in the stations' query language.

The query is read by the station's own parser (db/search.parse_query: no diacritics, any word
order, partial words, a 12- or 9-digit ID, a birth year) and ranked the station's way — exact
folded name, all words in another order, whole words, then prefixes; within a rank the
Vietnamese key (db/text.sort_key, compared byte by byte: ``COLLATE "C"``) and the birth. What
FTS5 does on a station, a GIN index over the folded name's words does here (migrations 0011,
0012: the words and each word's first one to three letters as terms, db/models.SEARCH_WORDS_SQL;
a prefix of up to three letters is its exact term ``3van``, a longer one ``word:*``), with the
same passes — whole words, the last word as a prefix, every word as a prefix — each reading at
most CANDIDATES rows. Each hit says which commune's register it is from: the same ID in two
communes is two records (DESIGN §12), and both are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)

from db.enrollment_state import states
from db.models import SEARCH_WORDS_SQL, Resident, Station
from db.search import (
    CANDIDATES,
    MAX_RESULTS,
    PREFIX_RANK,
    ParsedQuery,
    parse_query,
    ranked_passes,
)
from db.station import StationDB
from db.text import tone_normal
from db.types import ResidentHit

_SIMPLE: Any = literal_column("'simple'")
_WORDS: Any = literal_column(SEARCH_WORDS_SQL)  # the index's very expression (migration 0012)
SHORT = 3  # a prefix this long or shorter is a term of the index ("3van"), not ``van:*``
_BIRTH = func.coalesce(cast(Resident.birth_date, String), cast(Resident.birth_year, String),
                       literal("9999"))  # fmt: skip


@dataclass(frozen=True)
class HubHit:
    hit: ResidentHit
    station_id: str  # the register it is from (the commune's HQ, or a laptop's DC01 person)
    commune: str

    def to_json(self) -> dict[str, Any]:
        return {**self.hit.to_json(), "station_id": self.station_id, "commune": self.commune}


@dataclass(frozen=True)
class HubSearchResult:
    hits: list[HubHit]
    more: bool

    def to_json(self) -> dict[str, Any]:
        return {"hits": [h.to_json() for h in self.hits], "more": self.more}


def _filters(q: ParsedQuery) -> list[Any]:
    where: list[Any] = [or_(Resident.life_status.is_(None), Resident.life_status != "duplicate")]
    if q.year:
        where.append(Resident.birth_year == q.year)
    if q.personal_id:
        where.append(Resident.personal_id == q.personal_id)
    if q.old_id:
        where.append(Resident.old_id == q.old_id)
    return where


def _pass(conn: Connection, q: ParsedQuery, limit: int, mode: str) -> tuple[list[Any], int]:
    last = len(q.words) - 1
    terms = dict.fromkeys(_prefix(w) if mode == "all" or (mode == "last" and i == last) else w
                          for i, w in enumerate(q.words))  # fmt: skip
    wanted = " ".join(q.words)
    padded = literal(" ") + Resident.search_name + literal(" ")
    whole = and_(*(padded.like(f"% {w} %") for w in q.words))
    rank = case((Resident.search_name == wanted, 1),
                (whole, case((func.length(Resident.search_name) == len(wanted), 2), else_=3)),
                else_=PREFIX_RANK)  # fmt: skip
    inner = (select(Resident.id, rank.label("rank"), Resident.sort_key, _BIRTH.label("birth"))
             .where(_WORDS.op("@@")(func.to_tsquery(_SIMPLE, " & ".join(terms))),
                    *_filters(q))
             .limit(CANDIDATES + 1).subquery())  # fmt: skip
    rows = conn.execute(select(inner.c.id, inner.c.rank, func.count().over())
                        .order_by(inner.c.rank, inner.c.sort_key.collate("C"), inner.c.birth)
                        .limit(limit)).all()  # fmt: skip
    return [(r[0], r[1]) for r in rows], (rows[0][2] if rows else 0)


def _prefix(word: str) -> str:
    """The query term of a word typed in part: its own index term when short."""
    return f"{len(word)}{word}" if len(word) <= SHORT else f"{word}:*"


def _listed(conn: Connection, q: ParsedQuery, limit: int) -> tuple[list[Any], bool]:
    inner = (select(Resident.id, Resident.sort_key, _BIRTH.label("birth")).where(*_filters(q))
             .limit(CANDIDATES + 1).subquery())  # fmt: skip
    rows = conn.execute(select(inner.c.id, literal(0), func.count().over())
                        .order_by(inner.c.sort_key.collate("C"), inner.c.birth)
                        .limit(limit)).all()  # fmt: skip
    return [(r[0], r[1]) for r in rows], bool(rows) and rows[0][2] > limit


def search(db: StationDB, query: str, limit: int = MAX_RESULTS) -> HubSearchResult:
    q = parse_query(query)
    with db.engine.connect() as conn:
        if q.words:
            ranked, more = ranked_passes(q, limit, lambda mode: _pass(conn, q, limit, mode))
        elif q.personal_id or q.old_id or q.year:
            ranked, more = _listed(conn, q, limit)
        else:
            return HubSearchResult([], False)
        return HubSearchResult(_hits(conn, ranked, q), more)


_SHOWN = (Resident.id, Resident.uuid, Resident.full_name, Resident.personal_id, Resident.old_id,
          Resident.birth_year, Resident.birth_date, Resident.sex, Resident.ethnicity,
          Resident.village, Resident.household_no, Resident.relation_to_head,
          Resident.home_visit_reason, Resident.review_flags)  # fmt: skip


def commune_name(code: str | None, typed: str) -> str:
    """The commune's official name (without "Xã"), or what its station typed when no code."""
    from db import places

    place = places.by_code(code)
    return place.short if place is not None else typed


def _hits(conn: Connection, ranked: list[Any], q: ParsedQuery) -> list[HubHit]:
    if not ranked:
        return []
    ids = [rid for rid, _rank in ranked]
    hq = func.coalesce(Station.hq_id, Station.id)
    rows = {r[0]: r for r in conn.execute(
        select(*_SHOWN, Resident.station_id, hq).join(Station, Station.id == Resident.station_id)
        .where(Resident.id.in_(ids)))}  # fmt: skip
    names = {sid: commune_name(code, typed) for sid, code, typed in conn.execute(
        select(Station.id, Station.commune_code, Station.commune))}  # fmt: skip
    enrolled = states(conn, ids)
    typed = tone_normal(q.text) if q.text and not q.text.isascii() else ""
    out = []
    for position, (rid, rank) in enumerate(ranked):
        r = rows[rid]
        if rank == 1 and (not typed or tone_normal(r.full_name) == typed):
            rank = 0
        values: dict[str, Any] = {str(c.key): r[i] for i, c in enumerate(_SHOWN)}
        born = values["birth_date"]
        values["birth_date"] = born if isinstance(born, date) or born is None else \
            date.fromisoformat(str(born))  # fmt: skip
        hit = ResidentHit(**values, rank=rank, enrollment_state=enrolled.get(rid))
        out.append((rank, position, HubHit(hit, str(r[-2]), str(names.get(str(r[-1])) or ""))))
    out.sort(key=lambda h: h[:2])
    return [h for _r, _p, h in out]
