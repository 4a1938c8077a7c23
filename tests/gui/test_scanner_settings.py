"""The fingerprint scanner's settings (Supervision → Máy quét vân tay…): saved through the
service (audited, a supervisor's or administrator's only), and tested off the UI thread."""

from __future__ import annotations

from typing import Any

import pytest

from db import audit
from db.actor import SYSTEM, Actor
from db.errors import PermissionDenied
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.scanner_settings import ScannerSettingsDialog


def test_a_supervisor_sets_the_scanner_and_tests_it(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], tmp_path: Any
) -> None:
    make_app()
    boss = StationService(station, actors["supervisor"])
    d = ScannerSettingsDialog(boss)
    qtbot.addWidget(d)
    d.kind.setCurrentIndex(d.kind.findData("simulator"))
    d.test()
    qtbot.waitUntil(lambda: "Synthetic" in d.outcome.text(), timeout=10000)
    assert "Đã tìm thấy máy quét" in d.outcome.text() and "cả bàn tay" in d.outcome.text()
    d.kind.setCurrentIndex(d.kind.findData("folder"))
    d.folder.setText(str(tmp_path / "không có"))
    d.test()  # a folder that is not there: said, in words
    qtbot.waitUntil(lambda: d.test_button.isEnabled() and "Synthetic" not in d.outcome.text(),
                    timeout=10000)  # fmt: skip
    assert "máy quét" in d.outcome.text().lower()
    d.folder.setText(str(tmp_path))
    d.rolled.setChecked(True)
    d.attempts.setValue(4)
    d.save()
    settings = boss.settings()
    assert (settings.fingerprint_scanner, settings.fingerprint_folder, settings.fingerprint_rolled,
            settings.fingerprint_attempts) == ("folder", str(tmp_path), "yes", 4)  # fmt: skip
    changed = [e.entity_id for e in audit.show(station, SYSTEM, limit=50)
               if e.action == "settings.change"]  # fmt: skip
    assert set(changed) == {"fingerprint_scanner", "fingerprint_folder", "fingerprint_rolled",
                            "fingerprint_attempts"}  # fmt: skip
    with pytest.raises(PermissionDenied):  # an officer cannot, whatever the screen shows
        StationService(station, actors["officer"]).change_setting("fingerprint_threshold", 10)
