"""No silent duplicates at the desk (issue 11), driven like an officer: the open-enrollment
dialog (Hủy by default: one Enter creates nothing), the redo path, the DC01 register check, the
DC01 form's error timing and lists, and the lookup's enrollment state."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import func, select

from db import enrollment as en
from db.errors import OpenEnrollmentExists
from db.models import Enrollment, Resident
from db.service import StationService
from gui import duplicate_dialog
from gui.duplicate_dialog import (
    Choice,
    OpenEnrollmentDialog,
    RedoReasonDialog,
    SamePersonDialog,
)
from tests.db.enrollment_fixtures import jpeg_bytes
from tests.fingers import take_ten
from tests.gui.desk_fixtures import make_window, press, wizard_ready

XIENG_ID = "011076433758"  # Quàng Văn Xiêng, 30/11/1976, Nậm Chua 2 (sample register)


def count(db: Any) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(Enrollment)) or 0)


def resident_id(db: Any, pid: str = XIENG_ID) -> int:
    with db.Session() as s:
        return int(s.scalar(select(Resident.id).where(Resident.personal_id == pid)) or 0)


def shown(qtbot: Any, dialog: QDialog) -> None:
    """Shown and active, as exec() would make it (offscreen windows are not activated)."""
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is dialog, timeout=3000)  # fmt: skip


def fits(dialog: QDialog) -> None:
    hint = dialog.sizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, (type(dialog).__name__, hint)


def search_and_choose(qtbot: Any, w: Any, text: str) -> None:
    page = w.lookup
    page.box.clear()
    qtbot.keyClicks(page.box, text)
    qtbot.waitUntil(lambda: not page.timer.isActive() and page._shown_seq == page._seq
                    and page.model.rowCount() > 0, timeout=5000)  # fmt: skip
    page.box.setFocus()
    press(qtbot, Qt.Key.Key_Return)


def test_enter_on_the_open_enrollment_dialog_creates_nothing(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Someone else's submitted enrollment: the real dialog opens, the officer presses Enter
    out of habit; Hủy is the default, so nothing is created and the wizard does not open."""
    boss = StationService(register, actor)
    first = boss.start_enrollment(resident_id(register))
    en.save_step(register, first.uuid, "details", {"values": {}}, actor=actor)
    seen: list[OpenEnrollmentDialog] = []

    def exec_and_press_enter(self: OpenEnrollmentDialog) -> int:
        seen.append(self)
        fits(self)
        shown(qtbot, self)
        assert self.cancel_button.isDefault() and QApplication.focusWidget() is self.cancel_button
        assert self.resume_button is not None  # Đức's own draft: resume is offered
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        return self.result()

    monkeypatch.setattr(OpenEnrollmentDialog, "exec", exec_and_press_enter)
    w = make_window(qtbot, register, actor, camera)
    before = count(register)
    search_and_choose(qtbot, w, XIENG_ID)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].result() == QDialog.DialogCode.Rejected
    assert count(register) == before and w.wizard is None and not no_dialogs
    assert seen[0].facts["status"].text() == "bản nháp" and seen[0].facts["slip"].text() == "—"
    # Esc too; and another officer's enrollment offers no "resume"
    with pytest.raises(OpenEnrollmentExists) as refused:
        StationService(register, actor).start_enrollment(resident_id(register))
    refused.value.own_draft = False
    dialog = OpenEnrollmentDialog(refused.value)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.resume_button is None
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and count(register) == before


