"""Our file dialogs answered for real (a modal exec, not a patched one): the chosen file comes
back. Issue 13's walk found the dialog deleted before its answer was read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from gui import file_dialogs
from gui.app import make_app


def answer_with(path: Path | None) -> None:
    def look() -> None:
        # the file dialog itself, whatever else an earlier test left on screen
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QFileDialog) and w.isVisible()]  # fmt: skip
        dialog = shown[-1] if shown else None
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(30, look)
            return
        if path is None:
            dialog.reject()
            return
        if path.is_dir():  # the officer opens the folder, then presses Choose
            dialog.setDirectory(str(path))
        else:
            dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(30, look)


def test_the_file_and_the_folder_chosen_come_back(
    qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    make_app()
    monkeypatch.setattr(file_dialogs, "documents_dir", lambda: tmp_path)
    photo = tmp_path / "ảnh chân dung.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    answer_with(photo)
    assert file_dialogs.open_file_name(None, "Mở", "Ảnh (*.jpg)") == str(photo)
    folder = tmp_path / "Ảnh vân tay"
    folder.mkdir()
    answer_with(folder)
    assert file_dialogs.choose_folder(None, "Thư mục") == str(folder)
    answer_with(None)
    assert file_dialogs.choose_folder(None, "Thư mục") == ""
