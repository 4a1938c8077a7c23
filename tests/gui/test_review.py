"""The day review: exceptions first, portrait and reason shown, approve and send back; every
check in words, each correction before → after, a new person, a duplicate and a second
enrollment flagged; the list keeps its place after a decision and says what was done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QPushButton

from capture.quality import assess
from capture.report import Mode
from db import enrollment as en
from db.actor import Actor
from db.review_facts import quality_checks
from db.service import StationService
from db.station import StationDB
from db.types import ReviewItem
from gui.app import make_app
from gui.review import DayReviewDialog, check_lines, list_text, review_html
from tests.db.enrollment_fixtures import people, received
from tests.fingers import take_ten
from tests.gui.fakes import lying_side_lit

__all__ = ["people"]

RAW = ("face_count", "sharpness", "orientation", "= 1.0", "270.0", "demo: True", "demo",
       "(portrait)", "bedridden", "faded_fingerprints", "True", "None")  # fmt: skip


def plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_review_approve_and_send_back(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    make_app()
    duc = actors["officer"].officer_id
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    plain_one = received(station, people[0], at, officer=duc)
    odd = received(station, people[1], at, officer=duc, exception="bedridden", place="home")
    d = DayReviewDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    assert d.list.count() == 2 and d.current is not None
    assert d.current.uuid == odd.uuid  # the exception comes first
    assert d.portrait.pixmap() is not None and not d.portrait.pixmap().isNull()
    assert "Nằm liệt giường" in d.facts.text()
    d.send_back()  # no note: refused, nothing changes
    assert en.get(station, odd.uuid).status == "submitted"
    d.note.setPlainText("Chụp lại ảnh")
    d.send_back()
    back = en.get(station, odd.uuid)
    assert back.status == "returned" and back.review_note == "Chụp lại ảnh"
    assert f"Đã trả lại hồ sơ số {odd.receipt_no} cho cán bộ Lò Văn Đức" in d.status.text()
    assert d.list.count() == 1 and d.current is not None and d.current.uuid == plain_one.uuid
    d.approve()
    assert en.get(station, plain_one.uuid).status == "approved" and d.list.count() == 0
    assert f"Đã duyệt hồ sơ số {plain_one.receipt_no}" in d.status.text()
    close = next(b for b in d.findChildren(QPushButton) if b.text() == "Đóng")
    d.show()
    close.click()
    assert not d.isVisible()


def test_a_supervisor_reads_words_not_raw_values(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    make_app()
    duc = actors["officer"].officer_id
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    e = en.create_draft(station, people[0], officer_id=duc, actor=actors["officer"])
    en.record_exception(station, e.uuid, "faded_fingerprints", "Vân tay mờ",
                        actor=actors["officer"])  # fmt: skip
    # the demo's portraits keep {"demo": True} as their report: nothing raw may show
    en.attach_portrait(station, e.uuid, _jpeg(), 480, 640, {"demo": True},
                       actor=actors["officer"])  # fmt: skip
    take_ten(station, e.uuid, actors["officer"])
    en.submit(station, e.uuid, now=at, actor=actors["officer"])
    d = DayReviewDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    text = plain(d.facts.text())
    assert "Ngoại lệ về vân tay: Vân tay mờ" in text
    assert "Vân tay mờ — Vân tay mờ" not in text and "Ghi chú" not in text  # said once
    assert "Cán bộ thu nhận: Lò Văn Đức" in text
    assert "không kèm báo cáo chất lượng" in text
    assert not [raw for raw in RAW if raw in text], text


@pytest.fixture(scope="module")
def lying_checks() -> Any:
    return quality_checks(assess(lying_side_lit(), Mode.BEDRIDDEN).to_dict())


def test_the_renderer_shows_everything_a_case_holds(lying_checks: Any) -> None:
    """Built in the test: a bedridden DC01 person enrolled a second time, maybe a duplicate,
    with data corrected and a real failed photo check."""
    item = ReviewItem(
        "u-1", "NH-2026-000042", "Giàng Thị Pà", "Lò Văn Đức", "home",
        datetime(2026, 3, 12, 2, tzinfo=UTC),
        ({"subject": "portrait", "reason": "bedridden", "note": "Cụ bà nằm liệt giường"},),
        True, redo_reason="other", redo_note="Mất giấy hẹn", possible_duplicate=True,
        new_person=True, corrections=(("full_name", "Giàng Thị Pa", "Giàng Thị Pà"),
                                      ("sex", "M", "F")),
        checks=lying_checks, bedridden=True, rotation=270,
        returned_note="Ảnh bị mờ, đề nghị chụp lại",
    )  # fmt: skip
    text = plain(review_html(item))
    for words in ("Người mới (DC01)", "Có thể trùng hồ sơ", "Làm lại hồ sơ",
                  "ghi chú: “Mất giấy hẹn”", "Giấy hẹn: NH-2026-000042",
                  "Cán bộ thu nhận: Lò Văn Đức", "Nơi thu nhận: Thu nhận tại nhà",
                  "Lý do trả lại lần trước: “Ảnh bị mờ, đề nghị chụp lại”",
                  "Ngoại lệ về ảnh chân dung: Nằm liệt giường",
                  "Ghi chú của cán bộ: “Cụ bà nằm liệt giường”",
                  "Họ, chữ đệm và tên: Giàng Thị Pa → Giàng Thị Pà", "Giới tính: Nam → Nữ",
                  "Chụp khi người nằm", "xoay 270°",
                  "✓ Khuôn mặt được xoay thẳng (chụp nằm) — đạt", "✓ Ảnh nét — đạt",
                  "— không đạt"):  # fmt: skip
        assert words in text, words
    assert not [raw for raw in RAW if raw in text], text
    failed = [c for c in lying_checks if c.result == "fail"]
    assert failed and all(c.advice("vi") in text for c in failed)  # what the officer was told
    tags = list_text(item)
    assert "có thể trùng" in tags and "DC01" in tags and "làm lại hồ sơ" in tags


def test_each_check_says_what_the_officer_was_told_in_the_readers_language() -> None:
    """(Moved from test_override_reasons: the review shows words, no longer ``id = value``.)"""
    from resources import i18n

    checks = quality_checks({"checks": [
        {"id": "face_count", "passed": True, "severity": "fail", "value": 1.0},
        {"id": "exposure", "passed": False, "severity": "fail", "value": 0.17,
         "instruction": {"vi": "Ảnh quá tối", "en": "Too dark"}},
    ]})  # fmt: skip
    lines = [plain(line) for line in check_lines(checks)]
    assert lines == ["✗ Độ sáng phù hợp — không đạt\n    Ảnh quá tối",
                     "✓ Một khuôn mặt trong ảnh — đạt"]  # fmt: skip
    try:
        i18n.set_language("en")
        assert plain(check_lines(checks)[0]).endswith("Too dark")
        assert plain(check_lines(checks)[1]) == "✓ One face in the picture — passed"
    finally:
        i18n.set_language("vi")


def test_the_list_keeps_its_place_after_a_decision(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    make_app()
    duc = actors["officer"].officer_id
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    made = [received(station, people[i], at + timedelta(minutes=i), officer=duc)
            for i in range(12)]  # fmt: skip
    d = DayReviewDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    assert d.sizeHint().width() <= 1366 and d.sizeHint().height() <= 740  # fits a small screen
    d.resize(1100, 420)
    d.show()
    qtbot.waitExposed(d)
    bar = d.list.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    row = d.list.indexAt(d.list.viewport().rect().center()).row()
    d.list.setCurrentRow(row)
    chosen = d.list.currentItem().data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
    following = d.list.item(row + 1).data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
    d.approve()
    assert en.get(station, chosen).status == "approved"
    assert d.list.count() == 11 and d.list.currentRow() == row
    assert d.current is not None and d.current.uuid == following  # the next one, shown
    assert bar.value() == scrolled
    slip = next(e.receipt_no for e in made if e.uuid == chosen)
    assert d.status.text().startswith(f"Đã duyệt hồ sơ số {slip}")


def _jpeg() -> bytes:
    from tests.db.enrollment_fixtures import jpeg_bytes

    return jpeg_bytes()