def test_resume_and_redo_from_the_dialog(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    rid = resident_id(register)
    service = StationService(register, actor)
    own = service.start_enrollment(rid)
    service.attach_portrait(own.uuid, jpeg_bytes(), 480, 640, {})  # begun: kept on leaving
    answers: list[Choice | None] = [Choice("resume"), Choice("redo", "lost_card", "mất ở chợ")]
    monkeypatch.setattr(duplicate_dialog, "ask", lambda exc, parent: answers.pop(0))
    w = make_window(qtbot, register, actor, camera)
    search_and_choose(qtbot, w, XIENG_ID)
    wizard = wizard_ready(qtbot, w, 0)
    assert wizard.ctx.info is not None and wizard.ctx.info.uuid == own.uuid  # resumed
    assert count(register) == 1
    wizard.go_back()  # Esc on the first step: home
    qtbot.waitUntil(lambda: w.wizard is None, timeout=5000)
    search_and_choose(qtbot, w, XIENG_ID)
    wizard = wizard_ready(qtbot, w, 0)
    info = wizard.ctx.info
    assert info is not None and info.uuid != own.uuid and count(register) == 2
    assert (info.redo_reason, info.redo_note, info.redo_of) == ("lost_card", "mất ở chợ", own.uuid)


def test_the_redo_reason_dialog_needs_a_reason_and_a_note_for_other(qtbot: Any) -> None:
    dialog = RedoReasonDialog()
    qtbot.addWidget(dialog)
    fits(dialog)
    shown(qtbot, dialog)
    assert dialog.reason() is None and not dialog.ok_button.isEnabled()  # nothing pre-selected
    assert dialog.cancel_button.isDefault()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected
    dialog = RedoReasonDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.findChild(type(dialog.group.button(0)), "redo_other").click()
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.note.setText("Thẻ bị cháy")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_dc01_required_errors_wait_for_leaving_a_field_or_next_and_lists_are_offered(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    w.start_new_person()
    wizard = wizard_ready(qtbot, w, 0)
    details = wizard.steps[0]
    assert details.dc01.isVisible()
    assert all(note.text() == "" for note in details.notes.values())  # nothing red on open
    name = details.edits["full_name"]
    assert name.hasFocus()
    qtbot.keyClick(name, Qt.Key.Key_Tab)  # leaves the name empty
    assert details.notes["full_name"].text() == "bắt buộc"
    assert details.notes["ethnicity"].text() == ""  # not visited yet
    details.edits["father_id"].setText("123")  # a wrong number shows while typing
    assert "12 chữ số" in details.notes["father_id"].text()
    press(qtbot, Qt.Key.Key_Return)  # Next: every problem shows, the wizard stays
    assert wizard.index == 0 and details.notes["ethnicity"].text() == "bắt buộc"
    # the lists: 54 ethnic groups, religions, the register's villages; free text allowed
    ethnicity = details.edits["ethnicity"]
    qtbot.waitUntil(lambda: ethnicity.count() == 54, timeout=5000)
    assert ethnicity.itemText(0) == "Kinh" and ethnicity.findText("Mông") >= 0
    village = details.edits["village"]
    assert village.findText("Nậm Chua 2") >= 0 and village.findText("Tân Phong") >= 0
    assert details.edits["religion"].findText("Tin Lành") >= 0
    village.setEditText("Bản mới chưa có")
    assert details.values()["village"] == "Bản mới chưa có"
    completer = ethnicity.completer()
    completer.setCompletionPrefix("mong")  # no diacritics typed
    assert completer.currentCompletion() in ("Mông", "Mnông")


def fill_dc01(details: Any, **values: str) -> None:
    for field, value in values.items():
        edit = details.edits[field]
        if field == "sex":
            edit.setCurrentIndex(edit.findData(value))
        elif hasattr(edit, "setEditText"):
            edit.setEditText(value)
        else:
            edit.setText(value)


XIENG = {"full_name": "Quang Van Xieng", "birth": "30/11/1976", "sex": "M",
         "ethnicity": "Khơ Mú", "hometown": "Điện Biên", "village": "Nậm Chua 2"}  # fmt: skip


def test_dc01_someone_likely_in_the_register_is_opened_instead(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    rid = resident_id(register)
    shown: list[list[int]] = []

    def choose_existing(candidates: Any, typed_id: str, parent: Any) -> int:
        shown.append([c.id for c in candidates])
        return int(candidates[0].id)

    monkeypatch.setattr(duplicate_dialog, "ask_same_person", choose_existing)
    # he has an unfinished enrollment of this officer's: opening him offers it (resumed here)
    own = StationService(register, actor).start_enrollment(rid)
    monkeypatch.setattr(duplicate_dialog, "ask", lambda exc, parent: Choice("resume"))
    w = make_window(qtbot, register, actor, camera)
    w.start_new_person()
    wizard = wizard_ready(qtbot, w, 0)
    fill_dc01(wizard.steps[0], **XIENG)
    people_before = resident_count(register)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.ctx.info is not None and wizard.ready, timeout=5000)
    assert shown == [[rid]] and resident_count(register) == people_before  # nobody added
    details = wizard.steps[0]
    assert wizard.index == 0 and wizard.ctx.resident is not None and wizard.ctx.resident.id == rid
    assert details.edits["personal_id"].text() == XIENG_ID  # the register's record now
    assert not details.dc01.isVisible() and wizard.who.text() == "Quàng Văn Xiêng"
    assert wizard.ctx.info.uuid == own.uuid and count(register) == 1  # no second enrollment


def resident_count(db: Any) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(Resident)) or 0)


