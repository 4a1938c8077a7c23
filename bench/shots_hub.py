"""Screenshots of the district hub's screens on a station (issue 15): setting up a station with
the official province and commune lists; Trạm → Đồng bộ… on the demo headquarters paired with
a district hub (on a throwaway PostgreSQL), the bundle for the hub written, the hub's receipt
applied.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only hub \
        --out /tmp/shots-hub
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None],
          settle: Callable[..., None]) -> None:  # fmt: skip
    from shots_wizard import _grab

    from gui.first_run import FirstRunDialog

    setup = FirstRunDialog(parent=window)
    setup.show()
    setup.name.setText("Công an xã Nà Hỳ")
    setup.province.setCurrentText("Điện Biên")
    setup.commune.setText("Na Hy")
    settle(300)
    _grab(shot, "130-setup-official-commune", setup)
    setup.commune.setText("Bản Không Tên")
    settle(200)
    _grab(shot, "130b-setup-commune-not-official", setup)
    setup.close()
    from tests.pgcluster import start, stop

    where = Path(tempfile.mkdtemp(prefix="hub-shots-"))
    pg = Path(tempfile.mkdtemp(prefix="es-pg-"))  # its own: the server's account must enter it
    url = start(pg)
    try:
        _with_hub(db, window, url, where, shot, settle)
    finally:
        stop(pg)


def _with_hub(db: Any, window: Any, url: str, where: Path, shot: Callable[..., None],
              settle: Callable[..., None]) -> None:  # fmt: skip
    from shots_sync import _done
    from shots_wizard import _grab
    from sqlalchemy import update

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.hub.service import HubService
    from db.hub.setup import init_hub
    from db.models import Station
    from db.sync import incoming, pairing
    from db.sync.identity import identity_file
    from gui import sync_dialog
    from gui.removable import Drive
    from gui.sync_dialog import SyncDialog

    done = init_hub(url, where / "hub-dir", name="Công an huyện Nậm Pồ", province="Điện Biên",
                    admin="admin", admin_name="Quàng Văn Hùng", password="mật khẩu huyện",
                    passphrase=lambda _c: "mật khẩu máy chủ huyện")  # fmt: skip
    hub, hub_admin = done.db, done.admin
    assert hub_admin is not None
    with hub.Session.begin() as s:  # the demo headquarters is a training station
        s.execute(update(Station).where(Station.id == hub.station_id).values(training=True))
    admin = access.sign_in(db, "admin", DEMO_PASSWORD).service
    pairing.pair(hub, identity_file(db), actor=hub_admin)
    admin.pair_station(identity_file(hub))
    usb = where / "KINGSTON"
    usb.mkdir()
    sync_dialog.removable_drives = lambda: [Drive("KINGSTON", usb)]
    dialog = SyncDialog(admin, window)
    dialog.show()
    settle(400)
    _grab(shot, "131-sync-hq-with-hub", dialog)
    dialog.export_for_hub()
    _done(settle, dialog)
    _grab(shot, "131b-sync-bundle-for-hub-written", dialog)
    [bundle] = usb.glob("goi-gui-huyen-*.esb")
    incoming.import_file(hub, bundle, actor=hub_admin)
    receipt = usb / "xac-nhan-huyen.esb"
    HubService(hub, hub_admin).write_receipt(db.station_id, receipt)
    dialog.import_file(receipt)
    _done(settle, dialog)
    _grab(shot, "131c-sync-hub-receipt-applied", dialog)
    dialog.close()
    hub.close()
