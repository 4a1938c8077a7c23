"""How long the printed documents take to build (issue 4).

Prints the median time to build one appointment slip PDF (target ≤ 50 ms) in each layout, the
median time to build the daily tally PDF from a TallyData with realistic numbers (a commune
station's quarter: 100,000 enrollments over 3 officers, 40 villages), and the tally from the
database: a throwaway SQLCipher station with 20,000 residents and 100,000 enrollments over 91
days (bulk inserts), timed as ``compute_tally(...) + build_tally(...)`` for one day and for the
whole quarter (target ≤ 500 ms).

Usage: ``.venv/bin/python bench/printing.py [--runs N] [--no-db]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from printing import (
    SlipData,
    Station,
    TallyData,
    TallyRow,
    build_slip,
    build_tally,
    return_date,
)

STATION = Station(
    agency_name="Công an xã Nà Hỳ",
    station_name="Trạm thu nhận trụ sở",
    commune="xã Nà Hỳ",
    province="tỉnh Điện Biên",
    parent_agency="Công an tỉnh Điện Biên",
    station_id="NH01",
)


def _portrait() -> bytes:
    """A 480×640 JPEG with photo-like texture, about the size capture/ produces."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(1)
    pixels = rng.integers(60, 220, size=(640, 480, 3), dtype=np.uint8)
    img = Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _slip(layout: str, portrait: bytes, i: int) -> SlipData:
    received = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)
    return SlipData(
        station=STATION,
        enrollment_id=f"0b9f0a8e-4c1e-4f57-9f5e-{i:012d}",
        slip_no=f"NH-2026-{i:06d}",
        full_name="Nguyễn Thị Ánh Tuyết",
        personal_id="011190012345",
        birth_date=date(1950, 3, 12),
        sex="female",
        received_at=received,
        return_date=return_date(received.date()),
        officer_name="Lò Văn Đức",
        return_place="Trụ sở Công an xã Nà Hỳ, bản Nà Hỳ 1",
        portrait_jpeg=portrait,
        layout=layout,  # type: ignore[arg-type]
    )


