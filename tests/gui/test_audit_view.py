"""The audit view reads as words: Vietnamese action names, officers' full names, the subject as
a slip number and a resident's name; filters by day, officer and action; the chain verified in
the background and told in words. Codes and full ids only in the technical details."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QPushButton
from sqlalchemy import text

from db import audit
from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.audit_view import AuditDialog
from tests.db.enrollment_fixtures import people, received

__all__ = ["people"]


def cells(d: AuditDialog, column: int) -> list[str]:
    return [d.table.item(r, column).text() for r in range(d.table.rowCount())]


def test_actions_officers_and_subjects_in_words(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    make_app()
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    e = received(station, people[0], at, officer=actors["officer"].officer_id)
    boss = StationService(station, actors["supervisor"])
    boss.for_review(e.uuid)
    boss.send_back(e.uuid, "Ảnh mờ")
    boss.pdf_saved("tally", "2026-03-12")
    d = AuditDialog(boss)
    qtbot.addWidget(d)
    actions = cells(d, 2)
    assert {"Xem hồ sơ", "Trả lại hồ sơ", "Lưu PDF"} <= set(actions), actions
    row = actions.index("Trả lại hồ sơ")
    assert d.table.item(row, 1).text() == "Quàng Văn Thanh"
    assert d.table.item(row, 3).text() == f"{e.receipt_no} · {e.resident_name}"
    assert d.table.item(actions.index("Lưu PDF"), 3).text() == "thống kê ngày 12/03/2026"
    shown = " ".join(d.table.item(r, c).text() for r in range(d.table.rowCount())
                     for c in range(d.table.columnCount()))  # fmt: skip
    for raw in ("enrollment.", "officer.", "pdf.save", e.uuid, e.uuid[:8], "boss", "#"):
        assert raw not in shown, raw
    d.table.selectRow(row)
    assert not d.details.isVisibleTo(d)
    d.more.setChecked(True)  # the technical details, for a report to the province
    assert d.details.isVisibleTo(d)
    details = d.details.toPlainText()
    assert "enrollment.send_back" in details and e.uuid in details and "boss" in details
    assert e.uuid in d.table.item(row, 3).toolTip()
    assert d.sizeHint().width() <= 1366 and d.sizeHint().height() <= 740  # a small screen
    close = next(b for b in d.findChildren(QPushButton) if b.text() == "Đóng")
    d.show()
    close.click()
    assert not d.isVisible()


def test_filters_and_verify(qtbot: Any, station: StationDB, actors: dict[str, Actor]) -> None:
    make_app()
    for i in range(3):
        audit.record(station, actors["officer"], "resident.view", "resident", i)
    d = AuditDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    assert d.table.rowCount() >= 6
    d.officer.setCurrentIndex(d.officer.findData("duc"))  # each change lists again
    assert set(cells(d, 1)) == {"Lò Văn Đức"}
    d.action.setCurrentIndex(d.action.findData("resident.view"))
    assert d.table.rowCount() == 3 and set(cells(d, 2)) == {"Xem thông tin công dân"}
    d.use_day.setChecked(False)
    assert d.table.rowCount() == 3 and not d.day.isEnabled()
    d.officer.setCurrentIndex(d.officer.findData("boss"))
    assert d.table.rowCount() == 0 and "0 sự kiện" in d.status.text()
    d.verify()
    qtbot.waitUntil(lambda: d.verify_button.isEnabled(), timeout=5000)
    assert "nguyên vẹn" in d.chain.text() and "#" not in d.chain.text()
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET details = 'x' WHERE seq = 2"))
    d.verify()
    qtbot.waitUntil(lambda: d.verify_button.isEnabled(), timeout=5000)
    said = d.chain.text()
    assert "sự kiện số 2" in said and "một sự kiện đã bị sửa sau khi ghi" in said
    assert "altered" not in said and "Công an tỉnh" in said
