"""The level-2 electronic ID account request on the details step (offscreen, 1366×768): the
register's mobile number offered, a landline refused in Vietnamese under the field, the
request stored normalised, and the section fitting the page without scrolling."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from db import enrollment as enr
from tests.gui.desk_fixtures import make_window, press, wizard_ready


def _open_xieng(qtbot: Any, w: Any) -> Any:
    with qtbot.waitSignal(w.lookup.search_finished, timeout=5000):
        qtbot.keyClicks(w.lookup.box, "011076433758")
    press(qtbot, Qt.Key.Key_Return)
    return wizard_ready(qtbot, w, 0)


def test_the_request_is_checked_inline_and_stored_normalised(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    wizard = _open_xieng(qtbot, w)
    details = wizard.steps[0]
    heading = details.findChild(QLabel, "vneidHeading")
    assert heading.text() == "Tài khoản định danh điện tử mức 2 (VNeID)"
    assert details.vneid_asked.text() == "Công dân đề nghị cấp tài khoản mức 2"
    # The register's phone is a mobile number: offered, but nothing asked until ticked.
    assert details.vneid_phone.text() == "0904785235"
    assert not details.vneid_phone.isEnabled() and details.asked() is None
    details.vneid_asked.setChecked(True)
    details.vneid_phone.setText("0243 123 4567")
    assert "máy bàn" in details.vneid_note.text()
    details.vneid_email.setText("not an address")
    assert "máy bàn" in details.vneid_note.text()  # one line: the number first
    if os.environ.get("VNEID_SHOT"):  # a picture to look at: VNEID_SHOT=/tmp/x.png
        w.grab().save(os.environ["VNEID_SHOT"])
    _assert_fits(w, details)
    details.vneid_phone.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.index == 0 and "mức 2" in wizard.problems.text()
    details.vneid_phone.setText("+84 912.345-678")
    assert "thư điện tử không hợp lệ" in details.vneid_note.text()
    details.vneid_email.setText("xieng@example.vn")
    assert details.vneid_note.text() == ""
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    stored = enr.get(register, wizard.ctx.uuid).draft["details"]
    assert stored["vneid"] == {"phone": "0912345678", "email": "xieng@example.vn"}
    assert stored["corrections"] == {}
    assert not no_dialogs
    w.close()


def test_an_untouched_box_stores_no_request(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    w = make_window(qtbot, register, actor, camera)
    wizard = _open_xieng(qtbot, w)
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    stored = enr.get(register, wizard.ctx.uuid).draft["details"]
    assert "vneid" not in stored and "vneid_typed" not in stored
    w.close()


def _assert_fits(w: Any, details: Any) -> None:
    """At 1366×768 the whole section is on screen without scrolling the page."""
    scroll = details.findChild(QScrollArea)
    view = scroll.viewport()
    for widget in (details.vneid_note, details.vneid_email, details.vneid_asked):
        bottom = widget.mapTo(view, QPoint(0, widget.height()))
        right = widget.mapTo(view, QPoint(widget.width(), 0))
        assert 0 <= bottom.y() <= view.height(), (widget.objectName(), bottom.y(), view.height())
        assert right.x() <= view.width()
    assert not scroll.verticalScrollBar().isVisible()
    assert w.height() <= 768


def test_the_review_shows_the_request(
    qtbot: Any, register: Any, actor: Any, camera: Any, no_dialogs: list[str]
) -> None:
    from gui.wizard.review import ReviewStep

    w = make_window(qtbot, register, actor, camera)
    wizard = _open_xieng(qtbot, w)
    details = wizard.steps[0]
    details.vneid_asked.setChecked(True)  # the register's mobile number, offered
    press(qtbot, Qt.Key.Key_Return)
    wizard = wizard_ready(qtbot, w, 1)
    review = next(s for s in wizard.steps if isinstance(s, ReviewStep))
    review._show((enr.get(register, wizard.ctx.uuid), None))
    shown = review.findChild(QLabel, "review_vneid")
    assert shown is not None and shown.text() == "Đã đề nghị, số di động 0904 785 235"
    w.close()
