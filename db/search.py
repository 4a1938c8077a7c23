"""Find residents the way officers type: no diacritics, any word order, partial words, numbers.

A query is split into name words (matched as prefixes in the FTS5 index over folded names), a
12-digit personal ID or 9-digit old ID (exact, indexed), a 4-digit birth year and, when its
words spell a village of the register, a village. Candidates are ranked in Python: exact full
name first, then whole words, then prefixes; within a rank, Vietnamese order (given name,
middle, family name) then birth date.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from db.station import StationDB
from db.text import fold, nfc, tone_normal

MAX_RESULTS = 200
# How many index hits are ranked. Broad queries ("nguyen") are cut here; the caller is told
# there are more so the officer can add a word, a year or a village.
CANDIDATES = 1000
_YEAR = re.compile(r"^(18|19|20)\d\d$")

_COLUMNS = (
    "id", "uuid", "full_name", "personal_id", "old_id", "birth_year", "birth_date", "sex",
    "ethnicity", "village", "household_no", "relation_to_head", "home_visit_reason",
    "review_flags", "search_name", "sort_key",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(f"resident.{c}" for c in _COLUMNS)


@dataclass(frozen=True)
class ResidentHit:
    """What a results list shows of a resident; widgets get this, never a Session."""

    id: int
    uuid: str
    full_name: str
    personal_id: str | None
    old_id: str | None
    birth_year: int | None
    birth_date: date | None
    sex: str | None
    ethnicity: str | None
    village: str | None
    household_no: str | None
    relation_to_head: str | None
    home_visit_reason: str
    review_flags: str | None
    rank: int

    @property
    def birth_display(self) -> str:
        """dd/mm/yyyy, or the year alone when only the year is known (common for elderly)."""
        if self.birth_date:
            return self.birth_date.strftime("%d/%m/%Y")
        return str(self.birth_year) if self.birth_year else ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = (
            self.birth_date.isoformat() if self.birth_date else (str(self.birth_year or "") or None)
        )
        return data


@dataclass(frozen=True)
class SearchResult:
    hits: list[ResidentHit]
    more: bool  # more people matched than were ranked: refine the query


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]
    personal_id: str | None = None
    old_id: str | None = None
    year: int | None = None
    village_key: str | None = None
    text: str = ""  # the name part as typed (for exact-diacritics ranking)


def parse_query(query: str) -> ParsedQuery:
    words: list[str] = []
    typed: list[str] = []
    personal_id = old_id = None
    year = None
    for part in nfc(query).split():
        digits = part.replace(".", "").replace("-", "")
        if digits.isdigit():
            if len(digits) == 12:
                personal_id = digits
            elif len(digits) == 9:
                old_id = digits
            elif _YEAR.match(digits):
                year = int(digits)
            else:
                words.append(digits)  # part of an ID or a house number: treat as a word
            continue
        typed.append(part)
        words.extend(fold(part).split())
    return ParsedQuery(tuple(words), personal_id, old_id, year, None, " ".join(typed))


def _village_keys(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT village_key FROM resident WHERE village_key IS NOT NULL"
    )
    return [r[0] for r in rows]


class Searcher:
    """Lookup over one station; caches the list of villages (a few hundred at most)."""

    def __init__(self, db: StationDB) -> None:
        self.db = db
        self._villages: list[tuple[tuple[str, ...], str]] | None = None

    def invalidate(self) -> None:
        """Call after an import: the villages may have changed."""
        self._villages = None

    def _split_village(self, conn: Connection, q: ParsedQuery) -> ParsedQuery:
        """Take a village name out of the words ("nam chim 1 sung a vang")."""
        if self._villages is None:
            keys = _village_keys(conn)
            self._villages = sorted(((tuple(k.split()), k) for k in keys), key=lambda v: -len(v[0]))
        words = q.words
        for vwords, key in self._villages:
            n = len(vwords)
            for start in range(len(words) - n + 1):
                if words[start : start + n] == vwords:
                    rest = words[:start] + words[start + n :]
                    return ParsedQuery(rest, q.personal_id, q.old_id, q.year, key, q.text)
        return q

    def search(
        self, query: str, village: str | None = None, limit: int = MAX_RESULTS
    ) -> SearchResult:
        q = parse_query(query)
        with self.db.engine.connect() as conn:
            if village:
                q = ParsedQuery(q.words, q.personal_id, q.old_id, q.year, fold(village), q.text)
            elif q.words and len(q.words) >= 2:
                q = self._split_village(conn, q)
            return self._run(conn, q, limit)

    def _run(self, conn: Connection, q: ParsedQuery, limit: int) -> SearchResult:
        where: list[str] = []
        params: list[Any] = []
        if q.personal_id:
            where.append("personal_id = ?")
            params.append(q.personal_id)
        if q.old_id:
            where.append("old_id = ?")
            params.append(q.old_id)
        if q.year:
            where.append("birth_year = ?")
            params.append(q.year)
        if q.village_key:
            where.append("(village_key = ? OR village_key LIKE ?)")
            params.extend([q.village_key, q.village_key + " %"])
        source = "resident"
        if q.words:
            # The index drives the query and stops at the limit (no ORDER BY in SQL).
            source = "resident_fts JOIN resident ON resident.id = resident_fts.rowid"
            where.insert(0, "resident_fts MATCH ?")
            params.insert(0, " ".join(f'"{w}"*' for w in q.words))
        if not where:
            return SearchResult([], False)
        sql = f"{_SELECT} FROM {source} WHERE {' AND '.join(where)} LIMIT {CANDIDATES + 1}"
        rows = conn.exec_driver_sql(sql, tuple(params)).fetchall()
        more = len(rows) > CANDIDATES
        hits = _rank(rows[:CANDIDATES], q)
        return SearchResult(hits[:limit], more or len(hits) > limit)


def _rank(rows: list[Any], q: ParsedQuery) -> list[ResidentHit]:
    wanted = " ".join(q.words)
    wanted_set = set(q.words)
    typed = tone_normal(q.text) if q.text else ""
    ranked = []
    for r in rows:
        name_words = r.search_name.split()
        if not q.words:
            rank = 0
        elif r.search_name == wanted:
            rank = 0 if not typed or tone_normal(r.full_name) == typed else 1
        elif set(name_words) == wanted_set:
            rank = 2  # all words, another order
        elif wanted_set.issubset(name_words):
            rank = 3  # whole words, not all of the name
        else:
            rank = 4  # prefixes
        birth = r.birth_date or (f"{r.birth_year:04d}" if r.birth_year else "9999")
        ranked.append((rank, r.sort_key, birth, r.personal_id or "", r))
    ranked.sort(key=lambda t: t[:4])
    return [_hit(r, rank) for rank, *_rest, r in ranked]


def _hit(r: Any, rank: int) -> ResidentHit:
    birth = r.birth_date
    return ResidentHit(
        id=r.id,
        uuid=r.uuid,
        full_name=r.full_name,
        personal_id=r.personal_id,
        old_id=r.old_id,
        birth_year=r.birth_year,
        birth_date=date.fromisoformat(birth) if birth else None,
        sex=r.sex,
        ethnicity=r.ethnicity,
        village=r.village,
        household_no=r.household_no,
        relation_to_head=r.relation_to_head,
        home_visit_reason=r.home_visit_reason,
        review_flags=r.review_flags,
        rank=rank,
    )
