"""Screenshots of issue 13, the fingerprints: the step scanning, a finger still faded after
three attempts and the officer's choice, the condition dialog, the scanner gone (reconnect or
the image folder), the supervisor's review with the ten prints, the scanner settings, and the
slip and tally PDFs with their fingerprint lines.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)`` with the demo
station and the officer's window. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only fingers --lang en
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

shots_pdf: list[tuple[str, bytes]] = []


def _wait(settle: Callable[..., None], cond: Callable[[], bool], ms: int = 20000) -> bool:
    end = time.monotonic() + ms / 1000
    while not cond() and time.monotonic() < end:
        settle(50)
    return cond()


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from shots_wizard import _free_residents, _grab

    from capture.fingerprint.simulator import SimulatedScanner
    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.errors import StationError
    from gui.review import DayReviewDialog
    from gui.scanner_settings import ScannerSettingsDialog
    from gui.wizard.finger_condition import FingerConditionDialog
    from printing import build_slip, build_tally
    from tests.gui.fakes import FakeCamera, good_face

    service = window.service
    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    free = _free_residents(db, 3)
    made: list[str] = []
    cam = FakeCamera([good_face()])
    window.camera_factory = cam.factory
    device = SimulatedScanner(seed=5, delay=0.8, degraded={3: ("faded", 1.0)},
                              disconnect_after=4)  # fmt: skip
    window.scanner_factory = lambda: device
    try:
        window.start_enrollment(free[0])
        _wait(settle, lambda: window.wizard is not None and window.wizard.ready)
        wiz = window.wizard
        made.append(wiz.ctx.uuid)
        wiz.go_next()
        portrait = wiz.steps[1]
        _wait(settle, lambda: wiz.index == 1 and portrait._stored and wiz.ready)
        wiz.go_next()
        step = wiz.steps[2]
        _wait(settle, lambda: wiz.index == 2 and step.scanner.busy and step.tries)
        settle(500)
        shot("90-fingerprints-scanning")
        _wait(settle, lambda: step._stuck() == [3] and not step.scanner.busy, 40000)
        shot("91-fingerprints-faded-after-3")
        dialog = FingerConditionDialog([2, 3, 4, 5], ticked=[3], tried=[2, 3, 4, 5],
                                       parent=window)  # fmt: skip
        dialog.condition_buttons["faded"].setChecked(True)
        dialog.note.setText("Vân tay mòn do làm nương, đã lấy 3 lần")
        dialog.show()
        _grab(shot, "92-finger-condition-dialog", dialog)
        dialog.close()
        service.record_finger_condition(wiz.ctx.uuid, [3], "slap", "faded",
                                        "Vân tay mòn do làm nương", attempts=3)  # fmt: skip
        step.rows[(3, "flat")] = next(p for p in service.enrollment(wiz.ctx.uuid).fingerprints
                                      if p.finger == 3)  # fmt: skip
        step._next()
        _wait(settle, lambda: "F7" in step.heading.text(), 40000)  # the cable comes out
        shot("93-fingerprints-scanner-gone")
        step.reconnect()
        _wait(settle, lambda: step.current is None and not step.writes, 40000)
        shot("94-fingerprints-done")
        wiz.go_next()
        _wait(settle, lambda: wiz.index == 3 and wiz.ready)
        wiz.go_next()  # received
        _wait(settle, lambda: wiz.index == 4 and wiz.steps[4].preview is not None)
        uuid = wiz.ctx.uuid
        made.remove(uuid)
        shots_pdf.append(("95-slip-with-fingerprints", build_slip(service.slip(uuid))))
        window.go_home()
    finally:
        for uuid in made:
            with contextlib.suppress(StationError):
                service.discard(uuid)
    # --- the supervisor: the ten prints beside the portrait; the scanner settings ----------
    review = DayReviewDialog(boss, window)
    review.resize(1366, 740)
    review.show()
    for row in range(review.list.count()):
        item = review.list.item(row)
        if item is not None and item.data(256) == uuid:
            review.list.setCurrentRow(row)
    settle(1200)
    _grab(shot, "96-review-with-prints", review)
    review.close()
    dialog = ScannerSettingsDialog(boss, window)
    dialog.show()
    _grab(shot, "97-scanner-settings", dialog)
    dialog.close()
    from db.vntime import today_local

    shots_pdf.append(("98-tally-with-fingers", build_tally(boss.tally(today_local()))))
