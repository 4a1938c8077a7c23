"""Choosing a file to open or a place to save: always Qt's own dialog, in the documents folder.

Why not the operating system's dialog: it speaks the OS's language, whatever the officer chose;
Qt's dialog speaks ours (the Qt translation gui/app.py installs). Why the documents folder:
Qt otherwise starts in the working directory — the program's folder — where an officer neither
looks for a register file nor finds a saved slip again. Why not Qt's static functions: their
dialog opens at its small size hint, cutting the file types and dates short, and cannot be told
the suffix a typed name gets (so "replace the file?" would ask about the wrong name).

The helpers return the chosen path as text ("" when cancelled), like the QFileDialog functions
they replace, so a call site changes in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QIdentityProxyModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QSplitter,
    QTreeView,
    QWidget,
)

#: Every file dialog of the program: Qt's own, never the native one.
OPTIONS = QFileDialog.Option.DontUseNativeDialog
#: Wide enough for name, size, type and date; well within a 1366×768 screen.
SIZE = (900, 540)
#: Name, size, type and date columns of the detail view (the date takes what is left).
COLUMNS = (300, 90, 170)
DATE_FORMAT = "dd/MM/yyyy HH:mm"  # as the program writes dates everywhere


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


def file_dialog(
    parent: QWidget | None, caption: str, where: Path, filters: str, save: bool = False
) -> QFileDialog:
    """Qt's own dialog in ``where`` (a folder, or the file name to suggest when saving)."""
    dialog = QFileDialog(parent, caption, str(where), filters)
    dialog.setOptions(OPTIONS)
    dialog.setProxyModel(InProgramLocale(dialog))
    dialog.resize(*SIZE)
    _readable_places_and_columns(dialog)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if where.suffix:
            dialog.setDefaultSuffix(where.suffix.lstrip("."))  # "giay-hen" saves giay-hen.pdf
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


class InProgramLocale(QIdentityProxyModel):
    """Sizes in the program's language and dates as the program writes them: Qt uses the
    operating system's ("912 bytes", "12/1/25 2:31 PM" in the Vietnamese dialog)."""

    SIZE_COLUMN, DATE_COLUMN = 1, 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        files = self.sourceModel()
        if role == Qt.ItemDataRole.DisplayRole and isinstance(files, QFileSystemModel):
            source = self.mapToSource(index)
            if index.column() == self.SIZE_COLUMN and not files.isDir(source):
                return QLocale().formattedDataSize(files.size(source))
            if index.column() == self.DATE_COLUMN:
                return files.lastModified(source).toString(DATE_FORMAT)
        return super().data(index, role)


def _readable_places_and_columns(dialog: QFileDialog) -> None:
    """The documents folder among the places on the left, room for them, and for each column
    (Qt's defaults cut the type short: "Tài … PDF"). The object names are those of Qt's own
    form; a later Qt without them keeps its own layout."""
    documents = QUrl.fromLocalFile(str(documents_dir()))
    if documents not in dialog.sidebarUrls():
        dialog.setSidebarUrls([*dialog.sidebarUrls(), documents])
    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None:
        splitter.setSizes([170, SIZE[0] - 170])
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:
        for column, width in enumerate(COLUMNS):
            view.header().resizeSection(column, width)


def chosen(dialog: QFileDialog) -> str:
    """Show ``dialog`` (modal) and give the file chosen, or "" when cancelled. The dialog is
    deleted once answered (each one watches the folders it showed)."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return ""
        files = dialog.selectedFiles()  # read before the dialog goes (WA_DeleteOnClose
        return files[0] if files else ""  # deleted it under the reader: issue 13's walk)
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, filters: str) -> str:
    """The file the officer picks to open ("" when cancelled)."""
    return chosen(file_dialog(parent, caption, documents_dir(), filters))


def save_file_name(parent: QWidget | None, caption: str, suggested_name: str, filters: str) -> str:
    """Where the officer chooses to save ``suggested_name`` ("" when cancelled); Qt asks before
    replacing a file that is there."""
    where = documents_dir() / suggested_name
    return chosen(file_dialog(parent, caption, where, filters, save=True))


def choose_folder(parent: QWidget | None, caption: str, start: str = "") -> str:
    """A folder the officer picks ("" when cancelled): where a scanner tool saves its images."""
    dialog = file_dialog(parent, caption, Path(start) if start else documents_dir(), "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return chosen(dialog)
