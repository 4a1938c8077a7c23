"""Screenshots of the card screens (issue 17): the Thẻ căn cước menu, recording cards arrived
(scanned one by one with every outcome, then ticked in the list), the handover (the portrait on
file, at home with its place, by post, done, refused the second time, a card not arrived) and
the cards waiting by village.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only cards --lang en
on a throwaway demo station (never the user's).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (1366, 740)


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from sqlalchemy import select

    from db.models import Enrollment, Portrait, Resident
    from gui.card_arrival import ArrivalDialog
    from gui.card_handover import HandoverDialog
    from gui.cards_dialog import WaitingDialog

    service = window.service  # the demo's officer: cards are an officer's work
    with db.Session() as s:  # approved enrollments with a portrait, from several villages
        rows = s.execute(select(Enrollment.receipt_no, Resident.personal_id, Resident.village)
                         .join(Resident, Resident.id == Enrollment.resident_id)
                         .join(Portrait, Portrait.enrollment_id == Enrollment.id)
                         .where(Enrollment.status == "approved",
                                Resident.personal_id.is_not(None))
                         .order_by(Resident.village_key, Enrollment.id).limit(40)).all()
        returned = s.scalar(select(Enrollment.receipt_no).where(Enrollment.status == "returned")
                            .limit(1))
    slips = [r[0] for r in rows]
    pid = rows[0][1]

    def wait(cond: Callable[[], bool], ms: int = 20000) -> None:
        end = time.monotonic() + ms / 1000
        while not cond() and time.monotonic() < end:
            settle(50)

    def show(widget: Any, name: str) -> None:
        """As it opens (its own size; a dialog never larger than the screen)."""
        widget.move(0, 0)
        widget.show()
        settle(400)
        if widget.width() > SIZE[0] or widget.height() > SIZE[1]:
            print(f"  !! {name}: {widget.width()}x{widget.height()} does not fit {SIZE}")
        shot(name, widget)

    window.resize(*SIZE)
    window.cards.menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    settle(400)
    shot("c0-cards-menu")
    window.cards.menu.hide()

    # --- arrival: each outcome once, as a scanner types them -----------------------------------
    arrival = ArrivalDialog(service, window)
    scans = [f"{pid}|123456789|Nguyeenx Vawn An|15031989|Nam|Thoon Ddoong|10082021",
             *slips[1:12], "NH-2026-999999", slips[1]]
    if returned:
        scans.insert(3, returned)
    arrival.show()
    for text in scans:
        arrival.box.setText(text)
        arrival.scanned()
    wait(lambda: arrival.pending == 0)
    show(arrival, "c1-card-arrival-scanned")
    arrival.tabs.setCurrentIndex(1)
    wait(lambda: arrival.table.rowCount() > 0)
    for row in (0, 2, 3):
        item = arrival.table.item(row, 0)
        if item is not None:
            item.setCheckState(item.checkState().Checked)
    show(arrival, "c2-card-arrival-list")
    arrival.filter.setText("xuan")
    settle(300)
    shot("c2b-card-arrival-list-filtered", arrival)
    arrival.close()

    # --- handover ------------------------------------------------------------------------------
    hand = HandoverDialog(service, window, ref=pid)
    wait(lambda: hand.info is not None)
    show(hand, "c3-card-handover")
    home = next(b for b in hand.places.buttons() if b.property("code") == "home")
    home.click()
    hand.where.setText("Nhà riêng, đầu bản (bà nằm liệt giường)")
    shot("c4-card-handover-home", hand)
    post = next(b for b in hand.places.buttons() if b.property("code") == "post")
    post.click()
    hand.receipt.setText("RR123456789VN")
    shot("c5-card-handover-post", hand)
    home.click()
    hand.hand_over()
    wait(lambda: hand.info is None and "✓" in hand.message.text())
    shot("c6-card-handover-done", hand)
    hand.box.setText(pid)
    hand.look_up()
    wait(lambda: hand.info is not None)
    settle(300)
    shot("c7-card-handover-refused", hand)
    hand.box.setText(slips[-1])  # approved, never recorded as arrived
    hand.look_up()
    wait(lambda: hand.info is not None)
    settle(300)
    shot("c8-card-handover-not-arrived", hand)
    hand.box.setText("NH-2026-999999")
    hand.look_up()
    wait(lambda: "NH-2026" not in hand.box.text() or hand.info is None)
    settle(500)
    shot("c9-card-handover-not-found", hand)
    hand.close()

    # --- the cards waiting ------------------------------------------------------------------------
    waiting = WaitingDialog(service, window)
    wait(lambda: waiting.table.rowCount() > 0)
    waiting.table.selectRow(0)
    show(waiting, "ca-cards-waiting")
    if waiting.village.count() > 2:
        waiting.village.setCurrentIndex(2)
        settle(300)
        shot("cb-cards-waiting-village", waiting)
    waiting.close()
