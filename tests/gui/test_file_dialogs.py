"""Our file dialogs answered for real (a modal exec, not a patched one): the chosen file comes
back. Issue 13's walk found the dialog deleted before its answer was read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from gui import file_dialogs
from gui.app import make_app


def answer_with(path: Path | None) -> None:
    """Answer the file dialog about to open: a new one, never one an earlier test left. With
    Qt 6.12 ``selectFile()`` of a path waits for the folder's listing, which offscreen may not
    come before ``accept()``: two full runs in five hung here."""
    import time

    import shiboken6

    def dialogs() -> list[QFileDialog]:
        return [w for w in QApplication.topLevelWidgets()
                if shiboken6.isValid(w) and isinstance(w, QFileDialog)]  # fmt: skip

    stale = dialogs()  # held: their ids cannot be reused by the new dialog's
    deadline = time.monotonic() + 20  # then the test fails instead of hanging the run

    def look() -> None:
        shown = [w for w in dialogs() if all(w is not old for old in stale) and w.isVisible()]
        if not shown:
            if time.monotonic() < deadline:
                QTimer.singleShot(30, look)
            return
        dialog = shown[0]
        if path is None:
            dialog.reject()
            return
        if path.is_dir():  # the officer opens the folder, then presses Choose
            dialog.setDirectory(str(path))
        else:  # the officer types the file's name (selectFile() waits for the folder's listing)
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            assert edit is not None
            edit.setText(str(path))
        dialog.accept()
        if dialog.isVisible() and time.monotonic() < deadline:
            QTimer.singleShot(30, look)  # not taken yet: once more

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
