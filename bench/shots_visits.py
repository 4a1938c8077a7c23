"""Screenshots of the home visits (issue 14): the supervisor's plan (the people to plan, the
day's plan), the outcome of a visit, marking a person from the lookup, the officer's desk with
the visits of the day, and the A4 visit list (rendered with pdftoppm).

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only visits --lang en
on a throwaway demo station (never the user's).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (1366, 740)
shots_pdf: list[tuple[str, bytes]] = []


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from sqlalchemy import select, update

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.models import Resident
    from db.vntime import today_local
    from gui.visit_flag import FlagVisitDialog
    from gui.visit_outcome import VisitOutcomeDialog
    from gui.visits_dialog import VisitsDialog
    from printing.visits import build_visit_sheet

    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    with db.Session.begin() as s:  # some people the officers marked, in two villages
        ids = list(s.scalars(select(Resident.id).where(Resident.life_status.is_(None))
                             .order_by(Resident.birth_year, Resident.id).limit(9)))
        reasons = ("elderly", "bedridden", "disabled", "postpartum", "no_transport")
        for i, rid in enumerate(ids):
            s.execute(update(Resident).where(Resident.id == rid).values(
                home_visit_reason=reasons[i % len(reasons)],
                home_visit_note="Gọi trước cho con trai" if i == 1 else None))
        uuids = list(s.scalars(select(Resident.uuid).where(Resident.id.in_(ids[:4]))))
    today = today_local()
    boss.plan_visits(uuids[:2], today, db.station_id, "home", "Mang máy ảnh và máy vân tay")
    boss.plan_visits(uuids[2:4], today, db.station_id, "fetch")

    window.resize(*SIZE)
    window.desk.refresh()
    settle(800)
    shot("90-desk-visits-today", window)

    d = VisitsDialog(boss)
    d.resize(1340, 660)
    d.show()
    settle(800)
    for r in range(min(3, d.people.rowCount())):
        d.people.selectRow(r)
    settle(300)
    shot("91-visits-plan-candidates", d)
    d.day_edit.setDate(d.day_edit.date().addDays(0))
    d.plan_table.selectRow(0)
    settle(300)
    shot("92-visits-plan-today", d)
    visit = d.selected_visit()
    if visit is not None:
        o = VisitOutcomeDialog(boss, visit, d)
        o.outcome.setCurrentIndex(o.outcome.findData("rescheduled"))
        o.note.setText("Đi nương, hẹn 3 ngày sau")
        o.resize(max(o.sizeHint().width(), 460), o.sizeHint().height())
        o.show()
        settle(300)
        shot("93-visit-outcome", o)
        o.close()
    shots_pdf.append(("94-visit-list", build_visit_sheet(boss.visit_sheet(today,
                                                                          db.station_id))))
    d.close()
    detail = boss.resident(ids[5])
    if detail is not None:
        f = FlagVisitDialog(boss, detail)
        f.resize(max(f.sizeHint().width(), 460), f.sizeHint().height())
        f.show()
        settle(300)
        shot("95-visit-flag", f)
        f.close()

