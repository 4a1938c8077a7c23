"""A card read instead of typed (issue 17): a keyboard-wedge scanner types the card's QR text
into the lookup box and Enter; the search waits for the Enter, finds the holder by number, shows
what the card says otherwise, and the details step offers the card's value as a correction."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.gui.desk_fixtures import make_window, press, wizard_ready

# Quàng Văn Xiêng of the sample register (born 30/11/1976), as a scanner without a Vietnamese
# layout types his card: letters without marks; the card gives another birth day.
SCANNED = "011076433758||Quang Van Xieng|30111975|Nam|Ban Nam Chua 2, xa Na Hy|01072021"


def test_a_scanned_card_finds_its_holder_and_becomes_a_correction(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    page = w.lookup
    searches: list[int] = []
    page.search_finished.connect(lambda: searches.append(1))
    qtbot.keyClicks(page.box, SCANNED)
    qtbot.wait(300)  # longer than the typing pause: nothing is searched while the code arrives
    assert searches == [] and page.model.rowCount() == 0
    assert "Enter" in page.status.text()
    with qtbot.waitSignal(page.search_finished, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    assert page.box.text() == "011076433758"
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data() == "Quàng Văn Xiêng"
    note = page.detail.card_note
    qtbot.waitUntil(note.isVisible, timeout=3000)
    assert "30/11/1975" in note.text() and "30/11/1976" in note.text()
    assert "Họ và tên" not in note.text()  # only the marks differ: a scanner's, not a difference
    assert "Ban Nam Chua 2" in note.text()  # the address, as a hint

    press(qtbot, Qt.Key.Key_Return)  # choose him
    wizard = wizard_ready(qtbot, w, 0)
    details = wizard.steps[0]
    button = details.card_bar.findChild(QPushButton, "fromCard_birth")
    assert details.card_bar.isVisible() and button is not None and "30/11/1975" in button.text()
    assert details.card_bar.findChild(QPushButton, "fromCard_full_name") is None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert details.edits["birth"].text() == "30/11/1975"
    assert "30/11/1976" in details.notes["birth"].text()  # marked corrected, register's value
    assert details.save()["corrections"]["birth"]["to"] == "30/11/1975"


def test_a_damaged_read_says_scan_again(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    page = w.lookup
    qtbot.keyClicks(page.box, "011076433758|12ab|Quang")
    press(qtbot, Qt.Key.Key_Return)
    assert "quét lại" in page.status.text() and page.model.rowCount() == 0
