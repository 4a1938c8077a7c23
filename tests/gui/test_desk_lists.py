"""The desk's lists and the officer's side of a sent-back record (issue 11): a person opened by
mistake leaves no draft, a draft says who and how far it really got, today's list is newest
first, and a returned record shows the supervisor's note and is corrected and saved again from
the list. Also the dark photo: the capture engine's own cause, until the next photo."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from sqlalchemy import select

from db import audit, review
from db import enrollment as enr
from db.actor import SYSTEM, Actor
from db.models import Enrollment, Officer
from gui.main_window import MainWindow
from tests.db.enrollment_fixtures import jpeg_bytes
from tests.fingers import take_ten
from tests.gui.desk_fixtures import fingers_taken, make_window, press, wizard_ready
from tests.gui.fakes import FakeCamera, good_face, no_face

PERSON = "011076433758"  # Quàng Văn Xiêng, 30/11/1976, Nậm Chua 2


def open_person(qtbot: Any, w: MainWindow, query: str = PERSON) -> None:
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, query)
    press(qtbot, Qt.Key.Key_Return)


def statuses(db: Any) -> list[str]:
    with db.Session() as s:
        return list(s.scalars(select(Enrollment.status).order_by(Enrollment.id)))


def supervisor(db: Any) -> Actor:
    with db.Session.begin() as s:
        o = Officer(station_id=db.station_id, username="thanh", full_name="Quàng Văn Thanh",
                    role="supervisor", password_hash="!")  # fmt: skip
        s.add(o)
        s.flush()
        return Actor(o.id, "thanh", "Quàng Văn Thanh", "supervisor")


def test_a_person_opened_by_mistake_leaves_no_draft(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    open_person(qtbot, w)
    wizard = wizard_ready(qtbot, w, 0)
    details = wizard.steps[0]
    details._autosave()  # the savepoint taken while the page is open (register values)
    qtbot.waitUntil(lambda: "details" in enr.get(register, wizard.ctx.uuid).draft, timeout=5000)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.wizard is None, timeout=5000)
    qtbot.waitUntil(lambda: w.desk.drafts_title.text().startswith("Không"), timeout=5000)
    assert statuses(register) == ["discarded"] and w.desk.drafts.count() == 0
    logged = [e.action for e in audit.show(register, SYSTEM, limit=50)]
    assert "enrollment.discard" in logged  # through the service, audited


def test_a_touched_draft_is_kept_and_says_who_and_how_far(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    camera.show(no_face())
    w = make_window(qtbot, register, actor, camera)
    open_person(qtbot, w)
    wizard = wizard_ready(qtbot, w, 0)
    wizard.steps[0].edits["phone"].setText("0912345678")  # a correction: work to keep
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: w.wizard is None and w.desk.drafts.count() == 1, timeout=5000)
    line = w.desk.drafts.item(0).text()
    assert "Quàng Văn Xiêng" in line and "30/11/1976" in line and "Nậm Chua 2" in line
    assert "Thông tin" in line
    assert statuses(register) == ["draft"]
    w.close()


def test_the_drafts_list_says_the_photo_is_taken_after_a_crash(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    service = w.service
    info = service.start_enrollment(service.search(PERSON).hits[0].id)
    service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
    service.attach_portrait(info.uuid, jpeg_bytes(), 480, 640, {})
    with register.Session.begin() as s:  # the crash came before any later step was saved
        s.get(Enrollment, s.scalar(select(Enrollment.id))).step = "details"
    w.close()  # the "kill -9": no finishing path
    w2 = make_window(qtbot, register, actor, camera)
    qtbot.waitUntil(lambda: w2.desk.drafts.count() == 1, timeout=5000)
    line = w2.desk.drafts.item(0).text()
    assert "Ảnh chân dung" in line and "Thông tin" not in line, line
    [draft] = enr.list_drafts(register)
    assert draft.stage == "portrait" and draft.village == "Nậm Chua 2"
    w2.close()


def test_today_is_newest_first_and_a_returned_record_is_corrected_from_it(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    camera.show(no_face())
    w = make_window(qtbot, register, actor, camera)
    service = w.service
    made = []
    for pid in (PERSON, "011175801929", "011209362715"):
        hit = service.search(pid).hits[0]
        info = service.start_enrollment(hit.id)
        service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
        service.attach_portrait(info.uuid, jpeg_bytes(), 480, 640, {})
        take_ten(service, info.uuid)
        made.append(service.submit(info.uuid))
    note = "Sai ngày sinh so với sổ hộ khẩu"
    review.send_back(register, made[0].uuid, note=note, actor=supervisor(register))
    w.desk.refresh()
    qtbot.waitUntil(lambda: w.desk.today.count() == 3, timeout=5000)
    lines = [w.desk.today.item(i).text() for i in range(3)]
    assert all(m.receipt_no in line for m, line in zip(reversed(made), lines, strict=True))
    assert note in lines[2] and "trả lại" in lines[2].lower()
    assert "1" in w.desk.today_title.text()
    # the returned one: its slip is not reprinted, it is corrected
    w.desk.today.setCurrentRow(2)
    assert w.desk.correct_button.isEnabled() and not w.desk.slip_button.isEnabled()
    w.desk.today.setCurrentRow(0)
    assert not w.desk.correct_button.isEnabled() and w.desk.slip_button.isEnabled()
    w.desk.today.setCurrentRow(2)
    qtbot.mouseClick(w.desk.correct_button, Qt.MouseButton.LeftButton)
    wizard = wizard_ready(qtbot, w, 0)  # the correction opens on its first page
    assert wizard.ctx.info is not None and wizard.ctx.info.corrects_uuid == made[0].uuid
    qtbot.waitUntil(lambda: note in wizard.sent_back.text(), timeout=5000)
    assert wizard.sent_back.isVisible()
    wizard.steps[0].edits["birth"].setText("30/11/1976")
    press(qtbot, Qt.Key.Key_Return)
    portrait = wizard_ready(qtbot, w, 1).steps[1]
    assert portrait._stored  # the portrait came with the correction
    press(qtbot, Qt.Key.Key_Return)
    fingers_taken(qtbot, w)  # so did the prints
    press(qtbot, Qt.Key.Key_Return)  # save again: a new slip
    wizard_ready(qtbot, w, 4)
    fixed = enr.get(register, wizard.ctx.uuid)
    assert fixed.status == "submitted" and fixed.receipt_no not in {m.receipt_no for m in made}
    press(qtbot, Qt.Key.Key_Return)  # next person
    qtbot.waitUntil(lambda: w.wizard is None and w.desk.today.count() == 4, timeout=8000)
    top = w.desk.today.item(0).text()
    assert fixed.receipt_no and fixed.receipt_no in top  # the newest first
    assert "đã sửa và lưu lại" in w.desk.today.item(3).text()
    w.desk.today.setCurrentRow(3)
    assert not w.desk.correct_button.isEnabled()  # corrected once
    w.close()


def test_a_dark_photo_says_why_until_the_next_photo(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    dark = (good_face().astype(np.float32) * 0.08).astype(np.uint8)
    camera.show(dark)
    w = make_window(qtbot, register, actor, camera)
    open_person(qtbot, w)
    wizard_ready(qtbot, w, 0)
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    portrait = wizard.steps[1]
    qtbot.waitUntil(lambda: portrait.latest is not None, timeout=8000)
    press(qtbot, Qt.Key.Key_F5)  # capture anyway
    qtbot.waitUntil(lambda: portrait.verdict.isVisible(), timeout=10000)
    said = portrait.verdict.text()
    assert said.startswith("Ảnh quá tối") and "bật thêm đèn" in said, said
    assert "cắt ảnh" not in said and not portrait._stored
    camera.show(good_face())  # the light is on: the next photo is fine
    qtbot.waitUntil(lambda: portrait.latest is not None and portrait.latest.report.accepted,
                    timeout=8000)  # fmt: skip
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: portrait._stored, timeout=15000)
    assert not portrait.verdict.isVisible() and portrait.verdict.text() == ""
    w.close()
    assert camera.open_devices == 0


def test_back_from_the_review_never_submits(
    qtbot: Any, register: Any, actor: Any, camera: FakeCamera, no_dialogs: list[str]
) -> None:
    camera.show(no_face())
    w = make_window(qtbot, register, actor, camera)
    service = w.service
    hit = service.search(PERSON).hits[0]
    info = service.start_enrollment(hit.id)
    service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
    w._open(service.resident(hit.id), service.attach_portrait(info.uuid, jpeg_bytes(), 480,
                                                              640, {}))  # fmt: skip
    wizard = wizard_ready(qtbot, w, 1)
    press(qtbot, Qt.Key.Key_Return)
    wizard_ready(qtbot, w, 2)
    press(qtbot, Qt.Key.Key_Escape)  # back to the portrait: saves nothing, submits nothing
    wizard_ready(qtbot, w, 1)
    info = enr.get(register, wizard.ctx.uuid)
    assert info.status == "captured" and info.receipt_no is None
    w.close()
