"""Keyboard flow that never depends on focus (issue 11): every advertised key of a step acts
with the focus on any widget of that step, and the three cases seen on screen — Ctrl+P before
the slip preview was clicked, Ctrl+B after "Retake", Enter for "Next person" with the preview
focused — do what they say."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from db.types import EnrollmentInfo
from gui.main_window import MainWindow
from gui.wizard.wizard import EnrollmentWizard
from tests.db.enrollment_fixtures import jpeg_bytes
from tests.fingers import take_ten
from tests.gui.desk_fixtures import make_window, press, wizard_ready
from tests.gui.fakes import FakeCamera, no_face


def submitted(w: MainWindow) -> tuple[Any, EnrollmentInfo]:
    """A person received through the service (details, portrait, submit), and their record."""
    service = w.service
    hit = service.search("011076433758").hits[0]
    info = service.start_enrollment(hit.id)
    service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
    service.attach_portrait(info.uuid, jpeg_bytes(), 480, 640, {})
    take_ten(service, info.uuid)
    return service.resident(hit.id), service.submit(info.uuid)


def open_at(qtbot: Any, w: MainWindow, detail: Any, info: EnrollmentInfo, index: int
            ) -> EnrollmentWizard:  # fmt: skip
    w._open(detail, info)
    assert w.wizard is not None
    wizard = w.wizard
    wizard.guard_seconds = 0
    qtbot.waitUntil(lambda: wizard.ready, timeout=8000)
    if wizard.index != index:
        wizard._show(index)
    return wizard


def focus_targets(wizard: EnrollmentWizard) -> list[QWidget]:
    """Every widget of the current step that can take the focus, the step itself, and the
    wizard's own buttons."""
    step = wizard.current
    inside = [x for x in step.findChildren(QWidget)
              if x.focusPolicy() != Qt.FocusPolicy.NoFocus and x.isVisible() and x.isEnabled()]
    buttons = [b for b in (wizard.back_button, wizard.next_button) if b.isEnabled()]
    return [step, *inside, *buttons]


def key_of(shortcut: QShortcut) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    combo = shortcut.key()[0]
    return combo.key(), combo.keyboardModifiers()


def count_activations(shortcuts: list[QShortcut]) -> dict[str, int]:
    """Each shortcut counts its activations instead of acting (what it does is tested by the
    flows below; here only that the key reaches it, whatever has the focus)."""
    counts: dict[str, int] = {}
    for sc in shortcuts:
        name = sc.key().toString()
        counts[name] = 0
        sc.activated.disconnect()
        sc.activated.connect(lambda name=name: counts.__setitem__(name, counts[name] + 1))
    return counts


