"""Screenshots of the campaign's supervisor screens (issue 14): Lãnh đạo → Độ phủ (the coverage
table, and the list behind a village's "not yet" number, with and without "only those needing a
home visit"), Cấp đổi thẻ (the renewals), Chất lượng dữ liệu (each tab, and the correction
dialog), and the A4 sheets: coverage, a coverage list, the renewals (rendered with pdftoppm).

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only campaign --lang en
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

SIZE = (1366, 740)  # a 1366×768 screen less the panel: every dialog must fit
shots_pdf: list[tuple[str, bytes]] = []


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from datetime import date

    from sqlalchemy import select, update

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.models import Enrollment, Resident
    from gui.coverage_dialog import CoverageDialog
    from gui.quality_dialog import FixDialog, QualityDialog, field_to_fix
    from gui.renewals_dialog import RenewalsDialog
    from printing.coverage import build_coverage, build_coverage_list
    from printing.renewals import build_renewals

    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    with db.Session.begin() as s:  # a few the officers marked for a visit, one with a note
        ids = list(s.scalars(select(Resident.id).where(Resident.life_status.is_(None),
                                                       Resident.id.not_in(select(Enrollment.resident_id)))
                             .order_by(Resident.birth_year, Resident.id).limit(6)))
        reasons = ("elderly", "bedridden", "disabled", "postpartum", "no_transport")
        for i, rid in enumerate(ids):
            s.execute(update(Resident).where(Resident.id == rid).values(
                home_visit_reason=reasons[i % len(reasons)],
                home_visit_note="Gọi trước cho con trai, nhà cuối bản" if i == 1 else None))
        noted = s.scalar(select(Resident.village).where(Resident.id == ids[1]))
        # cards issued in 2015 for some who reach 25, 40 or 60 this year: the "known" section
        s.execute(update(Resident).where(Resident.id.in_(
            select(Resident.id).where(Resident.birth_year.in_((2001, 1986, 1966)))
            .order_by(Resident.id).limit(12).scalar_subquery())).values(
            card_issued=date(2015, 6, 1)))
        # a few defects for the quality tabs (the demo register is clean)
        free = list(s.scalars(select(Resident.id).where(Resident.birth_year.between(1975, 1995))
                              .order_by(Resident.id.desc()).limit(4)))
        s.execute(update(Resident).where(Resident.id == free[0]).values(personal_id=None))
        s.execute(update(Resident).where(Resident.id == free[1]).values(village=None,
                                                                        village_key=None))
        s.execute(update(Resident).where(Resident.id == free[2]).values(birth_year=1905,
                                                                        birth_date=None))
        s.execute(update(Resident).where(Resident.id == free[3]).values(sex=None))

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

    # --- coverage --------------------------------------------------------------------------
    cov = CoverageDialog(boss)
    wait(lambda: cov.report is not None)
    show(cov, "70-coverage")
    report = cov.report
    assert report is not None
    shots_pdf.append(("71-coverage-sheet", build_coverage(boss.coverage_sheet(report))))
    row = next((i for i, v in enumerate(report.villages) if v.label == noted), 0)
    cov.open_cell(row, 4)
    lst = cov.lists[-1]
    wait(lambda: lst.found is not None)
    show(lst, "72-coverage-list-not-yet")
    lst.visits_only.setChecked(True)
    settle(200)
    show(lst, "73-coverage-list-home-visits")
    shown = lst.shown_list()
    assert shown is not None
    lst.visits_only.setChecked(False)
    settle(100)
    full = lst.shown_list()
    assert full is not None
    shots_pdf.append(("74-coverage-list", build_coverage_list(boss.coverage_list_sheet(full))))
    shots_pdf.append(("75-coverage-list-visits",
                      build_coverage_list(boss.coverage_list_sheet(shown))))  # fmt: skip
    lst.state.setCurrentIndex(lst.state.findData("not_applicable"))
    wait(lambda: lst.found is not None and lst.found.state == "not_applicable")
    show(lst, "76-coverage-list-not-applicable")
    lst.close()
    cov.close()

    # --- renewals --------------------------------------------------------------------------
    ren = RenewalsDialog(boss)
    wait(lambda: ren.found is not None)
    show(ren, "77-renewals")
    assert ren.found is not None
    months, on = ren.asked
    shots_pdf.append(("78-renewals", build_renewals(boss.renewals_sheet(ren.found, months, on))))
    ren.months.setValue(0)
    ren.fetch()
    wait(lambda: ren.list_button.isEnabled())
    show(ren, "79-renewals-0-months")
    ren.close()

    # --- register quality ------------------------------------------------------------------
    q = QualityDialog(boss)
    wait(lambda: q.report is not None, 60000)
    for i in range(q.tabs.count()):
        q.tabs.setCurrentIndex(i)
        settle(200)
        show(q, f"80-quality-tab{i}")
    kind = "missing_fields" if q.finding_people.get("missing_fields") else next(
        (k for k, people in q.finding_people.items() if people), None)
    if kind is not None:
        fix = FixDialog(q.finding_people[kind][0], q, field_to_fix(kind, q.finding_people[kind][0]))
        fix.resize(max(fix.sizeHint().width(), 460), fix.sizeHint().height())
        show(fix, "81-quality-fix")
        fix.field.setCurrentIndex(fix.field.findData("birth"))
        show(fix, "82-quality-fix-birth")
        fix.close()
    q.close()
