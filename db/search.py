"""Find residents the way officers type: no diacritics, any word order, partial words, numbers.

A query is split into name words (matched as prefixes in the FTS5 index over folded names), a
12-digit personal ID or 9-digit old ID (exact, indexed), a 4-digit birth year and, when its
words spell a village of the register, a village. Candidates are ranked inside SQLite from the
compact search table (db/search_index.py): exact full name first, then all words in another
order, then whole words, then prefixes; within a rank, Vietnamese order (given name, middle,
family name) then birth date. Only the rows shown are read from the resident table.

Whatever is typed or pasted, a search stays cheap and never reaches the index's own syntax:
the query is cut to MAX_QUERY_CHARS and its name words to MAX_WORDS (a pasted page once built
an FTS expression too large for SQLite, and "a " * 5000 spent two minutes looking for a
village); name words are folded to [a-z0-9] and quoted; and a word holding a digit never goes
to the index, where it could only match the internal year/village tags (0y…, 0v…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

from db.enrollment_state import states
from db.search_index import BIRTH_EXPR, village_tag, year_tag
from db.station import StationDB
from db.text import fold, nfc, tone_normal
from db.types import EnrollmentState, ResidentHit, ResidentSummary, SearchResult

MAX_RESULTS = 50
# How many index hits one pass ranks. Broad queries ("nguyen") are cut here; the caller is told
# there are more so the officer can add a word, a year or a village.
CANDIDATES = 500
PREFIX_RANK = 4  # matched by prefixes only ("gia a se"); whole-word matches rank 1-3
_YEAR = re.compile(r"^(18|19|20)\d\d$")
MAX_QUERY_CHARS = 200
"""The query is cut here: a name, a village, a year and an ID number fit in a quarter of it."""
MAX_WORDS = 8
"""Name words used (after a village is taken out): the longest names have five or six."""

# What a result shows (ResidentSummary's fields), read for the rows returned only.
_COLUMNS = tuple(f.name for f in fields(ResidentSummary))
_SELECT = "SELECT " + ", ".join(f"resident.{c}" for c in _COLUMNS)


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...]
    personal_id: str | None = None
    old_id: str | None = None
    year: int | None = None
    village_key: str | None = None
    text: str = ""  # the name part as typed (for exact-diacritics ranking)
    village_prefix: bool = False  # --village "nam chim" covers Nậm Chim 1 and 2


def _clean(query: str) -> str:
    """The query as NFC text without control characters, compatibility forms folded (NFKC:
    fullwidth ０１１… from an IME as ASCII digits, ｇｉａｎｇ as giang), cut to MAX_QUERY_CHARS.
    It is cut once before normalising too, so that a 100k-character paste costs nothing."""
    text = unicodedata.normalize("NFKC", query[: MAX_QUERY_CHARS * 4])
    return nfc(text)[:MAX_QUERY_CHARS]


def _ascii_digits(digits: str) -> str:
    """Any script's decimal digits as ASCII (NFKC leaves Arabic-Indic and others alone)."""
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(c)) for c in digits)


def parse_query(query: str) -> ParsedQuery:
    words: list[str] = []
    typed: list[str] = []
    personal_id = old_id = None
    year = None
    for part in _clean(query).split():
        digits = part.replace(".", "").replace("-", "")
        if digits.isdecimal():
            digits = _ascii_digits(digits)
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
    return ParsedQuery(tuple(words[:MAX_WORDS]), personal_id, old_id, year, None, " ".join(typed))


def _village_keys(conn: Connection) -> set[str]:
    """The register's villages as the index knows them: its 0v… tags, spaces removed."""
    rows = conn.exec_driver_sql(
        "SELECT term FROM resident_fts_vocab WHERE term > '0v' AND term < '0w'"
    )
    return {r[0][2:] for r in rows}


