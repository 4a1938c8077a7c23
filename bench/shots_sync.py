"""Screenshots of field sync (issue 12): the pairing dialog with this station's fingerprint and
QR, the confirmation showing the other station's fingerprint; then a whole trip through
Trạm → Đồng bộ… between the demo headquarters and a throwaway laptop on a pretend USB drive:
the work packet written, applied on the laptop, the laptop's bundle written, imported at
headquarters with its receipt beside it, a cut file refused; the freshness line of both desks,
the warning of a laptop whose work waited too long, and the supervisor's cases after sync.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only sync \
        --out /tmp/shots-sync
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

LAPTOP_PASSWORD = "mật khẩu máy lưu động"


def _laptop(where: Path, name: str, series: str) -> tuple[Any, Any, Any]:
    """A mobile training station (the demo headquarters is one: a real laptop would not pair
    with it) with an administrator and an officer (their services)."""
    from db import accounts
    from db.actor import Actor
    from db.service import StationService
    from db.station import create_station

    laptop, _key = create_station(where / series, name=name, commune="Mường Chà", kind="mobile",
                                  key_store="keyfile", slip_series=series, training=True,
                                  passphrase=lambda _confirm: LAPTOP_PASSWORD)  # fmt: skip
    admin = accounts.create_first_admin(laptop, "admin", "Lò Văn Lả", LAPTOP_PASSWORD)
    info = accounts.create_officer(laptop, admin, "sen", "Giàng A Sếnh", "officer",
                                   LAPTOP_PASSWORD, temporary=False)  # fmt: skip
    officer = Actor(info.id, info.username, info.full_name, info.role)
    return laptop, StationService(laptop, admin), StationService(laptop, officer)


def _done(settle: Callable[..., None], dialog: Any) -> None:
    from shots_fingers import _wait

    _wait(settle, lambda: not dialog.busy, 120000)
    settle(300)


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from shots_wizard import _grab

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.sync import pairing
    from db.sync.identity import identity_file
    from gui.pairing_dialog import ConfirmPairing, PairingDialog

    admin = access.sign_in(db, "admin", DEMO_PASSWORD).service
    where = Path(tempfile.mkdtemp(prefix="laptop-"))
    laptop, lap_admin, lap_officer = _laptop(where, "Tổ lưu động 1", "L1")
    data = identity_file(laptop)
    other = admin.preview_identity(data)
    if not any(p.station_id == other.station_id for p in admin.paired_stations()):
        admin.pair_station(data)
    pairing.pair(laptop, identity_file(db), actor=lap_admin.actor)
    dialog = PairingDialog(admin, window)
    dialog.show()
    settle(400)
    _grab(shot, "99-pairing", dialog)
    dialog.close()
    confirm = ConfirmPairing(other.name, other.kind, other.commune, other.slip_code,
                             other.fingerprint, window)  # fmt: skip
    confirm.show()
    settle(300)
    _grab(shot, "99b-confirm-pairing", confirm)
    confirm.close()
    try:
        _trip(db, window, admin, laptop, lap_admin, lap_officer, where, shot, settle)
    finally:
        laptop.close()


def _trip(db: Any, window: Any, admin: Any, laptop: Any, lap_admin: Any, lap_officer: Any,
          where: Path, shot: Callable[..., None], settle: Callable[..., None]) -> None:  # fmt: skip
    from shots_wizard import _grab
    from sqlalchemy import select

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.models import Enrollment, Resident
    from db.vntime import now_utc
    from gui import sync_dialog
    from gui.main_window import MainWindow
    from gui.removable import Drive
    from gui.review import DayReviewDialog
    from gui.sync_dialog import SyncDialog
    from tests.db.enrollment_fixtures import received

    usb = where / "KINGSTON"
    usb.mkdir()
    sync_dialog.removable_drives = lambda: [Drive("KINGSTON", usb)]  # a pretend stick
    hq = SyncDialog(admin, window)
    hq.show()
    hq.villages.setText("")
    hq.export()
    _done(settle, hq)
    _grab(shot, "99c-sync-hq-packet-written", hq)
    [packet] = usb.glob("goi-cong-viec-*.esb")

    lap = SyncDialog(lap_admin, window)
    lap.show()
    lap.import_file(packet)
    _done(settle, lap)
    _grab(shot, "99d-sync-laptop-packet-applied", lap)
    with db.Session() as s:  # one person headquarters enrolled too: a case for the supervisor
        twice = s.scalar(select(Resident.uuid).join(Enrollment, Enrollment.resident_id ==
                                                    Resident.id).where(
            Enrollment.station_id == db.station_id,
            Enrollment.status.in_(("received", "approved"))).limit(1))  # fmt: skip
    with laptop.Session() as s:
        ids = list(s.scalars(select(Resident.id).where(Resident.uuid != twice).order_by(
            Resident.id).limit(4)))  # fmt: skip
        if twice is not None:
            ids.append(s.scalar(select(Resident.id).where(Resident.uuid == twice)))
    for rid in ids:
        received(laptop, rid, now_utc())
    lap.refresh()
    lap.export()
    _done(settle, lap)
    _grab(shot, "99e-sync-laptop-bundle-written", lap)
    lap.close()
    [bundle] = usb.glob("goi-gui-ve-*.esb")

    hq.import_file(bundle)
    _done(settle, hq)
    _grab(shot, "99f-sync-hq-bundle-imported", hq)
    cut = usb / "goi-gui-ve-bi-rut-giua-chung.esb"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    hq.import_file(cut)
    _done(settle, hq)
    _grab(shot, "99g-sync-refused", hq)
    hq.close()

    # the desks: headquarters' line per laptop; the laptop's own before its receipt
    window.desk.refresh()
    settle(800)
    shot("99h-desk-hq-freshness")
    lap_window = MainWindow(lap_officer)
    lap_window.resize(1366, 768)
    lap_window.move(0, 0)
    lap_window.show()
    settle(800)
    shot("99i-desk-laptop-freshness")
    lap_window.close()
    _stale_warning(where, shot, settle)

    boss = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service
    review = DayReviewDialog(boss, window)
    review.resize(1366, 740)
    review.show()
    settle(600)
    _grab(shot, "99j-review-sync-cases", review)
    review.close()


def _stale_warning(where: Path, shot: Callable[..., None], settle: Callable[..., None]) -> None:
    """A second laptop whose enrollment has waited 10 days: the warning at sign-in (grabbed and
    closed by a timer: the warning is modal)."""
    from datetime import datetime

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from sqlalchemy import select

    from db.demo.synth import rows_for_import
    from db.models import Resident
    from db.register.importer import import_rows
    from db.vntime import now_utc
    from gui.main_window import MainWindow
    from tests.db.enrollment_fixtures import received

    laptop, _admin, officer = _laptop(where, "Tổ lưu động 2", "L2")
    import_rows(laptop, rows_for_import(5), file_name="so-ho-khau")
    with laptop.Session() as s:
        rids = list(s.scalars(select(Resident.id).limit(3)))
    at: datetime = now_utc() - timedelta(days=10)
    for rid in rids:
        received(laptop, rid, at)

    from shots_fingers import _wait

    grabbed: list[bool] = []

    def grab_and_close() -> None:  # from inside the warning's own event loop
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and not grabbed:
            grabbed.append(True)
            shot("99k-laptop-stale-warning")
            box.close()

    timer = QTimer()
    timer.timeout.connect(grab_and_close)
    timer.start(300)
    w = MainWindow(officer)
    w.resize(1366, 768)
    w.move(0, 0)
    w.show()
    _wait(settle, lambda: bool(grabbed), 60000)
    timer.stop()
    w.close()
    laptop.close()
