"""How long the papers of issue 17 take to build: the information sheet the citizen signs (A5
and A4, with a 480×640 portrait; the officer waits for it at the counter) and the card lists
(the notice list by village and the A4-landscape handover register) for a commune's batch of
cards back from the province.

Usage: ``.venv/bin/python bench/papers.py [--runs N] [--cards N]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.printing import STATION, _portrait
from printing.cards import build_card_list
from printing.info_sheet import build_info_sheet
from printing.model import CardLine, CardListData, InfoSheetData
from tests.printing.pdfcheck import page_count

AT = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)
DETAILS = (("full_name", "Nguyễn Thị Ánh Tuyết"), ("birth", "12/03/1950"), ("sex", "F"),
           ("personal_id", "011150012345"), ("ethnicity", "Thái"), ("religion", "Không"),
           ("hometown", "xã Nà Hỳ, huyện Nậm Pồ, tỉnh Điện Biên"), ("village", "Nà Hỳ 1"),
           ("household_no", "HK-0042"), ("phone", "0912345678"))  # fmt: skip


def _sheet(layout: str, portrait: bytes) -> InfoSheetData:
    return InfoSheetData(
        station=STATION, enrollment_id="0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b", details=DETAILS,
        officer_name="Lò Văn Đức", printed_at=AT, corrected=(("full_name", "Nguyễn Thị Anh "
        "Tuyết"),), portrait_jpeg=portrait, fingers_taken=10, vneid_phone="0912 345 678",
        layout=layout,  # type: ignore[arg-type]
    )  # fmt: skip


def _cards(n: int, kind: str) -> CardListData:
    villages = [f"Bản Nậm Chua {k}" for k in range(1, 13)]
    lines = tuple(CardLine(
        village=villages[i * len(villages) // n], name=f"Giàng Thị Đào {i:04d}",
        birth="12/03/1950", personal_id=f"0111500{i:05d}", slip_no=f"NH-2026-{i:06d}",
        phone="0912345678", arrived=date(2026, 4, 2)) for i in range(n))  # fmt: skip
    return CardListData(station=STATION, kind=kind, generated_at=AT,  # type: ignore[arg-type]
                        lines=lines)  # fmt: skip


def _median_ms(build: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    pdf = build()  # warm: fonts registered, modules loaded
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pdf = build()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cards", type=int, default=500)
    args = parser.parse_args()
    portrait = _portrait()
    for layout in ("a5", "a4"):
        ms, pdf = _median_ms(lambda lay=layout: build_info_sheet(_sheet(lay, portrait)),
                             args.runs)  # fmt: skip
        print(f"information sheet {layout.upper()}: median {ms:.1f} ms, "
              f"{page_count(pdf)} page, {len(pdf) // 1024} KiB")
    runs = max(3, args.runs // 5)
    for kind in ("waiting", "handover"):
        data = _cards(args.cards, kind)
        ms, pdf = _median_ms(lambda d=data: build_card_list(d), runs)
        print(f"card list {kind}, {args.cards} cards: median {ms:.0f} ms, "
              f"{page_count(pdf)} pages, {len(pdf) // 1024} KiB")


if __name__ == "__main__":
    main()
