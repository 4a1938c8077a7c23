"""Screenshots of issue 11's "no silent duplicates" part: the open-enrollment dialog (someone
else's and the officer's own), the redo reason dialog, the lookup with enrollment states, the
DC01 form (top and its DC01 fields) and the DC01 "already in the register?" dialog.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``; or alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only trust --lang en
Dialogs are shown inside the main window (as a child widget over it), so that ``shot`` — a grab
of the window — shows them over the screen they belong to, whatever grabs it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _over(window: Any, dialog: Any) -> None:
    """Show ``dialog`` centred over ``window``, inside it (a window grab then includes it)."""
    from PySide6.QtCore import Qt

    size = dialog.sizeHint().expandedTo(dialog.minimumSize())  # as a window of its own
    dialog.setParent(window, Qt.WindowType.Widget)
    dialog.setObjectName("shotOverlay")
    dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    dialog.setStyleSheet("QDialog#shotOverlay { background: #f3f3f3; border: 2px solid #0b3d91; }")
    dialog.resize(size.width() + 8, size.height() + 8)
    dialog.move((window.width() - size.width()) // 2, (window.height() - size.height()) // 3)
    dialog.show()
    dialog.raise_()


def _wait(settle: Any, cond: Any, ms: int = 10000) -> None:
    import time

    end = time.monotonic() + ms / 1000
    while not cond() and time.monotonic() < end:
        settle(50)


def _search(window: Any, settle: Any, text: str) -> None:
    page = window.lookup
    page.box.setText(text)
    page.search_now()
    _wait(settle, lambda: page._shown_seq == page._seq and not page.timer.isActive())
    settle(300)


def _someone(db: Any, where: str) -> tuple[int, str]:
    """A resident (id, folded name) whose enrollments match ``where`` (SQL on enrollment e)."""
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT r.id, r.search_name FROM resident r JOIN enrollment e ON e.resident_id = r.id"
            f" WHERE {where} ORDER BY e.id DESC LIMIT 1"
        ).fetchone()
    assert row is not None, where
    return int(row[0]), str(row[1])


def _family_with_history(db: Any) -> tuple[str, str]:
    """A family name and a village whose people's enrollments were approved, sent back or are
    waiting: the lookup then shows several kinds of state at once."""
    with db.engine.connect() as conn:
        family, village = conn.exec_driver_sql(
            "SELECT substr(r.search_name, 1, instr(r.search_name, ' ') - 1) AS family, r.village"
            " FROM resident r JOIN enrollment e ON e.resident_id = r.id"
            " WHERE r.village IS NOT NULL GROUP BY family, r.village"
            " ORDER BY max(e.status = 'returned') DESC, count(DISTINCT e.status) DESC,"
            " count(DISTINCT r.id) DESC LIMIT 1"
        ).fetchone()
    return str(family), str(village)


def _never_enrolled(db: Any) -> int:
    with db.engine.connect() as conn:
        (rid,) = conn.exec_driver_sql(
            "SELECT id FROM resident r WHERE birth_year < 2000 AND village IS NOT NULL AND NOT"
            " EXISTS (SELECT 1 FROM enrollment e WHERE e.resident_id = r.id) ORDER BY id LIMIT 1"
        ).fetchone()
    return int(rid)


def shots(app: Any, db: Any, window: Any, shot: Any, settle: Any) -> None:
    sys.path.insert(0, str(ROOT))
    from db.errors import OpenEnrollmentExists
    from gui.duplicate_dialog import OpenEnrollmentDialog, RedoReasonDialog, SamePersonDialog

    window.show()
    window.go_home(clear=True)
    service = window.service
    # --- the lookup: where each person's enrollment stands -------------------------------
    family, village = _family_with_history(db)
    _search(window, settle, f"{family} {village}")
    model = window.lookup.model
    hits = [model.hit(r) for r in range(model.rowCount())]
    fresh = [h.id for h in hits if h.enrollment_state is None]
    if fresh:  # one of them starts today (a draft), so every kind of state shows
        service.start_enrollment(fresh[0])
        window.desk.refresh()
        _search(window, settle, f"{family} {village} ")
    settle(500)
    shot("80-trust-lookup-enrollment-states")
    # --- someone else's open (submitted) enrollment --------------------------------------
    rid, name = _someone(db, "e.status = 'submitted' AND e.officer_id IS NOT NULL")
    _search(window, settle, name)
    rows = {model.hit(r).id: r for r in range(model.rowCount())}
    window.lookup.table.selectRow(rows.get(rid, 0))
    settle(400)
    try:
        service.start_enrollment(rid)
    except OpenEnrollmentExists as exc:
        dialog = OpenEnrollmentDialog(exc)
        _over(window, dialog)
        shot("81-trust-open-enrollment-dialog")
        dialog.close()
        dialog.deleteLater()
    # --- the officer's own unfinished draft ------------------------------------------------
    fresh = _never_enrolled(db)
    service.start_enrollment(fresh)
    window.desk.refresh()
    person = service.resident(fresh)
    _search(window, settle, person.full_name if person else "")
    rows = {model.hit(r).id: r for r in range(model.rowCount())}
    window.lookup.table.selectRow(rows.get(fresh, 0))
    settle(400)
    try:
        service.start_enrollment(fresh)
    except OpenEnrollmentExists as exc:
        dialog = OpenEnrollmentDialog(exc)
        _over(window, dialog)
        shot("82-trust-own-draft-dialog")
        dialog.close()
        dialog.deleteLater()
    # --- the redo reason --------------------------------------------------------------------
    redo = RedoReasonDialog()
    redo.findChild(type(redo.group.button(0)), "redo_lost_card").click()
    redo.note.setText("Mất thẻ khi đi nương")
    _over(window, redo)
    shot("83-trust-redo-reason-dialog")
    redo.close()
    redo.deleteLater()
    # --- DC01: the form, its lists and error timing --------------------------------------
    window.start_new_person()
    _wait(settle, lambda: window.wizard is not None and window.wizard.ready)
    details = window.wizard.steps[0]
    _wait(settle, lambda: details.edits["ethnicity"].count() == 54, 5000)
    details.edits["full_name"].setFocus()
    details.edits["birth"].setFocus()  # the name was left empty: "required" shows for it only
    settle(200)
    shot("84-trust-dc01-form")
    with db.engine.connect() as conn:
        person = conn.exec_driver_sql(
            "SELECT full_name, birth_year, village, sex, ethnicity, hometown FROM resident"
            " WHERE village IS NOT NULL AND birth_date IS NULL AND birth_year < 1960 LIMIT 1"
        ).fetchone()
    values = {"full_name": person[0], "birth": str(person[1]), "village": person[2],
              "ethnicity": person[4] or "Mông", "hometown": person[5] or "Điện Biên",
              "permanent_residence": f"bản {person[2]}, xã Nà Hỳ, tỉnh Điện Biên",
              "current_residence": f"bản {person[2]}, xã Nà Hỳ, tỉnh Điện Biên",
              "birth_registration_place": "UBND xã Nà Hỳ", "father_name": "Giàng A Dế",
              "father_id": "011950123456", "mother_name": "Vàng Thị Sua"}  # fmt: skip
    for field, value in values.items():
        edit = details.edits[field]
        edit.setEditText(value) if hasattr(edit, "setEditText") else edit.setText(value)
    sex = details.edits["sex"]
    sex.setCurrentIndex(sex.findData(person[3] or "M"))
    from PySide6.QtWidgets import QScrollArea

    scroll = details.findChild(QScrollArea)
    if scroll is not None:  # the DC01 fields, below the register's
        scroll.ensureWidgetVisible(details.dc01)
    settle(300)
    shot("85-trust-dc01-fields")
    # --- DC01: someone likely the same is in the register ---------------------------------
    found = service.likely_same_people(details._raw())
    same = SamePersonDialog(found, "")
    _over(window, same)
    shot("86-trust-dc01-already-in-register")
    same.close()
    same.deleteLater()
    window.wizard.go_back()
    _wait(settle, lambda: window.wizard is None, 5000)
