"""The fingerprint step driven with the simulated scanner (issue 13): a finger failing three
times then marked faded, a missing finger, a whole hand, a crash and resume, a scanner
unplugged and replaced by its image folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
from PySide6.QtCore import Qt

from capture.fingerprint.simulator import impression
from db import enrollment as enr
from db.service import StationService
from gui.main_window import MainWindow
from gui.wizard import finger_condition
from gui.wizard.finger_condition import FingerConditionDialog
from gui.wizard.fingerprints import FingerprintStep
from tests.gui.desk_fixtures import fingers_taken, make_window, press, wizard_ready
from tests.gui.fakes import FakeCamera, ScannerRig
from tests.gui.test_e2e_office import back_to, when_modal

XIENG_ID = "011076433758"


def at_fingerprints(qtbot: Any, register: Any, actor: Any, camera: FakeCamera,
                    scanner: ScannerRig) -> tuple[MainWindow, FingerprintStep]:  # fmt: skip
    """A person chosen, details confirmed and the portrait taken: the fingerprint step."""
    w = make_window(qtbot, register, actor, camera, scanner)
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, XIENG_ID)
    press(qtbot, Qt.Key.Key_Return)
    wizard_ready(qtbot, w, 0)
    press(qtbot, Qt.Key.Key_Return)
    portrait = wizard_ready(qtbot, w, 1).steps[1]
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)
    step = wizard_ready(qtbot, w, 2).steps[2]
    assert isinstance(step, FingerprintStep)
    return w, step


def stuck_on(qtbot: Any, step: FingerprintStep, fingers: list[int]) -> None:
    qtbot.waitUntil(lambda: step._stuck() == fingers and not step.scanner.busy
                    and not step.writes, timeout=30000)  # fmt: skip


def test_a_finger_failing_three_times_is_marked_faded_and_waits_for_the_supervisor(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str],
) -> None:  # fmt: skip
    rig = ScannerRig(degraded={3: ("faded", 1.0)})
    w, step = at_fingerprints(qtbot, register, actor, camera, rig)
    stuck_on(qtbot, step, [3])  # the right slap: three attempts, finger 3 never passes
    assert tuple(step.tries[(3, "flat")]) == step.rows[(3, "flat")].attempt_scores
    assert len(step.tries[(3, "flat")]) == 3 and max(step.tries[(3, "flat")]) < step.threshold
    assert all(step.done((f, "flat")) for f in (2, 4, 5))  # its neighbours passed
    assert "ngón giữa tay phải" in step.heading.text() and "Ctrl+K" in step.heading.text()
    assert "Vân tay mờ" in step.reasons.text() + step.score.text()
    assert step.keep_button.isVisible()
    seen: list[str] = []
    dialog_actions = []

    def answer(d: FingerConditionDialog) -> None:
        # the finger is ticked already; Enter alone records nothing (Cancel is the default)
        assert d.finger_boxes[3].isChecked() and not d.record_button.isEnabled()
        assert d.cancel_button.isDefault()
        qtbot.mouseClick(d.condition_buttons["faded"], Qt.MouseButton.LeftButton)
        d.note.insert("vân tay mòn do làm nương")  # typed with the Vietnamese keyboard (IME)
        assert d.record_button.isEnabled()
        qtbot.mouseClick(d.record_button, Qt.MouseButton.LeftButton)
        dialog_actions.extend(["condition", "note", "record"])

    when_modal(FingerConditionDialog, answer, seen)
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: seen == ["FingerConditionDialog"] and step.current is None
                    and not step.writes, timeout=30000)  # fmt: skip
    back_to(qtbot, w)
    review = fingers_taken(qtbot, w)
    actions = 1 + len(dialog_actions) + 1  # Ctrl+K, the dialog, Enter
    print(f"\nofficer actions on the fingerprint step (a finger still faded after "
          f"{step.max_attempts} attempts): {actions}")
    info = enr.get(register, review.ctx.uuid)
    [third] = [p for p in info.fingerprints if p.finger == 3]
    assert (third.condition, third.note, third.attempts) == ("faded", "vân tay mòn do làm nương",
                                                             3)  # fmt: skip
    assert not third.taken
    assert sum(p.taken for p in info.fingerprints) == 9
    [exc] = [x for x in info.exceptions if x["subject"] == "fingerprints"]
    assert exc["reason"] == "faded_fingerprints"
    w.close()


def test_a_missing_finger_and_a_hand_that_cannot_open(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str],
    monkeypatch: Any,
) -> None:  # fmt: skip
    rig = ScannerRig(missing={7})
    answers = [([7], "missing", "cụt ngón từ nhỏ")]
    monkeypatch.setattr(finger_condition, "ask", lambda fingers, **kw: answers.pop(0))
    w, step = at_fingerprints(qtbot, register, actor, camera, rig)
    stuck_on(qtbot, step, [7])  # never found on the glass, three times
    assert (7, "flat") not in step.rows
    assert not step.keep_button.isVisible()  # nothing to keep: only a condition goes on
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    review = fingers_taken(qtbot, w)
    uuid = review.ctx.uuid
    info = enr.get(register, uuid)
    assert {p.finger: p.condition for p in info.fingerprints if p.condition} == {7: "missing"}
    # back to the fingerprints: the whole left hand, which the person cannot open
    press(qtbot, Qt.Key.Key_Escape)
    step = wizard_ready(qtbot, w, 2).steps[2]
    qtbot.waitUntil(lambda: step.current is None and not step.scanner.busy, timeout=10000)
    step.table.selectRow(next(i for i in range(step.table.rowCount())
                              if step.table.item(i, 0).text() == "ngón giữa tay trái"))  # fmt: skip
    retaken = step.selected_key()
    assert retaken == (8, "flat")
    step.scanner.close()
    rig.set(delay=5.0)  # the person is slow to place the hand: the officer decides meanwhile
    answers.append(([7, 8, 9, 10], "cannot_place", "co quắp sau tai biến"))
    press(qtbot, Qt.Key.Key_F6)  # take the left middle again: it becomes current
    qtbot.waitUntil(lambda: step.current is not None and 8 in step.current.fingers,
                    timeout=10000)  # fmt: skip
    press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: step.current is None and not step.writes, timeout=10000)
    info = enr.get(register, uuid)
    assert {p.finger: p.condition for p in info.fingerprints if p.condition} == {
        7: "cannot_place", 8: "cannot_place", 9: "cannot_place", 10: "cannot_place"}
    w.close()


def test_a_crash_after_the_right_hand_resumes_at_the_left_with_the_prints_kept(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    rig = ScannerRig(disconnect_after=1)  # the cable goes after the first slap...
    w, step = at_fingerprints(qtbot, register, actor, camera, rig)
    # ...and the step offers to reconnect or to read the scanner's folder
    qtbot.waitUntil(lambda: "F7" in step.heading.text() and not step.scanner.busy,
                    timeout=30000)  # fmt: skip
    assert all(step.done((f, "flat")) for f in (2, 3, 4, 5))
    uuid = step.ctx.uuid
    press(qtbot, Qt.Key.Key_Escape)  # back to the portrait and on again: nothing is lost...
    wizard_ready(qtbot, w, 1)
    assert "fingerprints" not in enr.get(register, uuid).draft  # the step is not done
    w.close()  # ... then the battery dies: no finishing path
    stored = enr.get(register, uuid)
    assert sorted(p.finger for p in stored.fingerprints if p.taken) == [2, 3, 4, 5]
    right = {p.finger: (p.quality, p.attempts) for p in stored.fingerprints}
    rig2 = ScannerRig(delay=5.0)  # a slow hand: the step is seen waiting for it
    w2 = make_window(qtbot, register, actor, camera, rig2)
    w2.resume_enrollment(uuid)
    step2 = wizard_ready(qtbot, w2, 2).steps[2]  # resumed at the fingerprints
    assert all(step2.done((f, "flat")) for f in (2, 3, 4, 5))
    qtbot.waitUntil(lambda: step2.current is not None and step2.scanner.busy, timeout=10000)
    assert step2.current is not None and step2.current.fingers == (7, 8, 9, 10)
    step2.scanner.close()
    rig2.set(delay=0.0)
    press(qtbot, Qt.Key.Key_F7)  # reconnect: the quick scanner takes the rest
    fingers_taken(qtbot, w2, timeout=30000)
    after = enr.get(register, uuid).fingerprints
    assert {p.finger: (p.quality, p.attempts) for p in after if p.finger in right} == right
    assert sum(p.taken for p in after) == 10
    w2.close()


def test_an_unplugged_scanner_is_replaced_by_its_image_folder(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str],
    monkeypatch: Any, tmp_path: Path,
) -> None:  # fmt: skip
    rig = ScannerRig(disconnect_after=1)
    folder = tmp_path / "Ảnh vân tay"
    folder.mkdir()
    monkeypatch.setattr("gui.wizard.fingerprints.choose_folder", lambda *a, **k: str(folder))
    w, step = at_fingerprints(qtbot, register, actor, camera, rig)
    qtbot.waitUntil(lambda: "F8" in step.heading.text() and not step.scanner.busy,
                    timeout=30000)  # fmt: skip
    press(qtbot, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: step.scanner.device is not None
                    and step.scanner.device.backend == "folder", timeout=10000)  # fmt: skip
    # the folder takes one finger at a time: the left four, then the thumbs
    expected = [7, 8, 9, 10, 1, 6]
    for n, finger in enumerate(expected):
        qtbot.waitUntil(lambda f=finger: step.current is not None and step.current.fingers == (f,)
                        and step.scanner.busy, timeout=15000)  # fmt: skip
        image = impression(7, finger, 1)
        cv2.imwrite(str(folder / f"scan_{n:02d}.png"), image)
        qtbot.waitUntil(lambda f=finger: step.done((f, "flat")), timeout=15000)
    review = fingers_taken(qtbot, w)
    info = StationService(register, actor).enrollment(review.ctx.uuid)
    by_finger = {p.finger: p.impression for p in info.fingerprints}
    assert by_finger == {**dict.fromkeys((2, 3, 4, 5), "slap"),
                         **dict.fromkeys(expected, "flat")}  # fmt: skip
    w.close()


def test_a_print_left_below_the_threshold_mid_attempts_is_tried_again_on_resume(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    from db.types import NewPrint
    from tests.db.enrollment_fixtures import jpeg_bytes
    from tests.fingers import print_png

    service = StationService(register, actor)
    hit = service.search(XIENG_ID).hits[0]
    info = service.start_enrollment(hit.id)
    service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
    service.attach_portrait(info.uuid, jpeg_bytes(), 480, 640, {})
    service.save_step(info.uuid, "portrait", {"bedridden": False, "attempts": 1,
                                              "source": "camera"})  # fmt: skip
    # the battery died after the first attempt of the right hand: finger 3 at 20 points
    service.record_prints(info.uuid, [NewPrint(f, "slap", print_png(), "png", 20 if f == 3 else 70)
                                      for f in (2, 3, 4, 5)])  # fmt: skip
    w = make_window(qtbot, register, actor, camera, ScannerRig(degraded={3: ("faded", 1.0)}))
    w.resume_enrollment(info.uuid)
    step = wizard_ready(qtbot, w, 2).steps[2]
    assert not step.done((3, "flat")) and step.done((2, "flat"))
    stuck_on(qtbot, step, [3])  # the two attempts left were made, then the officer decides
    assert len(step.tries[(3, "flat")]) == 3 and step.tries[(3, "flat")][0] == 20
    w.close()
