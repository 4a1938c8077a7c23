"""The officer's desk beside the lookup: unfinished drafts (resume / discard) and today's list.

Why drafts are shown on the home screen rather than in a dialog at start: after a crash the
next start must offer to resume (ODK Collect's savepoints), but an officer with a queue of
people may first want to serve the one in front of them; a line "2 unfinished enrollments"
with Resume / Discard does both and never blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import STATUSES, STEPS, label
from db.service import StationService
from db.types import DayEnrollment, DraftSummary
from db.vntime import to_local
from gui.ops import run_op
from resources.i18n import _, ngettext
from resources.problems import describe, log_unexpected


def _when(at: datetime | None) -> str:
    """Vietnam time of a stored (UTC, maybe naive from SQLite) time."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return to_local(at).strftime("%H:%M %d/%m")


class DeskPanel(QWidget):
    resume_requested = Signal(str)  # enrollment uuid
    discard_requested = Signal(str)
    slip_requested = Signal(str)
    refreshed = Signal()

    def __init__(self, service_of: Callable[[], StationService]) -> None:
        super().__init__()
        self.setObjectName("desk")
        self.service_of = service_of  # the signed-in officer's drafts and today's list
        self.drafts_title = QLabel()
        self.drafts_title.setObjectName("panelTitle")
        self.drafts_title.setWordWrap(True)
        self.drafts = QListWidget()
        self.drafts.setObjectName("drafts")
        self.resume_button = QPushButton(_("Resume"))
        self.resume_button.setObjectName("resume")
        self.discard_button = QPushButton(_("Discard"))
        self.discard_button.setObjectName("discard")
        self.resume_button.clicked.connect(lambda: self._emit(self.drafts, self.resume_requested))
        self.discard_button.clicked.connect(lambda: self._emit(self.drafts, self.discard_requested))
        self.drafts.itemActivated.connect(
            lambda item: self.resume_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.today_title = QLabel()
        self.today_title.setObjectName("panelTitle")
        self.today = QListWidget()
        self.today.setObjectName("today")
        self.today.itemActivated.connect(
            lambda item: self.slip_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.drafts_title)
        layout.addWidget(self.drafts, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.today_title)
        layout.addWidget(self.today, 3)
        self.draft_items: list[DraftSummary] = []
        self.today_items: list[DayEnrollment] = []

    def _emit(self, widget: QListWidget, signal: SignalInstance) -> None:
        item = widget.currentItem() or widget.item(0)
        if item is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))

    def refresh(self) -> None:
        service = self.service_of()
        run_op(self, lambda: (service.drafts(), service.received_today()), self._show,
               self._failed)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        """The lists could not be read: say so in their place (the officer can go on)."""
        log_unexpected(exc, "desk lists")
        self.drafts_title.setText(
            _("The lists cannot be shown: {reason}").format(reason=describe(exc))
        )
        self.refreshed.emit()

    def _show(self, loaded: tuple[list[DraftSummary], list[DayEnrollment]]) -> None:
        drafts, today = loaded
        self.draft_items, self.today_items = drafts, today
        n = len(drafts)
        self.drafts_title.setText(
            ngettext("{count} unfinished enrollment", "{count} unfinished enrollments", n).format(
                count=n
            )
            if n
            else _("No unfinished enrollments")
        )
        self.drafts.clear()
        for d in drafts:
            when = _when(d.updated_at)
            step = label(STEPS, d.step)
            item = QListWidgetItem(f"{d.resident_name}\n   {step} · {when}")
            item.setData(Qt.ItemDataRole.UserRole, d.uuid)
            self.drafts.addItem(item)
        if n:
            self.drafts.setCurrentRow(0)
        self.resume_button.setEnabled(bool(n))
        self.discard_button.setEnabled(bool(n))
        self.today_title.setText(_("Received today: {count}").format(count=len(today)))
        self.today.clear()
        for e in today:
            status = label(STATUSES, e.status)
            mark = " ⚠" if e.has_exception else ""
            item = QListWidgetItem(f"{e.receipt_no or ''}  {e.resident_name}\n   {status}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, e.uuid)
            self.today.addItem(item)
        self.refreshed.emit()
