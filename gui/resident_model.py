"""Table model for search results: plain ResidentHit dataclasses, never database objects."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.types import EnrollmentState, ResidentHit
from resources.i18n import _, translate_joined

Index = QModelIndex | QPersistentModelIndex


def sex_label(sex: str | None) -> str:
    return {"M": _("Male"), "F": _("Female")}.get(sex or "", "")


#: Colours of the enrollment column: under way (a new one would be refused), sent back.
_OPEN_COLOUR, _RETURNED_COLOUR = QColor("#8a5a00"), QColor("#b00020")
STATE_COLUMN = 5


def state_text(state: EnrollmentState | None, *, short: bool = False) -> str:
    """Where the person's enrollment stands, with a mark when more than one is open."""
    if state is None:
        return ""
    text = state.text(short=short)
    if state.open_count > 1:
        text += " ⚠ " + _("{count} open").format(count=state.open_count)
    return text


class ResidentTableModel(QAbstractTableModel):
    """Name, birth date, sex, ID number, village: enough to tell namesakes apart; and where
    their enrollment stands, so nobody is enrolled twice without seeing it."""

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[ResidentHit] = []
        self._headers = [_("Full name"), _("Date of birth"), _("Sex"), _("ID number"), _("Village"),
                         _("Enrollment")]  # fmt: skip

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
                state_text(hit.enrollment_state, short=True),
            )[index.column()]
        state = hit.enrollment_state
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATE_COLUMN and state:
            if state.status == "returned":
                return _RETURNED_COLOUR
            return _OPEN_COLOUR if state.open_count else None  # the state shown is the open one
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if state is not None:
                tips.append(state_text(state))
            if state is not None and state.receipt_no:
                tips.append(_("Slip number: {slip}").format(slip=state.receipt_no))
            if hit.review_flags:
                flags = translate_joined(hit.review_flags)
                tips.append(_("To review: {flags}").format(flags=flags))
            return "\n".join(tips) or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None
