"""The search table is the same whether rows come one by one (triggers) or in bulk (import)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.models import Resident, new_uuid
from db.register.importer import import_rows
from db.register.validate import clean_row


def fts_rows(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT rowid, search_name, tags, sort_key, birth FROM resident_fts ORDER BY rowid"
            )
        ]


ROWS = [
    {
        "full_name": "Giàng A Sếnh",
        "birth_date": "12/03/1948",
        "sex": "Nam",
        "village": "Nậm Chim 1",
    },
    {"full_name": "Lò Thị Ún", "birth_date": "1939", "sex": "Nữ", "village": "Nà Hỳ 1"},
    {"full_name": "Vừ A Dủa", "birth_date": "", "sex": "Nam", "village": ""},
]


def test_trigger_and_bulk_paths_agree(station, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_rows(station, list(enumerate(ROWS, start=2)), file_name="bulk")
    bulk = fts_rows(station)
    with station.Session.begin() as s:
        s.query(Resident).delete()
    assert fts_rows(station) == []
    with station.Session.begin() as s:  # the row-by-row path (a new resident typed in, DC01)
        for i, raw in enumerate(ROWS, start=1):
            values = clean_row(raw, date(2026, 11, 28)).values
            s.add(Resident(id=i, uuid=new_uuid(), station_id=station.station_id, **values))
    assert fts_rows(station) == bulk
    assert [r[4] for r in bulk] == ["1948-03-12", "1939", "9999"]
    assert [r[2] for r in bulk] == ["0y1948 0vnamchim1", "0y1939 0vnahy1", "0y 0v"]


def test_update_reindexes_only_when_search_fields_change(station) -> None:  # type: ignore[no-untyped-def]
    import_rows(station, list(enumerate(ROWS, start=2)), file_name="bulk")
    with station.Session.begin() as s:
        r = s.scalars(select(Resident).where(Resident.search_name == "giang a senh")).one()
        r.phone = "0912345678"  # not indexed: no change to the search table
    before = fts_rows(station)
    with station.Session.begin() as s:
        r = s.scalars(select(Resident).where(Resident.search_name == "giang a senh")).one()
        r.full_name, r.search_name, r.village_key = "Giàng A Sênh", "giang a senh", "pu dao"
    after = fts_rows(station)
    assert before != after and after[0][2] == "0y1948 0vpudao"
    with station.engine.connect() as conn:
        hits = conn.exec_driver_sql(
            "SELECT rowid FROM resident_fts WHERE resident_fts MATCH '\"sen\"*'"
        ).fetchall()
    assert len(hits) == 1