def test_every_key_of_every_step_acts_with_the_focus_anywhere(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    camera.show(no_face())  # no automatic capture meanwhile
    w = make_window(qtbot, register, actor, camera)
    detail, info = submitted(w)
    wizard = open_at(qtbot, w, detail, info, 4)
    slip = wizard.steps[4]
    qtbot.waitUntil(lambda: slip.preview is not None, timeout=10000)
    advertised = {i: [k.key().toString() for k in keys] for i, keys in enumerate(wizard.step_keys)}
    assert advertised[1] == ["F5", "F6", "Ctrl+O", "Ctrl+B"] and advertised[4] == ["Ctrl+P"]
    assert advertised[2] == ["F5", "F6", "Ctrl+G", "Ctrl+K", "Ctrl+H", "F7", "F8"]
    counts = count_activations([*wizard.keys, *(k for keys in wizard.step_keys for k in keys)])
    tried = 0
    for index in range(len(wizard.steps)):
        wizard._show(index)
        qtbot.waitUntil(lambda: wizard.ready, timeout=5000)
        shortcuts = [*wizard.keys, *wizard.step_keys[index]]
        for target in focus_targets(wizard):
            target.setFocus()
            qtbot.waitUntil(lambda t=target: QApplication.focusWidget() in (t, t.focusProxy()),
                            timeout=2000)  # fmt: skip
            for sc in shortcuts:
                name = sc.key().toString()
                before = counts[name]
                key, mods = key_of(sc)
                if key == Qt.Key.Key_Enter:
                    mods |= Qt.KeyboardModifier.KeypadModifier  # the keypad's Enter
                qtbot.keyClick(QApplication.focusWidget(), key, mods)
                assert counts[name] == before + 1, (index, name, target)
                tried += 1
            # another step's keys do nothing here
            for other, keys in enumerate(wizard.step_keys):
                for sc in keys if other != index else []:
                    assert not sc.isEnabled()
    assert tried > 40
    w.close()


def test_ctrl_p_prints_before_the_preview_is_clicked_and_enter_goes_on_from_it(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    camera.show(no_face())
    w = make_window(qtbot, register, actor, camera)
    detail, info = submitted(w)
    wizard = open_at(qtbot, w, detail, info, 4)
    slip = wizard.steps[4]
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # maybe still building
    qtbot.waitUntil(lambda: slip.preview is not None, timeout=10000)
    assert slip.preview is not None
    if slip.preview.print_button.isEnabled() and not slip.preview.status.text():
        with qtbot.waitSignal(slip.preview.printed, timeout=20000):
            press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.waitSignal(slip.preview.printed, timeout=20000).wait()
    # the officer clicks into the preview (it takes the focus), then presses Enter
    slip.preview.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is slip.preview.view, timeout=2000)
    qtbot.waitUntil(lambda: wizard.ready, timeout=5000)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.wizard is None and w.lookup.box.hasFocus(), timeout=5000)
    w.close()


def test_ctrl_b_after_retake(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str],
    monkeypatch: Any,
) -> None:  # fmt: skip
    from PySide6.QtWidgets import QDialog

    from gui.wizard import override
    from tests.gui.fakes import lying_side_lit

    class AnsweredRetake(override.OverrideDialog):  # the real dialog; "Chụp lại" pressed
        def exec(self) -> int:
            self.retake_button.click()
            return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(override, "OverrideDialog", AnsweredRetake)
    w = make_window(qtbot, register, actor, camera)
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, "011076433758")
    press(qtbot, Qt.Key.Key_Return)
    wizard_ready(qtbot, w, 0)
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)  # the photo took itself
    camera.show(no_face())
    qtbot.mouseClick(portrait.retake_button, Qt.MouseButton.LeftButton)  # "Chụp lại"
    assert portrait.camera.running
    lying = portrait.bedridden.isChecked()
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert portrait.bedridden.isChecked() is not lying
    portrait.retake_button.setFocus()  # the focus left on the button clicked
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert portrait.bedridden.isChecked() is lying
    # a failed photo, "Chụp lại" in the override dialog, and the focus nowhere in the page
    camera.show(lying_side_lit())
    qtbot.waitUntil(lambda: portrait.latest is not None
                    and portrait.latest.report.face is not None, timeout=8000)  # fmt: skip
    attempts = portrait.attempts
    portrait.capture_now()
    qtbot.waitUntil(lambda: portrait.attempts > attempts and not portrait.busy(), timeout=10000)
    assert portrait.camera.running  # retaking
    wizard.next_button.setFocus()
    qtbot.keyClick(wizard.next_button, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert portrait.bedridden.isChecked() is not lying
    w.close()
    assert camera.open_devices == 0


def test_keys_are_shortcuts_of_the_window_not_of_the_focus(qtbot: Any) -> None:
    """What makes them focus-proof: window context, no auto-repeat (a held key acts once)."""
    owner = QWidget()
    qtbot.addWidget(owner)
    sc = EnrollmentWizard._shortcut(owner, "Ctrl+P", lambda: None)
    assert sc.context() == Qt.ShortcutContext.WindowShortcut and not sc.autoRepeat()
    assert sc.key() == QKeySequence("Ctrl+P")
