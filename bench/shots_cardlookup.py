"""Screenshots of a card read at the desk (issue 17): the lookup while a scanner types a card's
code (nothing searched yet), the holder found with what the card says otherwise, the details
step offering the card's values, the "Quét thẻ" dialog without a camera, the tally and the
coverage with the cards counted.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only cardlookup
on a throwaway demo station (never the user's).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

shots_pdf: list[tuple[str, bytes]] = []


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import select

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.models import Enrollment, Resident
    from db.vntime import today_local
    from gui.card_scan import CardScanDialog
    from printing.tally import build_tally

    def wait(cond: Callable[[], bool], ms: int = 20000) -> None:
        end = time.monotonic() + ms / 1000
        while not cond() and time.monotonic() < end:
            settle(50)

    with db.Session() as s:  # someone in the register with an ID number and nothing under way
        pid, birth = s.execute(select(Resident.personal_id, Resident.birth_date).where(
            Resident.personal_id.is_not(None), Resident.birth_date.is_not(None),
            ~Resident.id.in_(select(Enrollment.resident_id))).limit(1)).one()  # fmt: skip
    other = birth.replace(day=1 if birth.day != 1 else 2)
    scanned = f"{pid}||Ten Tren The|{other.strftime('%d%m%Y')}|Nam|Ban Na Hy 2, xa Na Hy|01072021"
    page = window.lookup
    page.box.setFocus()
    QTest.keyClicks(page.box, scanned)
    settle(400)
    shot("card-1-scanning", window)
    QTest.keyClick(page.box, Qt.Key.Key_Return)
    wait(page.detail.card_note.isVisible)
    settle(300)
    shot("card-2-found", window)
    QTest.keyClick(page.box, Qt.Key.Key_Return)
    wait(lambda: window.wizard is not None and window.wizard.steps[0].card_bar.isVisible())
    settle(400)
    shot("card-3-details", window)
    if window.wizard is not None:
        window.wizard.steps[0].card_bar.findChildren(type(page.scan_button))[0].click()
        settle(300)
        shot("card-4-taken", window)
    dialog = CardScanDialog(window.camera_factory, window)
    dialog.move(0, 0)
    dialog.show()
    settle(1500)
    shot("card-5-scan-no-camera", dialog)
    dialog.reject()
    settle(200)
    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    with db.Session() as s:
        slips = list(s.scalars(select(Enrollment.receipt_no).where(
            Enrollment.status == "approved").limit(6)))  # fmt: skip
    boss.cards_arrived(slips)
    boss.deliver_card(slips[0], "hq")
    boss.deliver_card(slips[1], "post", "RR123456789VN")
    shots_pdf.append(("card-6-tally", build_tally(boss.tally(today_local()))))
    # a card back for someone enrolled at home: planned, then taken to them
    from gui.visit_outcome import VisitOutcomeDialog
    from gui.visits_dialog import Candidate, VisitsDialog

    with db.Session() as s:
        home = s.execute(select(Enrollment.receipt_no, Resident.uuid, Resident.full_name,
                                Resident.village).join(Resident,
                         Resident.id == Enrollment.resident_id).where(
            Enrollment.status == "approved", Enrollment.place == "home").limit(2)).all()
    if not home:
        print("  !! no approved home enrollment in the demo")
        return
    boss.cards_arrived([h[0] for h in home])
    from gui.cards_dialog import WaitingDialog

    waiting = WaitingDialog(boss, window)  # the supervisor's: it can plan the cards home
    waiting.move(0, 0)
    waiting.show()
    settle(1500)
    waiting.home_only.setChecked(True)
    settle(400)
    shot("card-6b-waiting-supervisor", waiting)
    waiting.reject()
    people = [Candidate(u, n, "", v or "", "", "search") for _slip, u, n, v in home]
    plan = VisitsDialog(boss, window, people, mode="deliver")
    plan.move(0, 0)
    plan.show()
    settle(1500)
    shot("card-7-plan-deliver", plan)
    plan.reject()
    boss.plan_visits([h[1] for h in home], today_local(), db.station_id, "deliver")
    visit = next(v for v in boss.todays_visits() if v.mode == "deliver")
    outcome = VisitOutcomeDialog(boss, visit, window)
    outcome.move(0, 0)
    outcome.show()
    outcome.outcome.setCurrentIndex(outcome.outcome.findData("card_delivered"))
    settle(600)
    shot("card-8-outcome-deliver", outcome)
    outcome.reject()
