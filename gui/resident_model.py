"""Table model for search results: plain ResidentHit dataclasses, never database objects."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db.types import ResidentHit
from resources.i18n import _, translate_joined

Index = QModelIndex | QPersistentModelIndex


def sex_label(sex: str | None) -> str:
    return {"M": _("Male"), "F": _("Female")}.get(sex or "", "")


class ResidentTableModel(QAbstractTableModel):
    """Name, birth date, sex, ID number, village: enough to tell namesakes apart."""

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[ResidentHit] = []
        self._headers = [_("Full name"), _("Date of birth"), _("Sex"), _("ID number"), _("Village")]

    def set_hits(self, hits: list[ResidentHit]) -> None:
        self.beginResetModel()
        self._hits = hits
        self.endResetModel()

    def hit(self, row: int) -> ResidentHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                hit.full_name,
                hit.birth_display,
                sex_label(hit.sex),
                hit.personal_id or hit.old_id or "",
                hit.village or "",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and hit.review_flags:
            return _("To review: {flags}").format(flags=translate_joined(hit.review_flags))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
