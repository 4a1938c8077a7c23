"""The officer's and the supervisor's day end to end (issue 11), offscreen, through the real
windows and dialogs: a photo kept with an exception (the dialog chooses nothing and Enter
retakes), a slip that waits for the supervisor, the same person refused a second enrollment,
the supervisor sending it back, the officer reading why, correcting and resubmitting, the
supervisor approving, and the daily tally printed from the Supervision menu.

Modal dialogs are the real ones, answered by a timer once they are up (as an officer would),
never replaced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from sqlalchemy import func, select

from db import accounts
from db import enrollment as enr
from db.actor import Actor
from db.models import Enrollment, Resident
from db.service import StationService
from db.station import StationDB
from db.vntime import today_local
from gui.duplicate_dialog import OpenEnrollmentDialog
from gui.main_window import MainWindow
from gui.review import DayReviewDialog
from gui.tally_dialog import TallyDialog
from gui.wizard.override import OverrideDialog
from printing import build_slip
from tests.conftest import TEST_PASSWORD
from tests.gui.desk_fixtures import fingers_taken, make_window, press, wizard_ready
from tests.gui.fakes import FakeCamera, good_face, lying_side_lit
from tests.printing.pdfcheck import pdf_text

XIENG = "011076433758"  # Quàng Văn Xiêng, Nậm Chua 2 (the sample register)


def when_modal(kind: type, act: Callable[[Any], None], seen: list[str]) -> None:
    """Once a modal ``kind`` is up, let ``act`` answer it (as the officer would)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(30, look)
            return
        seen.append(kind.__name__)
        act(dialog)

    QTimer.singleShot(30, look)


def enter_in(dialog: QWidget) -> None:
    """Enter where the keyboard focus is inside the dialog."""
    target = dialog.focusWidget() or dialog
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(target, Qt.Key.Key_Return)


