"""Screenshots of field sync's first part (issue 12): the pairing dialog with this station's
fingerprint and QR, and the confirmation showing the other station's fingerprint.

Called by bench/screenshots.py as ``shots(app, db, window, shot, settle)``. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only sync
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

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from db.station import create_station
    from db.sync.identity import identity_file
    from gui.pairing_dialog import ConfirmPairing, PairingDialog

    admin = access.sign_in(db, "admin", DEMO_PASSWORD).service
    where = Path(tempfile.mkdtemp(prefix="laptop-"))
    laptop, _key = create_station(where / "st", name="Tổ lưu động 1", commune="Mường Chà",
                                  kind="mobile", key_store="keyfile",
                                  passphrase=lambda _confirm: "mật khẩu máy lưu động")  # fmt: skip
    data = identity_file(laptop)
    other = admin.preview_identity(data)
    if not any(p.station_id == other.station_id for p in admin.paired_stations()):
        admin.pair_station(data)
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
    laptop.close()
