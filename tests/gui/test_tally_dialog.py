"""The daily tally from the menu: a day or a range, built off the UI thread, previewed; the
paper names the station (not its id), and saving it is audited."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from db.vntime import VN_TZ, today_local
from gui.app import make_app
from gui.tally_dialog import TallyDialog
from tests.db.enrollment_fixtures import people, received
from tests.printing.pdfcheck import pdf_text

__all__ = ["people"]


@pytest.fixture
def dialog(qtbot: Any, station: StationDB, actors: dict[str, Actor],
           people: list[int]) -> TallyDialog:  # fmt: skip
    """Two enrollments the day before yesterday, one yesterday (local days)."""
    make_app()
    duc = actors["officer"].officer_id
    today = today_local()
    for n, back in enumerate((2, 2, 1)):
        at = datetime.combine(today - timedelta(days=back), time(9, n), VN_TZ)
        received(station, people[n], at, officer=duc)
    d = TallyDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    return d


def built(qtbot: Any, d: TallyDialog) -> str:
    with qtbot.waitSignal(d.built, timeout=30_000):
        d.preview_button.click()
    assert d.pdf is not None and d.preview is not None and d.preview.isVisible()
    return pdf_text(d.pdf)


def test_one_day_and_a_range_name_the_station(
    qtbot: Any, dialog: TallyDialog, station: StationDB
) -> None:
    today = today_local()
    first, second = today - timedelta(days=2), today - timedelta(days=1)
    dialog.choose(first)
    assert dialog.last.isHidden()  # one day: no second date
    text = built(qtbot, dialog)
    assert f"Ngày {first:%d/%m/%Y}" in text
    assert "Trạm: Trạm thu nhận trụ sở – xã Nà Hỳ" in text  # the name, not "(a1b2c3d4)"
    assert f"({station.station_id[:8]})" not in text
    assert "Lò Văn Đức 2" in text and "Quàng Văn Thanh" in text  # prepared by the supervisor
    assert "2 hồ sơ" in dialog.message.text()
    dialog.preview.close()  # type: ignore[union-attr]

    dialog.choose(first, second)
    assert dialog.range.isChecked()
    text = built(qtbot, dialog)
    assert f"Từ ngày {first:%d/%m/%Y} đến ngày {second:%d/%m/%Y}" in text
    assert "Trạm thu nhận trụ sở" in text and "Lò Văn Đức 3" in text
    assert dialog.preview.suggested_name == (  # type: ignore[union-attr]
        f"thong-ke-{first.isoformat()}-{second.isoformat()}.pdf")


def test_a_range_backwards_is_refused_in_words(qtbot: Any, dialog: TallyDialog) -> None:
    today = today_local()
    dialog.range.setChecked(True)
    dialog.first.setDate(dialog.first.date().addDays(-1))
    dialog.last.setDate(dialog.first.date().addDays(-3))
    assert dialog.period()[1] < dialog.period()[0]
    dialog.build()
    assert dialog.preview is None and "trước ngày đầu" in dialog.message.text()
    assert dialog.first.maximumDate().toPython() == today  # no tally of days to come
    hint = dialog.sizeHint()  # fits a 1366×768 screen
    assert hint.width() <= 1366 and hint.height() <= 740


def test_saving_the_pdf_is_audited(
    qtbot: Any, dialog: TallyDialog, station: StationDB, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    target = tmp_path / "thong-ke.pdf"
    monkeypatch.setattr("gui.print_preview.save_file_name", lambda *a, **k: str(target))
    dialog.choose(today_local() - timedelta(days=2))
    built(qtbot, dialog)
    assert dialog.preview is not None
    dialog.preview.save_pdf()
    assert target.read_bytes() == dialog.pdf

    def saved() -> bool:
        with station.Session() as s:
            return "pdf.save" in s.scalars(select(AuditEvent.action)).all()

    qtbot.waitUntil(saved, timeout=5000)
