"""The lookup screen driven like an officer: type, wait, read the table and the detail panel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db.register.importer import import_register
from db.service import StationService
from gui.app import make_app
from gui.main_window import MainWindow
from resources import path as resource_path


@pytest.fixture
def window(qtbot, station, actors):  # type: ignore[no-untyped-def]
    make_app()
    import_register(station, resource_path("sample_register.csv"))
    w = MainWindow(StationService(station, actors["officer"]))
    qtbot.addWidget(w)
    w.show()
    return w


def type_and_wait(qtbot, page, text: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.search_finished, timeout=5000):
        page.box.clear()
        qtbot.keyClicks(page.box, text)


def test_typing_shows_results_and_details(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.lookup
    assert page.box.hasFocus() or page.box.text() == ""
    type_and_wait(qtbot, page, "quang xieng")
    model = page.model
    assert model.rowCount() >= 1
    first = model.index(0, 0).data()
    assert first == "Quàng Văn Xiêng"
    assert model.index(0, 3).data() == "011076433758"
    qtbot.waitUntil(
        lambda: page.detail.values["full_name"].text() == "Quàng Văn Xiêng", timeout=3000
    )
    assert page.detail.values["village"].text() == "Nậm Chua 2"
    assert page.detail.values["birth_display"].text() == "30/11/1976"
    assert "Tìm thấy" in page.status.text() or "found" in page.status.text()


def test_id_number_and_no_result(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.lookup
    type_and_wait(qtbot, page, "011076433758")
    assert page.model.rowCount() == 1
    type_and_wait(qtbot, page, "zzzz")
    assert page.model.rowCount() == 0
    assert page.detail.values["full_name"].text() == ""


def test_vietnamese_headers_and_enter_chooses(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.lookup
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert "tên" in headers[0] and headers[1] == "Ngày sinh"  # Vietnamese by default
    type_and_wait(qtbot, page, "quang van xieng")
    with qtbot.waitSignal(page.resident_chosen, timeout=2000) as blocker:
        qtbot.keyClick(page.box, Qt.Key.Key_Return)
    assert blocker.args[0] == page.model.hit(0).id


def test_stale_results_are_dropped(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.lookup
    from db.search import SearchResult

    page._seq = 5
    page._show(4, SearchResult([], False))  # an older query answering late
    assert page._shown_seq == 0


def test_an_officer_marks_a_home_visit_from_the_details(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    from gui.visit_flag import FlagVisitDialog

    page = window.lookup
    type_and_wait(qtbot, page, "quang xieng")
    qtbot.waitUntil(lambda: page.detail.shown is not None, timeout=3000)
    assert page.detail.flag_button.isVisibleTo(page.detail)

    def answer(dialog: FlagVisitDialog) -> int:
        dialog.reason.setCurrentIndex(dialog.reason.findData("no_transport"))
        dialog.note.setText("Nhà trên núi, không có xe")
        with qtbot.waitSignal(dialog.flagged, timeout=5000):
            dialog.save()
        return 1

    monkeypatch.setattr(FlagVisitDialog, "exec", answer)
    page.detail.flag_button.click()
    qtbot.waitUntil(lambda: "Không có phương tiện" in
                    page.detail.values["home_visit_reason"].text(), timeout=5000)  # fmt: skip
    assert "Nhà trên núi" in page.detail.values["home_visit_reason"].text()
