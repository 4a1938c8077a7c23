"""Nothing personal is readable in the data directory: database, WAL, key file, config."""

from __future__ import annotations

from pathlib import Path

from db.demo.synth import write_csv
from db.register.importer import import_register
from db.search import Searcher
from db.station import create_station


def needles(csv_path: Path) -> list[bytes]:
    import csv

    with csv_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))[:40]
    found = []
    for row in rows:
        found += [row["Họ và tên"].encode("utf-8"), row["Số định danh cá nhân"].encode()]
        found.append(row["Họ và tên"].encode("utf-16-le"))
    from db.text import fold

    found += [fold(r["Họ và tên"]).encode() for r in rows]
    return [n for n in found if len(n) >= 8]


def scan(folder: Path, patterns: list[bytes]) -> list[tuple[str, bytes]]:
    hits = []
    for f in folder.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            hits += [(f.name, p) for p in patterns if p in data]
    return hits


def test_no_names_or_ids_in_any_file(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    write_csv(register, 2000)
    patterns = needles(register)
    assert len(patterns) > 60
    data = tmp_path / "station"
    db, _ = create_station(
        data, name="X", commune="Nà Hỳ", key_store="keyfile", passphrase=lambda c: "pass word!"
    )
    report = import_register(db, register)
    assert report.added == 2000
    searcher = Searcher(db)
    for p in patterns[:10]:
        searcher.search(p.decode("utf-8", "ignore"))
    # while open (the WAL holds the recent pages) ...
    assert {f.name for f in data.iterdir()} >= {"station.db", "station.db-wal", "station.key"}
    assert scan(data, patterns) == []
    db.close()
    # ... and after closing
    assert scan(data, patterns) == []
    # the register file itself does contain them: the scan can find what it looks for
    assert scan(tmp_path, patterns[:3]) != []
