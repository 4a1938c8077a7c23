"""Many threads on one station: the GUI's thread pool must never break the engine."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from db.search import Searcher


def test_twelve_threads_search_and_write(station) -> None:  # type: ignore[no-untyped-def]
    import_rows(station, rows_for_import(500), file_name="t")
    searcher = Searcher(station)

    def work(i: int) -> int:
        with station.write_connection() as conn:
            conn.exec_driver_sql(
                "INSERT INTO setting (key, value) VALUES (?, ?)", (f"k{i}", f'{{"v": {i}}}')
            )
        return len(searcher.search("a" if i % 2 else "thi").hits)

    with ThreadPoolExecutor(12) as pool:
        counts = list(pool.map(work, range(48)))
    assert all(c > 0 for c in counts)
    with station.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM setting").scalar() == 48
