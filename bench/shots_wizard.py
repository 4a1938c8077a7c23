"""Screenshots of the officer's side of issue 11: the override dialog, the dark-photo message,
the drafts list, today's list with a sent-back record and its correction, the review of a
portrait taken lying down, and the slip (pending approval, home delivery) in the reprint dialog.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)`` with the demo
station and the officer's main window; ``shot(name)`` grabs the window, ``shot(name, widget)``
(when the caller's ``shot`` takes a widget) grabs a dialog. Everything is made through the
officer's and the supervisor's services on the throwaway demo station, and put back (drafts
made here are discarded) so later shots see the desk as before.

Alone, to look at the PNGs (and the slip PDFs rendered by ``pdftoppm -png -r 60``):
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only wizard --lang en
"""

from __future__ import annotations

import contextlib
import inspect
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):  # the project's packages before bench/'s own scripts (printing.py)
    sys.path.insert(0, str(ROOT))

from tests.fingers import take_ten  # noqa: E402  (after the path above)

RETURN_NOTE = "Sai ngày sinh so với sổ hộ khẩu, đề nghị kiểm tra lại"


def _grab(shot: Callable[..., None], name: str, widget: Any = None) -> None:
    """A dialog through ``shot(name, widget)`` when the caller's shot takes one."""
    if widget is not None and len(inspect.signature(shot).parameters) >= 2:
        shot(name, widget)
    else:
        shot(name)


def _wait(settle: Callable[..., None], cond: Callable[[], bool], ms: int = 15000) -> bool:
    end = time.monotonic() + ms / 1000
    while not cond() and time.monotonic() < end:
        settle(50)
    return cond()


def _free_residents(db: Any, n: int, bedridden: bool = False) -> list[int]:
    """Residents with no enrollment at all (the duplicate rule refuses a second open one)."""
    reason = "bedridden" if bedridden else "none"
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id FROM resident WHERE home_visit_reason = ? AND id NOT IN "
            "(SELECT resident_id FROM enrollment) ORDER BY id LIMIT ?", (reason, n)
        ).fetchall()
    return [int(r[0]) for r in rows]


def _portrait_jpeg() -> bytes:
    """A real face (tests/photos.py: public-domain portrait) cut to the 3:4 portrait."""
    from capture import crop, quality
    from capture.report import Mode
    from tests.gui.fakes import good_face

    image = good_face()
    return crop.portrait(image, quality.assess(image, Mode.NORMAL))


