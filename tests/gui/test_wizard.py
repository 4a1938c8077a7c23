"""The officer's desk end to end (offscreen, fake camera fed from a real face photo): from
typing a name to a printed slip, counting the officer's actions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db import enrollment as enr
from tests.gui.desk_fixtures import fingers_taken, make_window, press, wizard_ready

MAX_ACTIONS = 12


def test_happy_path_from_name_to_printed_slip(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    actions = 0
    box = w.lookup.box
    assert box.hasFocus()
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(box, "quang van xieng 1976")  # typing the name: one action
    actions += 1
    assert w.lookup.model.index(0, 0).data() == "Quàng Văn Xiêng"
    press(qtbot, Qt.Key.Key_Return)  # choose the first result
    actions += 1
    wizard = wizard_ready(qtbot, w, 0)
    details = wizard.steps[0]
    assert details.edits["full_name"].text() == "Quàng Văn Xiêng"
    assert details.edits["personal_id"].text() == "011076433758"
    press(qtbot, Qt.Key.Key_Return)  # details are right: next
    actions += 1
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    # nothing pressed: every check passes for a steady moment and the still takes itself
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    assert not portrait.camera.running and camera.open_devices == 0
    wizard = wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)  # portrait fine: next
    actions += 1
    # the scanner takes the three slaps by itself as the hands are placed; all pass
    wizard = fingers_taken(qtbot, w)  # Enter: fingers done
    actions += 1
    print("\nofficer actions on the fingerprint step (all ten pass): 1")
    qtbot.waitUntil(lambda: wizard.steps[3].form.rowCount() > 5, timeout=5000)
    press(qtbot, Qt.Key.Key_Return)  # review: save
    actions += 1
    wizard = wizard_ready(qtbot, w, 4)
    slip = wizard.steps[4]
    qtbot.waitUntil(lambda: slip.preview is not None, timeout=10000)
    assert slip.preview is not None
    with qtbot.waitSignal(slip.preview.printed, timeout=20000):
        press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # print
    actions += 1
    qtbot.waitUntil(lambda: wizard.ready, timeout=3000)
    press(qtbot, Qt.Key.Key_Return)  # next person
    actions += 1
    qtbot.waitUntil(lambda: w.wizard is None and box.hasFocus(), timeout=5000)
    assert box.text() == ""
    print(f"\nofficer actions from typing a name to a printed slip: {actions}")
    assert actions <= MAX_ACTIONS
    assert actions == 8

    [info] = [e for e in enr_today(register)]
    assert info.status == "submitted" and info.receipt_no
    assert info.portrait is not None and info.portrait.exception_reason is None
    assert info.officer_id == actor.officer_id
    assert info.draft["details"]["corrections"] == {}
    assert sorted(p.finger for p in info.fingerprints if p.taken) == list(range(1, 11))
    assert {p.impression for p in info.fingerprints} == {"slap"}
    assert not no_dialogs  # no error was shown
    qtbot.waitUntil(lambda: w.desk.today.count() == 1, timeout=5000)
    # every step went through the audited core services
    from db import audit
    from db.actor import SYSTEM

    logged = [e.action for e in audit.show(register, SYSTEM, limit=100)]
    for action in ("enrollment.create", "enrollment.portrait", "enrollment.finger",
                   "enrollment.submit", "slip.print"):
        assert action in logged, action


def enr_today(db: Any) -> list[enr.EnrollmentInfo]:
    with db.Session() as s:
        from sqlalchemy import select

        from db.models import Enrollment

        uuids = s.scalars(select(Enrollment.uuid)).all()
    return [enr.get(db, u) for u in uuids]


def test_corrections_are_recorded_and_bad_ids_stop_the_wizard(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, "011076433758")
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 0)
    details = wizard.steps[0]
    details.edits["personal_id"].setText("011176433758")  # the sex digit says female
    assert "giới tính" in details.notes["personal_id"].text()
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.index == 0 and wizard.problems.text()
    details.edits["personal_id"].setText("011076433758")
    details.edits["phone"].setText("0912345678")
    assert "0904785235" in details.notes["phone"].text()  # corrected, the register value shown
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    stored = enr.get(register, wizard.ctx.uuid).draft["details"]
    assert stored["corrections"] == {"phone": {"from": "0904785235", "to": "0912345678"}}
    assert QApplication.focusWidget() is not None
    w.close()
    assert camera.open_devices == 0