class Searcher:
    """Lookup over one station; caches the list of villages (a few hundred at most)."""

    def __init__(self, db: StationDB) -> None:
        self.db = db
        self._villages: set[str] | None = None
        self._village_names: list[str] | None = None

    def warm(self) -> None:
        """Read the search table once so the first searches do not wait on the disk and
        decryption (the GUI calls this in the background after opening the station)."""
        with self.db.engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT count(*), sum(length(c0) + length(c2) + length(c3))"
                " FROM resident_fts_content"
            ).fetchone()
            conn.exec_driver_sql(
                "SELECT count(*), sum(length(block)) FROM resident_fts_data"
            ).fetchone()
            if self._villages is None:
                self._villages = _village_keys(conn)

    def invalidate(self) -> None:
        """Call after an import: the villages may have changed."""
        self._villages = None
        self._village_names = None

    def village_names(self) -> list[str]:
        """The register's villages as written (one per village), in folded order, for the DC01
        form's list: one index lookup per village (a few hundred), not a scan of the register."""
        if self._village_names is None:
            with self.db.engine.connect() as conn:
                names = set()
                for key in _village_keys(conn):
                    if not key:
                        continue  # the tag of people without a village
                    row = conn.exec_driver_sql(
                        "SELECT village FROM resident WHERE id = (SELECT rowid FROM resident_fts"
                        " WHERE resident_fts MATCH ? LIMIT 1)", (village_tag(key),)
                    ).fetchone()  # fmt: skip
                    if row and row[0]:
                        names.add(row[0])
            self._village_names = sorted(names, key=lambda n: (fold(n), n))
        return list(self._village_names)

    def _split_village(self, conn: Connection, q: ParsedQuery) -> ParsedQuery:
        """Take a village name out of the words ("nam chim 1 sung a vang"), longest first."""
        if self._villages is None:
            self._villages = _village_keys(conn)
        words = q.words
        for n in range(len(words), 0, -1):
            for start in range(len(words) - n + 1):
                if "".join(words[start : start + n]) in self._villages:
                    rest = words[:start] + words[start + n :]
                    key = " ".join(words[start : start + n])
                    return ParsedQuery(rest, q.personal_id, q.old_id, q.year, key, q.text)
        return q

    def search(
        self, query: str, village: str | None = None, limit: int = MAX_RESULTS
    ) -> SearchResult:
        q = parse_query(query)
        with self.db.engine.connect() as conn:
            if village:
                key = fold(_clean(village))
                q = ParsedQuery(q.words, q.personal_id, q.old_id, q.year, key, q.text, True)
            elif q.words and len(q.words) >= 2:
                q = self._split_village(conn, q)
            return self._run(conn, q, limit)

    def _run(self, conn: Connection, q: ParsedQuery, limit: int) -> SearchResult:
        if q.words:
            ranked, more = _ranked_by_name(conn, q, limit)
        elif q.personal_id or q.old_id or q.year or q.village_key:
            ranked, more = _listed_by_fields(conn, q, limit)
        else:
            return SearchResult([], False)
        return SearchResult(_load_hits(conn, ranked, q), more)


def _ranked_by_name(
    conn: Connection, q: ParsedQuery, limit: int
) -> tuple[list[tuple[int, int]], bool]:
    """(id, rank) of the best ``limit`` name matches, ranked and ordered inside SQLite.

    Up to three passes over the compact search table, cheapest first, each reading at most
    CANDIDATES rows, ranking them (exact folded name, all words in another order, whole words,
    prefixes) and sorting them by the Vietnamese key and birth:
    1. whole words: selective, and whole-word matches outrank every prefix-only one;
    2. the last word as a prefix (people type left to right: "nguyen van a" → An, Anh);
    3. only when nothing was found, every word as a prefix ("gia a se" → Giàng A Sếnh).
    Every word goes to the index, single letters too (the same rows: a token of the index is
    a word of search_name): FTS5 intersects the lists, so a rare word makes "a" cheap, where
    checking "a" on every row of a common word read them all (seconds for "van a" or "thi a"
    at a million residents). Resident rows are read only for what is returned.
    """
    rows, more = ranked_passes(q, limit, lambda mode: _pass(conn, q, limit, mode))
    if q.personal_id or q.old_id:
        rows = _only_numbers(conn, rows, q)
    return rows, more


Pass = Callable[[str], tuple[list[tuple[int, int]], int]]


def ranked_passes(q: ParsedQuery, limit: int, run: Pass) -> tuple[list[tuple[int, int]], bool]:
    """The passes of :func:`_ranked_by_name`, cheapest first, over ``run(mode)`` — FTS5 here,
    PostgreSQL's word index on the hub (db/hub/search.py) — each giving (id, rank) rows and
    how many matched."""
    rows: list[tuple[int, int]] = []
    more = False
    if not all(w.isalpha() for w in q.words):
        # Names hold no digits (the register refuses them: db/register/validate._name), so a
        # word with one matches nobody; in the index it could only match a 0y…/0v… tag.
        return rows, more
    for mode in ("whole", "last", "all"):
        if mode == "all" and (rows or len(q.words) == 1):
            break
        found, total = run(mode)
        seen = {rid for rid, _rank in rows}
        rows += [r for r in found if r[0] not in seen]
        more = more or total > limit
        if len(rows) >= limit:
            more = more or len(rows) > limit
            rows = rows[:limit]
            break
    return rows, more


def _pass(
    conn: Connection, q: ParsedQuery, limit: int, mode: str
) -> tuple[list[tuple[int, int]], int]:
    """One ranked pass; ``mode`` says which words match as prefixes: none, the last, all."""
    last = len(q.words) - 1

    def is_prefix(i: int) -> bool:
        return mode == "all" or (mode == "last" and i == last)

    terms = dict.fromkeys(f'"{w}"' + ("*" if is_prefix(i) else "") for i, w in enumerate(q.words))
    match = " ".join(terms)  # a word typed twice is looked up once
    if q.year:
        match += " " + year_tag(q.year)
    if q.village_key:
        match += " " + village_tag(q.village_key, prefix=q.village_prefix)
    wanted = " ".join(q.words)
    whole = " AND ".join("(' ' || search_name || ' ') LIKE ?" for _ in q.words)
    rank = (
        "CASE WHEN search_name = ? THEN 1 "
        f"WHEN {whole} THEN CASE WHEN length(search_name) = ? THEN 2 ELSE 3 END "
        f"ELSE {PREFIX_RANK} END"
    )
    sql = (
        f"SELECT id, rank, count(*) OVER () FROM ("
        f" SELECT rowid AS id, {rank} AS rank, sort_key, birth FROM resident_fts"
        f" WHERE resident_fts MATCH ? LIMIT {CANDIDATES + 1})"
        " ORDER BY rank, sort_key, birth LIMIT ?"
    )
    rank_params = [wanted, *(f"% {w} %" for w in q.words), len(wanted)]
    rows = conn.exec_driver_sql(sql, (*rank_params, match, limit)).fetchall()
    return [(r[0], r[1]) for r in rows], (rows[0][2] if rows else 0)