def back_to(qtbot: Any, window: QWidget) -> None:
    """A closed modal dialog gives the window back its activation (the window manager's job,
    which the offscreen platform leaves undone)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def enrollments_of(db: StationDB, personal_id: str) -> list[Enrollment]:
    with db.Session() as s:
        rid = s.scalar(select(Resident.id).where(Resident.personal_id == personal_id))
        return list(s.scalars(select(Enrollment).where(Enrollment.resident_id == rid,
                                                       Enrollment.status != "discarded")))


def supervisor_of(db: StationDB) -> Actor:
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    info = accounts.create_officer(db, admin, "boss", "Quàng Văn Thanh", "supervisor",
                                   TEST_PASSWORD, temporary=False)  # fmt: skip
    return Actor(info.id, info.username, info.full_name, info.role)


def choose_person(qtbot: Any, w: MainWindow, query: str) -> None:
    box = w.lookup.box
    back_to(qtbot, w)  # the slip's preview or a dialog may have had the activation last
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=3000)
    box.clear()
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(box, query)
    if not box.hasFocus():  # a modal of the last step was still going away: take it back
        back_to(qtbot, w)
        box.setFocus()
        qtbot.waitUntil(box.hasFocus, timeout=3000)
    press(qtbot, Qt.Key.Key_Return)


def test_exception_duplicate_send_back_correct_approve_and_tally(
    qtbot: Any, register: StationDB, actor: Actor, camera: FakeCamera, no_dialogs: list[str],
    tmp_path: Path,
) -> None:
    boss = supervisor_of(register)
    w = make_window(qtbot, register, actor, camera)
    seen: list[str] = []

    # --- 1. a photo that fails a check: the dialog chooses nothing, Enter retakes -------------
    camera.show(lying_side_lit())
    choose_person(qtbot, w, XIENG)
    wizard_ready(qtbot, w, 0)
    press(qtbot, Qt.Key.Key_Return)  # details are right
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    qtbot.waitUntil(lambda: portrait.latest is not None
                    and portrait.latest.report.face is not None, timeout=15000)  # fmt: skip
    defaults: dict[str, object] = {}

    def look_then_enter(d: OverrideDialog) -> None:
        defaults.update(chosen=d.choice(), keep=d.keep_button.isEnabled(),
                        retake_default=d.retake_button.isDefault(),
                        bedridden=d.findChild(QWidget, "reason_bedridden") is not None)  # fmt: skip
        enter_in(d)

    when_modal(OverrideDialog, look_then_enter, seen)
    press(qtbot, Qt.Key.Key_F5)  # take the photo now
    qtbot.waitUntil(lambda: seen == ["OverrideDialog"], timeout=15000)
    assert defaults == {"chosen": None, "keep": False, "retake_default": True,
                        "bedridden": False}  # fmt: skip
    qtbot.waitUntil(lambda: portrait.camera.running, timeout=5000)  # Enter retook
    back_to(qtbot, w)
    assert enr.get(register, wizard.ctx.uuid).portrait is None  # nothing was kept

    def keep_for_injury(d: OverrideDialog) -> None:
        d.findChild(QWidget, "reason_injury").click()
        d.keep_button.click()

    when_modal(OverrideDialog, keep_for_injury, seen)
    qtbot.waitUntil(lambda: portrait.latest is not None
                    and portrait.latest.report.face is not None, timeout=15000)  # fmt: skip
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    back_to(qtbot, w)
    wizard = wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)  # portrait kept: next
    wizard = fingers_taken(qtbot, w)
    press(qtbot, Qt.Key.Key_Return)  # review: save
    wizard = wizard_ready(qtbot, w, 4)
    first_uuid = wizard.ctx.uuid
    assert first_uuid is not None
    slip_text = pdf_text(build_slip(StationService(register, actor).slip(first_uuid)))
    assert "phê duyệt" in slip_text  # no firm return date while the exception waits
    press(qtbot, Qt.Key.Key_Return)  # next person
    qtbot.waitUntil(lambda: w.wizard is None, timeout=5000)
    [first] = enrollments_of(register, XIENG)
    assert first.status == "submitted"

    # --- 2. the same person again: refused, and Enter creates nothing -------------------------
    refused: dict[str, object] = {}

    def look_then_cancel(d: OpenEnrollmentDialog) -> None:
        cancel = d.findChild(QPushButton, "cancel")
        refused.update(cancel_default=cancel is not None and cancel.isDefault())
        enter_in(d)

    when_modal(OpenEnrollmentDialog, look_then_cancel, seen)
    choose_person(qtbot, w, XIENG)
    qtbot.waitUntil(lambda: "OpenEnrollmentDialog" in seen, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)
    back_to(qtbot, w)
    assert refused == {"cancel_default": True}
    assert w.wizard is None and len(enrollments_of(register, XIENG)) == 1

    # --- 3. the supervisor sends it back with a note ------------------------------------------
    supervisor = StationService(register, boss)
    review = DayReviewDialog(supervisor)
    qtbot.addWidget(review)
    assert review.current is not None and review.current.uuid == first_uuid
    review.note.setPlainText("Ảnh bị lóa: chụp lại nơi sáng đều")
    review.send_back()
    assert enr.get(register, first_uuid).status == "returned"
    review.close()

    # --- 4. the officer reads why, corrects and resubmits from the today list -----------------
    desk = w.desk
    desk.refresh()
    qtbot.waitUntil(lambda: any("chụp lại nơi sáng đều" in desk.today.item(i).text()
                                for i in range(desk.today.count())), timeout=5000)  # fmt: skip
    row = next(i for i in range(desk.today.count())
               if "chụp lại nơi sáng đều" in desk.today.item(i).text())  # fmt: skip
    desk.today.setCurrentRow(row)
    assert desk.correct_button.isEnabled()
    camera.show(good_face())
    qtbot.mouseClick(desk.correct_button, Qt.MouseButton.LeftButton)
    wizard = wizard_ready(qtbot, w, 0)
    qtbot.waitUntil(lambda: "chụp lại nơi sáng đều" in wizard.sent_back.text(), timeout=5000)
    correction_uuid = wizard.ctx.uuid
    assert correction_uuid != first_uuid
    press(qtbot, Qt.Key.Key_Return)  # details
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    press(qtbot, Qt.Key.Key_F6)  # retake: the glare is what was asked to fix
    qtbot.waitUntil(lambda: portrait._stored, timeout=20000)  # a good photo takes itself
    wizard = wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)
    wizard = fingers_taken(qtbot, w)  # the prints came with the correction
    press(qtbot, Qt.Key.Key_Return)  # save: resubmitted
    wizard = wizard_ready(qtbot, w, 4)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.wizard is None, timeout=5000)
    resubmitted = enr.get(register, correction_uuid)
    assert resubmitted.status == "submitted" and resubmitted.corrects_uuid == first_uuid

    # --- 5. the supervisor approves it ---------------------------------------------------------
    review = DayReviewDialog(supervisor)
    qtbot.addWidget(review)
    assert review.current is not None and review.current.uuid == correction_uuid
    assert "chụp lại nơi sáng đều" in review.facts.text()  # what it was sent back for
    review.approve()
    assert enr.get(register, correction_uuid).status == "approved"
    review.close()

    # --- 6. the daily tally, printed from the Supervision menu ---------------------------------
    boss_window = MainWindow(StationService(register, boss), camera_factory=camera.factory)
    qtbot.addWidget(boss_window)
    boss_window.show()
    tally_pdf: list[bytes] = []

    def build_and_print(d: TallyDialog) -> None:
        def built(pdf: bytes) -> None:
            tally_pdf.append(pdf)
            assert d.preview is not None
            d.preview.printed.connect(lambda _pages: d.accept())
            d.preview.print_document()

        d.built.connect(built)
        d.choose(today_local())
        d.build()

    when_modal(TallyDialog, build_and_print, seen)
    tally_action = next(a for a in boss_window.supervision.menu.actions()
                        if a.text().replace("&", "") == "Thống kê ngày…")  # fmt: skip
    tally_action.trigger()  # returns when the dialog is closed
    assert "TallyDialog" in seen and tally_pdf
    printed = tmp_path / "printed.pdf"
    assert printed.exists() and printed.stat().st_size > 0
    text = pdf_text(tally_pdf[0])
    assert register.info().name in text or "Nà Hỳ" in text
    with register.Session() as s:
        received = s.scalar(select(func.count()).select_from(Enrollment)
                            .where(Enrollment.receipt_no.is_not(None)))  # fmt: skip
    assert received == 2  # the first and its correction, each with its own slip
    assert not no_dialogs, no_dialogs  # no error was shown anywhere
