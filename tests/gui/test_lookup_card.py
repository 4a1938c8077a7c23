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


def test_a_person_whose_card_arrived_is_handed_it_from_the_lookup(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QApplication

    from db import accounts
    from db.actor import Actor
    from db.service import StationService
    from gui.card_handover import HandoverDialog
    from tests.conftest import TEST_PASSWORD
    from tests.db.enrollment_fixtures import received
    from tests.gui.test_lookup import type_and_wait

    admin = accounts.create_first_admin(register, "admin", "Vì Văn Quản", TEST_PASSWORD)
    i = accounts.create_officer(register, admin, "boss", "Quàng Văn Thanh", "supervisor",
                                TEST_PASSWORD, temporary=False)  # fmt: skip
    boss = StationService(register, Actor(i.id, i.username, i.full_name, i.role))
    w = make_window(qtbot, register, actor, camera)
    page = w.lookup
    type_and_wait(qtbot, page, "011076433758")
    rid = page.model.hit(0).id
    qtbot.waitUntil(lambda: page.detail.shown is not None, timeout=3000)
    assert not page.detail.handover_button.isVisible()  # nothing has come back yet
    e = received(register, rid, datetime.now(UTC) - timedelta(days=9), officer=actor.officer_id)
    boss.approve(e.uuid)
    boss.cards_arrived([str(e.receipt_no)])
    type_and_wait(qtbot, page, "quang van xieng")
    qtbot.waitUntil(page.detail.handover_button.isVisible, timeout=3000)
    opened: list[HandoverDialog] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, HandoverDialog)
        opened.append(dialog)
        qtbot.waitUntil(lambda: dialog.info is not None, timeout=5000)
        dialog.reject()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, look)
    qtbot.mouseClick(page.detail.handover_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].info is not None
    assert opened[0].info.enrollment_uuid == e.uuid


def test_the_webcam_reads_the_card_and_the_lookup_finds_its_holder(
    qtbot: Any, register: Any, actor: Any, no_dialogs: list[str]
) -> None:
    """F6 in the lookup: the camera worker reads the card held up (a fake camera fed with a
    card frame); the first read closes the dialog and the holder is found by number."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.capture.card_images import aimed, card_front, held, sensor
    from tests.gui.fakes import FakeCamera

    text = "011076433758||Quàng Văn Xiêng|30111976|Nam|Bản Nậm Chua 2, xã Nà Hỳ|01072021"
    card = sensor(held(card_front(text), aimed(4.0, turn_deg=10, text=text), seed=3), seed=3)
    w = make_window(qtbot, register, actor, FakeCamera([card]))
    page = w.lookup

    def give_up() -> None:  # a reader that never reads must not hang the suite
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(15000, give_up)
    with qtbot.waitSignal(page.search_finished, timeout=20000):
        press(qtbot, Qt.Key.Key_F6)
    assert page.model.rowCount() == 1 and page.model.index(0, 0).data() == "Quàng Văn Xiêng"
    qtbot.waitUntil(page.detail.card_note.isVisible, timeout=3000)
    assert "khớp" in page.detail.card_note.text()  # read by the camera: the letters agree
    assert "máy quét" not in page.detail.card_note.text()
