"""Honest exceptions (issue 11): the override dialog chooses nothing for the officer, Enter
retakes wherever the focus is, the photo and each failed check are shown, and "bedridden" is
offered only to a person photographed lying down or recorded bedridden in the register."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import update

from capture import crop, quality
from capture.report import Mode, QualityReport
from db.models import Resident
from gui.wizard import override
from gui.wizard.override import OverrideDialog, offered
from tests.gui.desk_fixtures import make_window, wizard_ready
from tests.gui.fakes import FakeCamera, lying_side_lit


@functools.cache
def failing() -> tuple[QualityReport, bytes]:
    """A real failed still (side light on a person lying down) and its portrait crop."""
    image = lying_side_lit()
    report = quality.assess(image, Mode.NORMAL)
    assert not report.accepted and report.face is not None
    return report, crop.portrait(image, report)


@pytest.fixture
def dialog(qtbot: Any) -> OverrideDialog:
    report, jpeg = failing()
    d = OverrideDialog(report, photo=jpeg, offer_bedridden=False)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def focusable(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget)
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible() and w.isEnabled()]


def test_nothing_is_chosen_and_keep_waits_for_a_reason(dialog: OverrideDialog) -> None:
    assert dialog.group.checkedButton() is None and dialog.choice() is None
    assert not dialog.keep_button.isEnabled()
    assert dialog.retake_button.isDefault() and not dialog.keep_button.autoDefault()
    dialog.findChild(QWidget, "reason_injury").click()
    assert dialog.choice() == "injury" and dialog.keep_button.isEnabled()
    dialog.findChild(QWidget, "reason_other").click()
    assert not dialog.keep_button.isEnabled() and dialog.error.text()  # "other" needs a note
    dialog.note.setText("băng bó sau tai nạn")
    assert dialog.keep_button.isEnabled() and not dialog.error.text()


def test_the_photo_and_each_failed_check_are_shown(dialog: OverrideDialog) -> None:
    pix = dialog.thumb.pixmap()
    assert pix is not None and not pix.isNull()
    report, _jpeg = failing()
    shown = dialog.findChild(QWidget, "failedChecks").text()
    assert dialog.failed and len(dialog.failed) == len(report.failures)
    for check in report.failures:
        text = check.instruction.vi.replace("&", "&amp;").replace("<", "&lt;")
        assert text in shown


@pytest.mark.parametrize("chosen", [None, "disability", "other"])
def test_enter_retakes_wherever_the_focus_is(qtbot: Any, chosen: str | None) -> None:
    report, jpeg = failing()
    for target in range(12):
        d = OverrideDialog(report, photo=jpeg)
        qtbot.addWidget(d)
        d.show()
        qtbot.waitExposed(d)
        if chosen:
            d.findChild(QWidget, f"reason_{chosen}").click()
            d.note.setText("ghi chú")
        widgets = focusable(d)
        if target >= len(widgets):
            d.close()
            break
        widgets[target].setFocus()
        qtbot.waitUntil(lambda w=widgets[target]: QApplication.focusWidget() is w, timeout=2000)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert d.result() == QDialog.DialogCode.Rejected and not d.isVisible(), widgets[target]
    assert target >= 5  # the reasons, the note and both buttons were tried


def test_bedridden_is_offered_only_when_it_fits() -> None:
    assert "bedridden" not in offered(False) and "bedridden" in offered(True)
    report, jpeg = failing()
    plain = OverrideDialog(report, photo=jpeg, offer_bedridden=False)
    assert plain.findChild(QWidget, "reason_bedridden") is None
    lying = OverrideDialog(report, photo=jpeg, offer_bedridden=True)
    assert lying.findChild(QWidget, "reason_bedridden") is not None
    assert lying.choice() is None  # offered, never chosen for the officer


def test_the_portrait_step_offers_bedridden_from_the_mode_or_the_register(
    qtbot: Any, register: Any, actor: Any, no_dialogs: list[str], monkeypatch: Any
) -> None:
    seen: list[tuple[bool, bool]] = []

    class Recorder(OverrideDialog):  # the real dialog, answered "retake" at once
        def exec(self) -> int:
            seen.append((self.findChild(QWidget, "reason_bedridden") is not None,
                         not self.thumb.pixmap().isNull()))  # fmt: skip
            return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(override, "OverrideDialog", Recorder)
    cam = FakeCamera([lying_side_lit()])
    w = make_window(qtbot, register, actor, cam)
    service = w.service
    hit = service.search("011076433758").hits[0]
    with register.Session.begin() as s:  # everyone else: recorded bedridden in the register
        s.execute(update(Resident).where(Resident.id != hit.id)
                  .values(home_visit_reason="bedridden"))  # fmt: skip
    w.start_enrollment(hit.id)
    wizard_ready(qtbot, w, 0)
    assert w.wizard is not None
    w.wizard.go_next()
    portrait = wizard_ready(qtbot, w, 1).steps[1]
    assert not portrait.bedridden.isChecked() and not portrait.offers_bedridden()
    qtbot.waitUntil(lambda: portrait.latest is not None and portrait.latest.report.face
                    is not None, timeout=8000)  # fmt: skip
    portrait.capture_now()  # sitting mode, not recorded bedridden: not offered
    qtbot.waitUntil(lambda: len(seen) == 1 and portrait.camera.running, timeout=10000)
    assert seen == [(False, True)] and not portrait._stored  # the photo shown; retake
    portrait.bedridden.setChecked(True)  # lying down: offered
    assert portrait.offers_bedridden()
    qtbot.waitUntil(lambda: portrait.latest is not None
                    and portrait.latest.report.mode is Mode.BEDRIDDEN, timeout=8000)  # fmt: skip
    portrait.capture_now()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    assert seen[1] == (True, True)
    w.go_home()
    other = next(h for h in service.search("Lường Thị Xuân").hits if h.id != hit.id)
    w.start_enrollment(other.id)  # recorded bedridden, whatever the switch says
    wizard_ready(qtbot, w, 0)
    portrait = w.wizard.steps[1]
    assert portrait.bedridden.isChecked()  # the register's word starts the mode
    portrait.bedridden.setChecked(False)
    assert portrait.offers_bedridden()
    w.close()
    assert cam.open_devices == 0