def _received(service: Any, resident_id: int, *, place: str = "hq",
              bedridden: bool = False) -> Any:  # fmt: skip
    """An enrollment through the service up to its slip (details as in the register)."""
    from db import corrections

    info = service.start_enrollment(resident_id, place)
    values = corrections.register_values(service.resident(resident_id))
    service.save_step(info.uuid, "details", corrections.details_record(values, values))
    service.attach_portrait(info.uuid, _portrait_jpeg(), 480, 640, {}, bedridden=bedridden,
                            exception_reason="bedridden" if bedridden else None,
                            note="Nằm liệt giường, chụp từ trên xuống" if bedridden else None)
    take_ten(service, info.uuid)
    return service.submit(info.uuid)


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from PySide6.QtWidgets import QWidget

    from capture import crop, quality
    from capture.report import Mode
    from db import access
    from db.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
    from db.errors import StationError
    from gui.print_preview import PrintPreviewDialog
    from gui.wizard import override
    from gui.wizard.override import OverrideDialog
    from printing import build_slip
    from resources.i18n import _
    from tests.gui.fakes import FakeCamera, good_face, lying_side_lit

    ensure_demo_accounts(db)
    service = window.service
    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    made: list[str] = []  # drafts to discard at the end

    # --- the override dialog: nothing chosen, Enter retakes, the photo and what failed ---------
    image = lying_side_lit()
    report = quality.assess(image, Mode.NORMAL)
    photo = crop.portrait(image, report)
    dialog = OverrideDialog(report, window, photo=photo, offer_bedridden=False)
    dialog.show()
    _grab(shot, "40-override-dialog", dialog)
    dialog.close()
    dialog = OverrideDialog(report, window, photo=photo, offer_bedridden=True)
    dialog.show()
    dialog.findChild(QWidget, "reason_other").click()  # "other" without a note: not yet
    _grab(shot, "41-override-dialog-bedridden-offered", dialog)
    dialog.close()

    # --- a very dark photo: the capture engine's cause and what to do -----------------------
    cam = FakeCamera([good_face()])
    factory, window.camera_factory = window.camera_factory, cam.factory
    free = _free_residents(db, 4)
    try:
        window.start_enrollment(free[0])
        _wait(settle, lambda: window.wizard is not None and window.wizard.ready)
        wiz = window.wizard
        made.append(wiz.ctx.uuid)
        wiz.go_next()
        _wait(settle, lambda: wiz.index == 1 and wiz.ready)
        portrait = wiz.steps[1]
        import numpy as np

        cam.show((good_face().astype(np.float32) * 0.08).astype(np.uint8))
        _wait(settle, lambda: portrait.latest is not None and portrait.latest.report.face is None)
        portrait.capture_now()
        _wait(settle, lambda: portrait.verdict.isVisible())
        shot("42-portrait-dark-photo")

        # --- the review of a portrait taken lying down (answered "bedridden" in the dialog) --
        cam.show(lying_side_lit())
        portrait.bedridden.setChecked(True)
        real_ask = override.ask
        override.ask = lambda report, parent: ("bedridden", "Nằm liệt giường")
        try:
            _wait(settle, lambda: portrait.latest is not None
                  and portrait.latest.report.face is not None
                  and portrait.latest.report.mode is Mode.BEDRIDDEN)  # fmt: skip
            portrait.capture_now()
            _wait(settle, lambda: portrait._stored and wiz.ready)
        finally:
            override.ask = real_ask
        wiz.go_next()
        fingers = wiz.steps[2]
        _wait(settle, lambda: wiz.index == 2 and not fingers.untaken() and not fingers.writes
              and wiz.ready, 30000)  # fmt: skip
        wiz.go_next()
        _wait(settle, lambda: wiz.index == 3 and wiz.steps[3].form.rowCount() > 5)
        shot("43-review-lying-down")
        window.go_home()
    finally:
        window.camera_factory = factory

    # --- the drafts list: who, born when, where, and how far (a photo kept: "Portrait") -------
    from db import corrections

    info = service.start_enrollment(free[1])
    made.append(info.uuid)
    values = corrections.register_values(service.resident(free[1]))
    service.save_step(info.uuid, "details", corrections.details_record(values, values))
    service.attach_portrait(info.uuid, _portrait_jpeg(), 480, 640, {})
    window.desk.refresh()
    _wait(settle, lambda: window.desk.drafts.count() > 0, 3000)
    settle(300)
    shot("44-desk-drafts")

    # --- today's list: newest first, a record sent back with the supervisor's note -----------
    sent = _received(service, free[2])
    boss.send_back(sent.uuid, RETURN_NOTE)
    window.desk.refresh()
    _wait(settle, lambda: any(e.uuid == sent.uuid for e in window.desk.today_items), 3000)
    row = next(i for i, e in enumerate(window.desk.today_items) if e.uuid == sent.uuid)
    window.desk.today.setCurrentRow(row)
    window.desk.today.scrollToItem(window.desk.today.item(row))
    shot("45-desk-today-returned")
    window.desk.correct_selected()  # the correction opens with the note above the pages
    _wait(settle, lambda: window.wizard is not None and window.wizard.sent_back.isVisible())
    if window.wizard is not None:
        made.append(window.wizard.ctx.uuid)
    shot("46-correction-with-note")
    window.go_home()

    # --- the slip: waiting for approval, brought home or posted; the reprint dialog ----------
    home = _free_residents(db, 1, bedridden=True) or free[3:4]
    at_home = _received(service, home[0], place="home", bedridden=True)
    for name, uuid in (("47-slip-pending-approval-home", at_home.uuid),
                       ("48-reprint-dialog", _received(service, free[3]).uuid)):  # fmt: skip
        pdf = build_slip(service.slip(uuid))
        preview = PrintPreviewDialog(pdf, _("Appointment slip"), "giay-hen.pdf", window)
        preview.show()
        settle(600)
        _grab(shot, name, preview)
        preview.close()
        shots_pdf.append((name, pdf))

    for uuid in made:  # put the desk back as it was
        with contextlib.suppress(StationError):  # already discarded: nothing to put back
            service.discard(uuid)
    window.desk.refresh()
    settle(300)


shots_pdf: list[tuple[str, bytes]] = []  # the slips shown: bench/screenshots.py renders them
