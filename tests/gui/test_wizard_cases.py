"""The hard cases at the desk: a bedridden person needing an override, a camera unplugged in
the middle of the portrait, a crash followed by resume, double clicks and a held-down Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from db import enrollment as enr
from gui.main_window import MainWindow
from tests.gui.desk_fixtures import fingers_taken, make_window, press, wizard_ready
from tests.gui.fakes import FakeCamera, lying_side_lit


def open_person(qtbot: Any, w: MainWindow, query: str = "011076433758") -> None:
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, query)
    press(qtbot, Qt.Key.Key_Return)


def to_portrait(qtbot: Any, w: MainWindow) -> Any:
    open_person(qtbot, w)
    wizard_ready(qtbot, w, 0)
    press(qtbot, Qt.Key.Key_Return)
    return wizard_ready(qtbot, w, 1)


def test_bedridden_person_needs_an_override(
    qtbot: Any, register: Any, actor: Any, no_dialogs: list[str], monkeypatch: Any
) -> None:
    cam = FakeCamera([lying_side_lit()])
    asked: list[Any] = []

    def ask(report: Any, parent: Any) -> tuple[str, str | None]:
        asked.append(report)
        return "bedridden", "nằm liệt giường, chỉ có đèn bên cửa sổ"

    monkeypatch.setattr("gui.wizard.portrait.override.ask", ask)
    w = make_window(qtbot, register, actor, cam)
    wizard = to_portrait(qtbot, w)
    portrait = wizard.steps[1]
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # the bedridden switch
    assert portrait.bedridden.isChecked()
    qtbot.waitUntil(
        lambda: portrait.latest is not None and portrait.latest.report.face is not None
        and portrait.latest.report.rotation in (90, 270),
        timeout=8000,
    )  # fmt: skip
    assert not portrait.latest.report.accepted  # side light: never passes, so no auto capture
    press(qtbot, Qt.Key.Key_F5)  # capture anyway
    qtbot.waitUntil(lambda: portrait._stored, timeout=10000)
    assert asked and {c.id for c in asked[0].failures} & {"lighting", "exposure"}
    info = enr.get(register, wizard.ctx.uuid)
    assert info.portrait is not None and info.portrait.bedridden
    assert info.portrait.exception_reason == "bedridden"
    assert info.exceptions and info.exceptions[0]["subject"] == "portrait"
    assert "phê duyệt" in portrait.photo_note.text() or "supervisor" in portrait.photo_note.text()
    wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)
    review = fingers_taken(qtbot, w).steps[3]
    qtbot.waitUntil(lambda: bool(review.notice.text()), timeout=5000)
    assert "phê duyệt" in review.notice.text() or "supervisor" in review.notice.text()
    w.close()
    assert cam.open_devices == 0


def test_camera_unplugged_mid_capture_keeps_the_draft(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str],
    monkeypatch: Any, tmp_path: Any,
) -> None:  # fmt: skip
    from tests.gui.fakes import no_face

    camera.show(no_face())  # nobody sat down yet: no automatic capture
    w = make_window(qtbot, register, actor, camera)
    wizard = to_portrait(qtbot, w)
    portrait = wizard.steps[1]
    qtbot.waitUntil(lambda: portrait.latest is not None, timeout=8000)
    camera.unplug()
    qtbot.waitUntil(lambda: portrait.reconnect_button.isVisible(), timeout=8000)
    assert "ngắt" in portrait.status.text() or "disconnected" in portrait.status.text()
    assert camera.open_devices == 0 and not portrait.camera.running
    info = enr.get(register, wizard.ctx.uuid)
    assert info.status == "draft" and "details" in info.draft  # the draft is kept
    # reconnect: plugged back with the person in front of it -> the photo takes itself
    camera.plug()
    camera.show(__import__("tests.gui.fakes", fromlist=["good_face"]).good_face())
    qtbot.mouseClick(portrait.reconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    assert not portrait.reconnect_button.isVisible()
    # or a phone photo from a file instead
    photo = tmp_path / "phone.jpg"
    import cv2

    from tests.gui.fakes import good_face

    cv2.imwrite(str(photo), good_face())
    monkeypatch.setattr(
        "gui.wizard.portrait.open_file_name", lambda *a, **k: str(photo)
    )
    before = enr.get(register, wizard.ctx.uuid).portrait
    qtbot.mouseClick(portrait.file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: portrait.source == "file" and not portrait.busy(), timeout=10000)
    after = enr.get(register, wizard.ctx.uuid).portrait
    assert before is not None and after is not None and after.attempts == before.attempts + 1
    w.close()
    assert camera.open_devices == 0


def test_crash_then_resume_brings_back_typed_data_and_portrait(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    open_person(qtbot, w)
    wizard = wizard_ready(qtbot, w, 0)
    wizard.steps[0].edits["phone"].setText("0987654321")
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    uuid = wizard.ctx.uuid
    # the "crash": the window goes away without any finishing path (no Next, no save)
    w.close()
    del w, wizard, portrait
    assert camera.open_devices == 0

    w2 = make_window(qtbot, register, actor, camera)
    qtbot.waitUntil(lambda: w2.desk.drafts.count() == 1, timeout=5000)
    assert "1 " in w2.desk.drafts_title.text()
    qtbot.mouseClick(w2.desk.resume_button, Qt.MouseButton.LeftButton)
    wizard2 = wizard_ready(qtbot, w2, 1)  # back at the portrait step
    assert wizard2.ctx.uuid == uuid
    assert wizard2.steps[0].edits["phone"].text() == "0987654321"
    portrait = wizard2.steps[1]
    assert portrait._stored and not portrait.camera.running  # no new photo needed
    qtbot.waitUntil(lambda: portrait.photo.pixmap() is not None
                    and not portrait.photo.pixmap().isNull(), timeout=5000)  # fmt: skip
    press(qtbot, Qt.Key.Key_Return)
    wizard_ready(qtbot, w2, 2)


def test_double_click_and_held_enter_never_skip_a_step(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    from tests.gui.fakes import no_face

    camera.show(no_face())
    w = make_window(qtbot, register, actor, camera)
    open_person(qtbot, w)
    press(qtbot, Qt.Key.Key_Return, autorepeat=True)  # Enter held down in the lookup
    wizard = wizard_ready(qtbot, w, 0)
    first = wizard
    next_button = wizard.next_button
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # the double click's second half
    qtbot.waitUntil(lambda: wizard.index == 1, timeout=5000)
    qtbot.wait(50)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # a third, right after arriving
    assert wizard.index == 1
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Return, autorepeat=True)  # Enter held down
    qtbot.wait(100)
    assert wizard.index == 1 and w.wizard is first
    drafts = enr.list_drafts(register)
    assert len(drafts) == 1  # one enrollment, however many presses
    # at the review: a double click on Save submits once
    camera.show(__import__("tests.gui.fakes", fromlist=["good_face"]).good_face())
    qtbot.waitUntil(lambda: wizard.steps[1]._stored, timeout=15000)
    wizard_ready(qtbot, w, 1)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    step = wizard_ready(qtbot, w, 2).steps[2]
    qtbot.waitUntil(lambda: not step.untaken() and not step.writes, timeout=30000)
    wizard_ready(qtbot, w, 2)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    wizard_ready(qtbot, w, 3)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    wizard_ready(qtbot, w, 4)
    assert enr.get(register, wizard.ctx.uuid).status == "submitted"
    w.close()
