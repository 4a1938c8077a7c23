"""Trạm → Ghép trạm (đồng bộ)…: the administrator saves this station's identity, pairs with
the other station's file after its fingerprint is shown (Enter pairs with nobody), and unpairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from db.actor import Actor
from db.service import StationService
from db.station import StationDB, create_station
from db.sync.identity import identity_file
from gui import pairing_dialog
from gui.app import make_app
from gui.main_window import MainWindow
from gui.pairing_dialog import ConfirmPairing, PairingDialog


def test_an_administrator_pairs_and_unpairs_a_laptop(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], tmp_path: Path, monkeypatch: Any
) -> None:
    make_app()
    for role, shown in (("officer", False), ("supervisor", False), ("admin", True)):
        w = MainWindow(StationService(station, actors[role]))
        qtbot.addWidget(w)
        assert w.pair_action.isVisible() is shown, role
    admin = StationService(station, actors["admin"])
    d = PairingDialog(admin)
    qtbot.addWidget(d)
    assert d.findChild(type(d.status), "fingerprint").text() == admin.own_identity().fingerprint
    mine = tmp_path / "định danh trụ sở.json"
    monkeypatch.setattr(pairing_dialog, "save_file_name", lambda *a: str(mine))
    d.export_identity()
    assert mine.read_bytes().startswith(b"{") and mine.stat().st_mode & 0o077 == 0
    laptop, _key = create_station(tmp_path / "laptop", name="Tổ lưu động 1", commune="Mường Chà",
                                  kind="mobile")  # fmt: skip
    theirs = tmp_path / "laptop.json"
    theirs.write_bytes(identity_file(laptop))
    monkeypatch.setattr(pairing_dialog, "open_file_name", lambda *a: str(theirs))
    shown_to_admin: list[str] = []

    def look(*args: Any) -> bool:
        shown_to_admin.append(args[4])  # the fingerprint
        confirm = ConfirmPairing(*args[:5])
        qtbot.addWidget(confirm)
        assert confirm.cancel_button.isDefault() and not confirm.pair_button.isDefault()
        return False  # first time: the digits did not match

    monkeypatch.setattr(pairing_dialog, "confirm", look)
    d.pair_from_file()
    assert "Chưa ghép" in d.status.text() and not admin.paired_stations()
    monkeypatch.setattr(pairing_dialog, "confirm", lambda *a: True)
    d.pair_from_file()
    assert "Đã ghép với Tổ lưu động 1" in d.status.text()
    assert shown_to_admin == [StationService(laptop, actors["admin"]).preview_identity(
        identity_file(laptop)).fingerprint]  # fmt: skip
    assert "Tổ lưu động 1" in d.list.item(0).text()
    d.list.setCurrentRow(0)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: QMessageBox.StandardButton.Yes))  # fmt: skip
    d.unpair_selected()
    assert not admin.paired_stations()[0].active and "đã hủy ghép" in d.list.item(0).text()
    laptop.close()