def _only_numbers(
    conn: Connection, rows: list[tuple[int, int]], q: ParsedQuery
) -> list[tuple[int, int]]:
    ids = {r[0] for r in rows}
    column, value = ("personal_id", q.personal_id) if q.personal_id else ("old_id", q.old_id)
    found = {
        r[0] for r in conn.exec_driver_sql(f"SELECT id FROM resident WHERE {column} = ?", (value,))
    }
    return [r for r in rows if r[0] in ids & found]


def _listed_by_fields(
    conn: Connection, q: ParsedQuery, limit: int
) -> tuple[list[tuple[int, int]], bool]:
    """ID numbers (indexed), or a birth year and/or a village (index tags), alone."""
    if q.personal_id or q.old_id:
        column, value = ("personal_id", q.personal_id) if q.personal_id else ("old_id", q.old_id)
        where = [f"{column} = ?"]
        params: list[str | int | None] = [value]
        if q.year:
            where.append("birth_year = ?")
            params.append(q.year)
        inner = (
            f"SELECT id, sort_key, {BIRTH_EXPR} AS birth FROM resident WHERE {' AND '.join(where)}"
        )
    else:
        tags = [year_tag(q.year)] if q.year else []
        if q.village_key:
            tags.append(village_tag(q.village_key, prefix=q.village_prefix))
        inner = "SELECT rowid AS id, sort_key, birth FROM resident_fts WHERE resident_fts MATCH ?"
        params = [" ".join(tags)]
    sql = (
        f"SELECT id, 0, count(*) OVER () FROM ({inner} LIMIT {CANDIDATES + 1})"
        " ORDER BY sort_key, birth LIMIT ?"
    )
    rows = conn.exec_driver_sql(sql, (*params, limit)).fetchall()
    more = bool(rows) and rows[0][2] > limit
    return [(r[0], r[1]) for r in rows], more


def _load_hits(
    conn: Connection, ranked: list[tuple[int, int]], q: ParsedQuery
) -> list[ResidentHit]:
    ranked = _kept_for_duplicates(conn, ranked)
    if not ranked:
        return []
    ids = [rid for rid, _rank in ranked]
    sql = f"{_SELECT} FROM resident WHERE id IN ({', '.join('?' * len(ids))})"
    rows = {r.id: r for r in conn.exec_driver_sql(sql, tuple(ids))}
    enrolled = states(conn, ids)  # one query for the page: where each one's enrollment stands
    typed = tone_normal(q.text) if q.text and not q.text.isascii() else ""
    hits = []
    for position, (rid, rank) in enumerate(ranked):
        r = rows[rid]
        if rank == 1 and (not typed or _tone(r.full_name) == typed):
            rank = 0  # the exact name as typed (any tone placement), or typed without marks
        hits.append((rank, position, _hit(r, rank, enrolled.get(rid))))
    hits.sort(key=lambda h: h[:2])  # stable within a rank: keeps SQLite's Vietnamese order
    return [h for _rank, _pos, h in hits]


def _kept_for_duplicates(
    conn: Connection, ranked: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """A record joined to another as the same person (life_status "duplicate", db/quality.py)
    is shown as the kept one, once: its ID number or name finds the person, never the stale
    record (one indexed lookup for the page)."""
    if not ranked:
        return ranked
    ids = [rid for rid, _rank in ranked]
    sql = ("SELECT resident.id, resident_alias.resident_id FROM resident LEFT JOIN resident_alias"
           " ON resident_alias.uuid = resident.uuid WHERE resident.life_status = 'duplicate'"
           f" AND resident.id IN ({', '.join('?' * len(ids))})")  # fmt: skip
    kept: dict[int, int | None] = dict(conn.exec_driver_sql(sql, tuple(ids)).fetchall())
    if not kept:
        return ranked
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for rid, rank in ranked:
        shown = kept.get(rid, rid)
        if shown is not None and shown not in seen:
            seen.add(shown)
            out.append((shown, rank))
    return out


@lru_cache(maxsize=65536)
def _tone(full_name: str) -> str:
    return tone_normal(full_name)


def _hit(r: Any, rank: int, state: EnrollmentState | None = None) -> ResidentHit:
    values = {name: getattr(r, name) for name in _COLUMNS}
    birth = values["birth_date"]
    values["birth_date"] = date.fromisoformat(birth) if birth else None
    return ResidentHit(**values, rank=rank, enrollment_state=state)
