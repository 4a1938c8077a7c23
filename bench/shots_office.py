"""Screenshots of the supervisor's screens (issue 11): the daily tally and its preview, the
officer accounts (and adding one), the day review with an exception, a correction and a new
person (DC01), the audit trail with its filters and technical details, and the menus.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``; ``shot(name,
widget)`` saves a grab of ``widget`` (a dialog, a menu; the main window without it). Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only office --lang en
on a throwaway demo station (never the user's).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fingers import take_ten

SIZE = (1366, 740)  # a 1366×768 screen less the panel: every dialog must fit


def _sign_in(db: Any, user: str) -> Any:
    from db import access
    from db.demo.accounts import DEMO_PASSWORD

    return access.sign_in(db, user, DEMO_PASSWORD).service


def _review_cases(db: Any) -> dict[str, str]:
    """Three enrollments to review, made as an officer would at the desk: a bedridden person
    with a real failed photo check (exception), a correction of the register's data, and a new
    person (DC01). Their uuids by kind."""
    from capture.crop import portrait
    from capture.quality import assess
    from capture.report import Mode
    from db.corrections import details_record, register_values
    from tests.gui.fakes import good_face, lying_side_lit

    officer = _sign_in(db, "lo.van.duc")

    def photo(frame: Any, mode: Mode) -> tuple[bytes, dict[str, Any]]:
        report = assess(frame, mode)  # as the portrait step judges and crops it
        return portrait(frame, report), report.to_dict()

    def enroll(resident_id: int, changes: dict[str, str], frame: Any, mode: Mode,
               exception: str | None = None, place: str = "hq",
               new: bool = False) -> str:  # fmt: skip
        e = officer.start_enrollment(resident_id, place)
        detail = officer.resident(resident_id)
        original = register_values(detail)
        record = details_record(dict.fromkeys(original, "") if new else original,
                                {**original, **changes})  # fmt: skip
        officer.save_step(e.uuid, "details", record)
        jpeg, quality = photo(frame, mode)
        officer.attach_portrait(e.uuid, jpeg, 480, 640, quality, attempts=4,
                                bedridden=mode is Mode.BEDRIDDEN, exception_reason=exception,
                                note="Bà cụ nằm liệt giường, ánh sáng từ cửa sổ một bên"
                                if exception else None)  # fmt: skip
        take_ten(officer, e.uuid)
        return str(officer.submit(e.uuid).uuid)

    from sqlalchemy import select

    from db.models import Enrollment, Resident

    with db.Session() as s:  # people not enrolled yet: a bedridden one, and another
        free = Resident.id.not_in(select(Enrollment.resident_id))
        lying = s.scalar(select(Resident.id).where(free, Resident.home_visit_reason ==
                                                   "bedridden").limit(1))  # fmt: skip
        other = s.scalar(select(Resident.id).where(free, Resident.birth_year > 1980,
                                                   Resident.id != lying).limit(1))  # fmt: skip
    assert lying is not None and other is not None
    name = officer.resident(other).full_name
    cases = {
        "exception": enroll(lying, {}, lying_side_lit(), Mode.BEDRIDDEN, "bedridden", "home"),
        "correction": enroll(other, {"full_name": name + " Anh", "phone": "0912345678"},
                             good_face(), Mode.NORMAL),
    }
    rid = officer.add_person({"full_name": "Giàng Thị Pà", "birth_date": "12/05/2001",
                              "sex": "F", "ethnicity": "Mông", "hometown": "Nà Hỳ, Điện Biên",
                              "village": "Nậm Chim 1"})  # fmt: skip
    cases["dc01"] = enroll(rid, {"phone": "0987654321"}, good_face(), Mode.NORMAL, new=True)
    return cases


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from PySide6.QtCore import QPoint, Qt

    from db import accounts
    from db.vntime import today_local
    from gui.audit_view import AuditDialog
    from gui.main_window import MainWindow
    from gui.officers_dialog import AddOfficerDialog, OfficersDialog, ResetPasswordDialog
    from gui.review import DayReviewDialog
    from gui.tally_dialog import TallyDialog

    supervisor = _sign_in(db, "quang.van.thanh")
    admin = _sign_in(db, "admin")

    def show(widget: Any, name: str, ms: int = 400) -> None:
        """As it opens (its own size; a dialog never larger than the screen)."""
        hint = widget.sizeHint()
        widget.resize(min(max(widget.width(), hint.width()), SIZE[0]),
                      min(max(widget.height(), hint.height()), SIZE[1]))
        widget.show()
        settle(ms)
        shot(name, widget)

    # --- the tally -------------------------------------------------------------------------
    from datetime import timedelta

    tally = TallyDialog(supervisor)
    tally.resize(tally.sizeHint())
    today = today_local()
    tally.choose(today - timedelta(days=4), today)
    show(tally, "50-tally-dialog")
    tally.build()
    for _i in range(100):
        if tally.preview is not None:
            break
        settle(100)
    if tally.preview is not None:
        tally.preview.resize(760, SIZE[1])
        settle(600)
        shot("51-tally-preview", tally.preview)
        tally.preview.close()
    shot("52-tally-dialog-built", tally)
    tally.close()

    # --- officer accounts ------------------------------------------------------------------
    for _i in range(5):  # an officer who mistyped: locked, for the supervisor to unlock
        with contextlib.suppress(Exception):
            accounts.sign_in(db, "dang.thi.hoa", "sai mật khẩu")
    officers = OfficersDialog(admin)
    show(officers, "53-officers")
    add = AddOfficerDialog(admin, officers)
    add.resize(add.sizeHint())
    add.full_name.setText("Lường Thị Mai")
    add.username.setText("luong.thi.mai")
    add.temporary.generate()
    show(add, "54-officers-add")
    add.close()
    names = [o.username for o in officers.officers]
    if "dang.thi.hoa" in names:
        officers.table.selectRow(names.index("dang.thi.hoa"))
    reset = ResetPasswordDialog(admin, officers.selected() or officers.officers[0], officers)
    reset.resize(reset.sizeHint())
    show(reset, "55-officers-reset")
    reset.close()
    officers.close()
    sup_officers = OfficersDialog(supervisor)
    sup_officers.reload("dang.thi.hoa")  # the locked one: "Unlock" is offered
    show(sup_officers, "56-officers-as-supervisor")
    sup_officers.close()

    # --- the day review --------------------------------------------------------------------
    cases = _review_cases(db)
    review = DayReviewDialog(supervisor)
    review.resize(*SIZE)

    def pick(uuid: str) -> None:
        for i in range(review.list.count()):
            row = review.list.item(i)
            if row is not None and row.data(Qt.ItemDataRole.UserRole) == uuid:
                review.list.setCurrentRow(i)
                review.list.scrollToItem(row)
                return

    review.show()
    pick(cases["exception"])
    show(review, "57-day-review-exception")
    pick(cases["correction"])
    show(review, "58-day-review-correction")
    pick(cases["dc01"])
    show(review, "59-day-review-dc01")
    review.approve()
    show(review, "60-day-review-after-approve")
    review.close()

    # --- the audit trail -------------------------------------------------------------------
    audit = AuditDialog(supervisor)
    audit.resize(*SIZE)
    show(audit, "61-audit-trail")
    audit.officer.setCurrentIndex(max(0, audit.officer.findData("lo.van.duc")))
    audit.more.setChecked(True)
    audit.verify()
    for _i in range(100):
        if audit.verify_button.isEnabled():
            break
        settle(100)
    show(audit, "62-audit-trail-filtered-details")
    audit.close()

    # --- the menus -------------------------------------------------------------------------
    boss_window = MainWindow(supervisor)
    boss_window.resize(1366, 768)
    boss_window.show()
    settle(400)
    for name, menu in (("63-menu-supervision", boss_window.supervision.menu),
                       ("64-menu-account", boss_window.supervision.account.menu)):  # fmt: skip
        menu.popup(boss_window.mapToGlobal(QPoint(300, 30)))
        settle(300)
        shot(name, menu)
        menu.hide()
    boss_window.close()
    shot("65-officer-menus", window.menuBar())
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(15000)  # the windows' background checks
