"""Trợ giúp → Giới thiệu… shows the program, its version and build, the station's data folder
and the fonts' licence (gui/about_dialog.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.about_dialog import AboutDialog, build_text
from gui.app import make_app
from gui.main_window import MainWindow
from resources import i18n, version


def texts(dialog: QDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_the_help_menu_opens_about_with_the_version_and_data_folder(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app()
    window = MainWindow(StationService(station, actors["officer"]), idle_ms=60_000)
    qtbot.addWidget(window)
    shown: list[QDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions() if a.isVisible()]
    assert titles[-1] == "Trợ giúp"  # an officer's menu too, the last one
    assert window.about_action.text().replace("&", "") == "Giới thiệu…"
    window.about_action.trigger()
    [dialog] = shown
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Giới thiệu Trạm thu nhận căn cước"
    assert dialog.version.text() == f"Phiên bản {version.version()}"
    assert dialog.build.text() == "Bản phát triển (chạy từ mã nguồn)"
    assert str(station.data_dir) in dialog.data.text()
    assert "SIL OFL" in texts(dialog) and "LICENSE-NotoSans.txt" in texts(dialog)


def test_a_frozen_builds_date_is_shown_in_vietnam_time(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setattr(version, "path", lambda *parts: tmp_path.joinpath(*parts))
    (tmp_path / version.BUILD_INFO).write_text(
        json.dumps({"built": "2026-03-12T20:05:00+00:00", "commit": "abc1234"}), "utf-8"
    )
    make_app()
    dialog = AboutDialog(StationService(station, actors["officer"]))
    qtbot.addWidget(dialog)
    assert dialog.build.text() == "Đóng gói ngày 13/03/2026 03:05 (bản mã nguồn abc1234)"
    i18n.set_language("en")
    try:
        assert build_text(version.BuildInfo("2026-03-12T20:05:00+00:00")) == (
            "Built on 13/03/2026 03:05"
        )
        assert build_text(None) == "Development build (run from the source code)"
    finally:
        i18n.set_language("vi")