def _tally() -> TallyData:
    villages = [
        f"Bản {name} {k}"
        for name in (
            "Nà Hỳ",
            "Nậm Chim",
            "Phi Lĩnh",
            "Pú Đao",
            "Huổi Cơ Mông",
            "Trên Nương",
            "Đệ Tinh",
            "Nà Khoa",
        )
        for k in range(1, 6)
    ]
    weights = [(7 * i) % 13 + 3 for i in range(len(villages))]
    total = 100_000
    counts = [total * w // sum(weights) for w in weights]
    counts[0] += total - sum(counts)
    return TallyData(
        station=STATION,
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
        generated_at=datetime(2026, 3, 31, 10, 0, tzinfo=UTC),
        total=total,
        by_officer=(
            TallyRow("Lò Văn Đức", 41_250),
            TallyRow("Giàng A Sếnh", 33_700),
            TallyRow("Đặng Thị Hoà", 25_050),
        ),
        by_village=tuple(TallyRow(v, c) for v, c in zip(villages, counts, strict=True)),
        by_place={"hq": 71_400, "home": 9_350, "mobile": 19_250},
        home_visits=6_120,
        exceptions=2_480,
        portrait_retakes=13_900,
        pending_approval=310,
        approved=99_420,
        returned=270,
        prepared_by="Lò Văn Đức",
    )


def _median_ms(fn: Callable[[int], bytes], runs: int) -> tuple[float, int]:
    fn(0)  # warm-up: font registration, holiday tables, imports
    times = []
    size = 0
    for i in range(1, runs + 1):
        t0 = time.perf_counter()
        size = len(fn(i))
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="builds per document")
    parser.add_argument("--no-db", action="store_true", help="skip the tally-from-database bench")
    args = parser.parse_args(argv)
    portrait = _portrait()
    for layout in ("a5", "roll80"):
        med, size = _median_ms(lambda i, lay=layout: build_slip(_slip(lay, portrait, i)), args.runs)
        print(
            f"slip {layout:6s} with portrait: median {med:6.1f} ms over {args.runs} builds "
            f"({size / 1024:.0f} KiB)  target <= 50 ms"
        )
    med, size = _median_ms(lambda i: build_slip(_slip("a5", None, i)), args.runs)  # type: ignore[arg-type]
    print(
        f"slip a5     no portrait:   median {med:6.1f} ms over {args.runs} builds "
        f"({size / 1024:.0f} KiB)"
    )
    tally = _tally()
    runs = max(5, args.runs // 5)
    med, size = _median_ms(lambda i: build_tally(tally), runs)
    print(
        f"tally PDF (100,000 enrollments, {len(tally.by_village)} villages): median "
        f"{med:6.1f} ms over {runs} builds ({size / 1024:.0f} KiB)"
    )
    if not args.no_db:
        _bench_db_tally(runs)
    return 0


def _bench_db_tally(runs: int, enrollments: int = 100_000, residents: int = 20_000) -> None:
    """compute_tally + build_tally on a real station holding ``enrollments`` enrollments."""
    import tempfile

    from _common import isolated_keyring

    isolated_keyring()
    with tempfile.TemporaryDirectory(prefix="bench-tally-") as tmp:
        from db.station import create_station

        db, _key = create_station(
            Path(tmp) / "station", name="Công an xã Nà Hỳ", commune="Nà Hỳ", province="Điện Biên"
        )
        try:
            t0 = time.perf_counter()
            first, last = _fill(db, enrollments, residents)
            print(
                f"station filled with {residents:,} residents and {enrollments:,} enrollments "
                f"in {time.perf_counter() - t0:.1f} s"
            )
            from db.tally import compute_tally

            for label, a, b in (("one day", last, last), ("91 days", first, last)):
                t = compute_tally(db, a, b)
                total = t.total
                vq, _ = _median_ms(lambda i, a=a, b=b: b"x" * _vneid_count(db, a, b), runs)
                print(f"  {label}: {t.vneid_requests:,} level-2 account requests of {total:,}, "
                      f"their count alone: median {vq:.1f} ms")
                med, _size = _median_ms(
                    lambda i, a=a, b=b: build_tally(compute_tally(db, a, b)), runs
                )
                q, _ = _median_ms(lambda i, a=a, b=b: b"x" * compute_tally(db, a, b).total, runs)
                print(
                    f"tally from the database, {label} ({total:,} enrollments): median "
                    f"{med:6.1f} ms (query {q:.1f} ms) over {runs} runs  target <= 500 ms"
                )
        finally:
            db.close()


def _vneid_count(db, a: date, b: date) -> int:  # type: ignore[no-untyped-def]
    """The tally's level-2 account request count alone (from the covering index)."""
    from sqlalchemy import func, select

    from db.models import Enrollment
    from db.tally import _received_between, vneid_requested
    from db.vntime import local_day_bounds

    start, end = local_day_bounds(a, b)
    with db.Session() as s:
        where = _received_between(start, end) & vneid_requested()
        return int(s.scalar(select(func.count()).select_from(Enrollment).where(where)) or 0)


def _draft(rng, i: int) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """A details step as the wizard stores it (~0.5 KB), a third with a level-2 account
    request (db/vneid.py), marked as submission marks it (``vneid_requested``)."""
    values = {"full_name": f"Người {i}", "birth": "12/03/1980", "sex": "M", "personal_id":
              f"0110800{i:05d}", "old_id": "", "ethnicity": "Thái", "religion": "Không",
              "hometown": "xã Nà Hỳ, tỉnh Điện Biên", "village": "Nà Hỳ 1",
              "household_no": f"H{i // 4}", "phone": "0912345678"}  # fmt: skip
    details: dict = {"values": values, "corrections": {}}  # type: ignore[type-arg]
    if rng.random() < 1 / 3:
        details["vneid"] = {"phone": "0912345678", "email": None}
    return {"details": details, "portrait": {"bedridden": False}}


def _fill(db, enrollments: int, residents: int) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """Bulk-insert residents, officers, enrollments and portraits (one transaction each)."""
    import random
    from datetime import timedelta

    from sqlalchemy import insert

    from db import vneid
    from db.demo.synth import VILLAGES
    from db.models import Enrollment, Officer, Portrait, Resident, new_uuid
    from db.vntime import VN_TZ

    rng = random.Random(4)
    sid = db.station_id
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO fts_bulk (flag) VALUES (1)")
        conn.execute(
            insert(Resident),
            [
                dict(
                    uuid=new_uuid(),
                    station_id=sid,
                    full_name=f"Người {i}",
                    search_name=f"nguoi {i}",
                    sort_key=str(i),
                    village=VILLAGES[i % len(VILLAGES)],
                    village_key=VILLAGES[i % len(VILLAGES)].lower(),
                    household_no=f"H{i // 4}",
                    home_visit_reason="none",
                    match_key=str(i),
                    content_hash="0",
                    created_at=now,
                    updated_at=now,
                )
                for i in range(residents)
            ],
        )
        conn.exec_driver_sql("DELETE FROM fts_bulk")
        conn.execute(
            insert(Officer),
            [
                dict(
                    uuid=new_uuid(),
                    station_id=sid,
                    username=f"o{k}",
                    full_name=name,
                    role="officer",
                    password_hash="!",
                    created_at=now,
                )
                for k, name in enumerate(("Lò Văn Đức", "Giàng A Sếnh", "Đặng Thị Hoà"))
            ],
        )
    last = datetime.now(VN_TZ).date()
    first = last - timedelta(days=90)
    statuses = ("approved",) * 90 + ("returned",) * 3 + ("submitted",) * 7
    rows = []
    for i in range(enrollments):
        day = first + timedelta(days=i * 91 // enrollments)
        at = datetime(day.year, day.month, day.day, 7, 30, tzinfo=VN_TZ) + timedelta(
            seconds=rng.randrange(9 * 3600)
        )
        place = rng.choices(("hq", "home", "mobile"), (70, 10, 20))[0]
        rows.append(
            dict(
                uuid=new_uuid(),
                station_id=sid,
                resident_id=rng.randrange(residents) + 1,
                officer_id=rng.randrange(3) + 1,
                place=place,
                status=rng.choice(statuses),
                draft=(draft := _draft(rng, i)),
                vneid_requested=vneid.requested(draft),
                receipt_no=f"NH-{i:07d}",
                appointment_date=day,
                created_at=at,
                updated_at=at,
                submitted_at=at,
                exceptions=[],
                has_exception=rng.random() < 0.03,
            )
        )
    jpeg = b"\xff\xd8\xff\xd9"
    with db.engine.begin() as conn:
        conn.execute(insert(Enrollment), rows)
        conn.execute(
            insert(Portrait),
            [
                dict(
                    uuid=new_uuid(),
                    station_id=sid,
                    enrollment_id=i + 1,
                    jpeg=jpeg,
                    width=480,
                    height=640,
                    quality={},
                    attempts=rng.choices((1, 2, 3), (80, 15, 5))[0],
                    bedridden=False,
                    created_at=now,
                )
                for i in range(enrollments)
            ],
        )
    return first, last


if __name__ == "__main__":
    raise SystemExit(main())
