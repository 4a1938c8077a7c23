"""Choosing a file to open or a place to save: always Qt's own dialog, in the documents folder.

Why not the operating system's dialog: it speaks the OS's language, whatever the officer chose;
Qt's dialog speaks ours (the Qt translation gui/app.py installs). Why the documents folder:
Qt otherwise starts in the working directory — the program's folder — where an officer neither
looks for a register file nor finds a saved slip again.

The helpers return the chosen path as text ("" when cancelled), like the QFileDialog functions
they wrap, so a call site changes in one line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

#: Every file dialog of the program: Qt's own, never the native one.
OPTIONS = QFileDialog.Option.DontUseNativeDialog


def documents_dir() -> Path:
    """The user's documents folder; their home folder if there is none (never the program's)."""
    for where in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.HomeLocation,
    ):
        found = QStandardPaths.writableLocation(where)
        if found and Path(found).is_dir():
            return Path(found)
    return Path.home()


def open_file_name(parent: QWidget | None, caption: str, filters: str) -> str:
    """The file the officer picks to open ("" when cancelled)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, caption, str(documents_dir()), filters, options=OPTIONS
    )
    return str(name)


def save_file_name(parent: QWidget | None, caption: str, suggested_name: str, filters: str) -> str:
    """Where the officer chooses to save ``suggested_name`` ("" when cancelled); Qt asks before
    replacing a file that is there."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(documents_dir() / suggested_name), filters, options=OPTIONS
    )
    return str(name)