def test_dc01_confirmed_as_someone_else_is_added_and_the_dialog_guards_it(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    rid = resident_id(register)
    service = StationService(register, actor)
    found = service.likely_same_people({"full_name": "quang van xieng", "birth_date": "1976",
                                        "village": "nam chua 2"})  # fmt: skip
    assert [d.id for d in found] == [rid]
    dialog = SamePersonDialog(found, "")
    qtbot.addWidget(dialog)
    fits(dialog)
    shown(qtbot, dialog)
    table = dialog.table
    assert [table.item(0, c).text() for c in range(4)] == [
        "Quàng Văn Xiêng", "30/11/1976", "Nậm Chua 2", XIENG_ID]
    assert dialog.cancel_button.isDefault() and not dialog.new_button.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected
    same_id = SamePersonDialog(found, XIENG_ID)
    qtbot.addWidget(same_id)
    assert not same_id.checked.isEnabled() and same_id.same_id
    # through the wizard: the officer ticks and adds a different person
    monkeypatch.setattr(duplicate_dialog, "ask_same_person", lambda c, t, p: "new")
    w = make_window(qtbot, register, actor, camera)
    w.start_new_person()
    wizard = wizard_ready(qtbot, w, 0)
    fill_dc01(wizard.steps[0], **XIENG, father_name="Quàng Văn Pọm",
              permanent_residence="bản Nậm Chua 2")  # fmt: skip
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    info = wizard.ctx.info
    assert info is not None and info.resident_id != rid
    detail = service.resident(info.resident_id)
    assert detail is not None and detail.extra["father_name"] == "Quàng Văn Pọm"
    assert detail.review_flags and "DC01" in detail.review_flags
    assert info.draft["details"]["corrections"] == {}  # a new person: nothing "corrected"
    assert info.draft["details"]["dc01"]["permanent_residence"] == "bản Nậm Chua 2"


def test_the_lookup_shows_where_each_persons_enrollment_stands(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    from db.labels import short_day
    from db.vntime import today_local

    service = StationService(register, actor)
    rid = resident_id(register)
    draft = service.start_enrollment(rid)
    en.save_step(register, draft.uuid, "details", {"values": {}}, actor=actor)
    from tests.db.enrollment_fixtures import jpeg_bytes

    en.attach_portrait(register, draft.uuid, jpeg_bytes(), 480, 640, {}, actor=actor)
    take_ten(register, draft.uuid, actor)
    received = en.submit(register, draft.uuid, actor=actor)
    day = short_day(today_local())
    w = make_window(qtbot, register, actor, camera)
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, "quang van xieng")
    model = w.lookup.model
    rows = {model.hit(r).id: r for r in range(model.rowCount())}
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Hồ sơ"
    assert model.index(rows[rid], 5).data() == f"chờ duyệt ({day})"
    other = next(r for i, r in rows.items() if i != rid)  # the son, never enrolled
    assert model.index(other, 5).data() == ""
    tip = model.index(rows[rid], 5).data(Qt.ItemDataRole.ToolTipRole)
    assert f"đã thu nhận {day}, chờ duyệt" in tip and received.receipt_no in tip
    w.lookup.table.selectRow(rows[rid])
    line = w.lookup.detail.values["enrollment_state"]
    qtbot.waitUntil(lambda: "chờ duyệt" in line.text(), timeout=3000)
    assert line.text() == f"đã thu nhận {day}, chờ duyệt · giấy hẹn {received.receipt_no}"
