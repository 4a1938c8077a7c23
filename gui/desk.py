"""The officer's desk beside the lookup: unfinished drafts (resume / discard) and today's list.

Why drafts are shown on the home screen rather than in a dialog at start: after a crash the
next start must offer to resume (ODK Collect's savepoints), but an officer with a queue of
people may first want to serve the one in front of them; a line "2 unfinished enrollments"
with Resume / Discard does both and never blocks. Each draft says who (name, birth, village)
and how far it really got (computed from what is stored: a photo kept means "Portrait").

Today's list is newest first (the person just served is on top). An enrollment the supervisor
sent back shows the supervisor's note, and "Correct and resubmit" starts its correction through
the core (``correct()``: a new enrollment carrying the data and the portrait) and opens it in
the wizard — through ``resume_requested``, the same signal that reopens a draft.

Above the drafts, the team's home visits of the day (gui/desk_visits.py, issue 14).

On top, a reminder when the last backup is older than ``backup_warn_days`` (issue 16), then
field sync's freshness (issue 12), read with the lists: a mobile laptop says how many
enrollments headquarters has not acknowledged and when the last receipt came (in the warning
colour past ``sync_warn_days``); headquarters names each paired laptop and when its last bundle
came. A station that syncs with nobody shows nothing there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor
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
from db.types import DayEnrollment, DraftSummary, EnrollmentInfo
from db.vntime import to_local, today_local
from gui.ops import run_op
from resources.i18n import _, ngettext
from resources.problems import describe, log_unexpected

if TYPE_CHECKING:
    from db.types import BackupState, SyncState

UNFINISHED = ("draft", "captured")
RETURNED_COLOUR = QColor("#8a3b00")


def _when(at: datetime | None) -> str:
    """Vietnam time of a stored (UTC, maybe naive from SQLite) time."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return to_local(at).strftime("%H:%M %d/%m")


def draft_text(d: DraftSummary) -> str:
    """Who (name; birth and village, to tell namesakes apart), then how far it got and when."""
    born = " · ".join(part for part in (d.birth_display, d.village or "") if part)
    return f"{d.resident_name}\n   {born}\n   {label(STEPS, d.stage)} · {_when(d.updated_at)}"


def today_text(e: DayEnrollment) -> str:
    """Two lines: slip number and name, then the status (a returned one: the note)."""
    first = f"{e.receipt_no or ''}  {e.resident_name}"
    if e.status != "returned":
        mark = " ⚠" if e.has_exception else ""
        return f"{first}\n   {label(STATUSES, e.status)}{mark}"
    when = ""
    if e.submitted_at is not None and _local_day(e.submitted_at) != today_local():
        when = " (" + _("received {day}").format(day=_when(e.submitted_at)) + ")"
    note = _("Sent back: {note}").format(note=e.review_note or "—")
    if e.correction_status in UNFINISHED:
        note += " — " + _("correction under way")
    elif e.correction_uuid:
        note += " — " + _("corrected and saved again")
    return f"{first}{when}\n   {note}"


def _local_day(at: datetime) -> date:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return to_local(at).date()


def freshness_text(st: SyncState | None) -> str:
    """The laptop's freshness line, or headquarters' line per paired laptop ("" if none)."""
    from gui.sync_dialog import laptops, peer_line

    if st is None:
        return ""
    if st.kind == "mobile":
        return st.freshness_line()
    return "\n".join(peer_line(p) for p in laptops(st))


def _sync_state(service: StationService) -> SyncState | None:
    """The freshness is a courtesy: if it cannot be read, the lists are still shown."""
    try:
        return service.sync_state()
    except Exception as exc:
        log_unexpected(exc, "desk freshness")
        return None


def backup_reminder(state: BackupState, can_backup: bool) -> str:
    """The desk's line when the station is overdue for a backup (the ``backup_warn_days``
    setting), or is a laptop restored from one that waits for headquarters' packet."""
    lines = []
    if state.awaiting_hq:
        lines.append(_("Restored from a backup: import headquarters' latest work packet "
                       "(Station → Field sync) before issuing slips."))  # fmt: skip
    if state.due:
        from gui.backup_dialog import last_backup_text

        lines.append(last_backup_text(state) + " " + (
            _("Back it up now: Station → Back up…") if can_backup else
            _("Ask a supervisor or the administrator to back it up.")))  # fmt: skip
    return "\n".join(lines)


def can_correct(e: DayEnrollment | None) -> bool:
    """A returned enrollment not yet corrected and saved again (a correction under way is
    continued instead)."""
    if e is None or e.status != "returned":
        return False
    return e.correction_uuid is None or e.correction_status in UNFINISHED


class DeskPanel(QWidget):
    resume_requested = Signal(str)  # enrollment uuid (a draft, or a correction just started)
    discard_requested = Signal(str)
    slip_requested = Signal(str)
    refreshed = Signal()
    freshness_read = Signal()  # the sync state was read (``sync_state``; None if it failed)

    def __init__(self, service_of: Callable[[], StationService]) -> None:
        super().__init__()
        self.setObjectName("desk")
        self.service_of = service_of  # the signed-in officer's drafts and today's list
        self.sync_state: SyncState | None = None
        self.freshness = QLabel()
        self.freshness.setObjectName("freshness")
        self.freshness.setWordWrap(True)
        self.freshness.setVisible(False)
        self.backup_note = QLabel()
        self.backup_note.setObjectName("backupNote")
        self.backup_note.setWordWrap(True)
        self.backup_note.setVisible(False)
        self.backup_note.setStyleSheet(f"color: {RETURNED_COLOUR.name()}; font-weight: bold;")
        self.drafts_title = QLabel()
        self.drafts_title.setObjectName("panelTitle")
        self.drafts_title.setWordWrap(True)
        self.drafts = QListWidget()
        self.drafts.setObjectName("drafts")
        self.drafts.setWordWrap(True)
        self.drafts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.resume_button = QPushButton(_("Resume"))
        self.resume_button.setObjectName("resume")
        self.discard_button = QPushButton(_("Discard"))
        self.discard_button.setObjectName("discard")
        self.resume_button.clicked.connect(lambda: self._emit(self.drafts, self.resume_requested))
        self.discard_button.clicked.connect(lambda: self._emit(self.drafts, self.discard_requested))
        self.drafts.itemActivated.connect(
            lambda item: self.resume_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        from gui.desk_visits import TodaysVisits

        self.visits = TodaysVisits()
        self.visits.resume_requested.connect(self.resume_requested)
        self.today_title = QLabel()
        self.today_title.setObjectName("panelTitle")
        self.today_title.setWordWrap(True)
        self.today = QListWidget()
        self.today.setObjectName("today")
        self.today.setWordWrap(True)
        self.today.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.today.itemActivated.connect(self._today_activated)
        self.today.currentRowChanged.connect(lambda _row: self._today_selected())
        self.slip_button = QPushButton(_("Reprint slip"))
        self.slip_button.setObjectName("reprint")
        self.slip_button.clicked.connect(self.reprint_selected)
        self.correct_button = QPushButton(_("Correct and resubmit"))
        self.correct_button.setObjectName("correct")
        self.correct_button.clicked.connect(self.correct_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.discard_button)
        today_buttons = QHBoxLayout()
        today_buttons.addWidget(self.slip_button)
        today_buttons.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.backup_note)
        layout.addWidget(self.freshness)
        layout.addWidget(self.visits)
        layout.addWidget(self.drafts_title)
        layout.addWidget(self.drafts, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.today_title)
        layout.addWidget(self.today, 3)
        layout.addLayout(today_buttons)
        self.draft_items: list[DraftSummary] = []
        self.today_items: list[DayEnrollment] = []
        self._correcting = False
        self._today_selected()

    def _emit(self, widget: QListWidget, signal: SignalInstance) -> None:
        item = widget.currentItem() or widget.item(0)
        if item is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))

    def refresh(self) -> None:
        service = self.service_of()
        enrolls = service.allowed("enrollment.edit")  # an administrator has no lists of work
        for widget in (self.drafts_title, self.drafts, self.resume_button, self.discard_button,
                       self.today_title, self.today, self.slip_button, self.correct_button):
            widget.setVisible(enrolls)
        if enrolls:
            run_op(self, lambda: (service.drafts(), service.received_today()), self._show,
                   self._failed)  # fmt: skip
        else:
            self.refreshed.emit()
        run_op(self, lambda: _sync_state(service), self._show_freshness)  # its own: an
        # administrator, who may not enroll and has no lists, still sees it
        run_op(self, service.backup_state,
               lambda st: self._show_backup(st, service.allowed("backup")),
               lambda exc: log_unexpected(exc, "desk backup state"))  # fmt: skip
        self.visits.refresh(service)

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
            item = QListWidgetItem(draft_text(d))
            item.setData(Qt.ItemDataRole.UserRole, d.uuid)
            self.drafts.addItem(item)
        if n:
            self.drafts.setCurrentRow(0)
        self.resume_button.setEnabled(bool(n))
        self.discard_button.setEnabled(bool(n))
        self._show_today(today)
        self.refreshed.emit()

    def _show_today(self, today: list[DayEnrollment]) -> None:
        received = [e for e in today if e.submitted_at is not None
                    and _local_day(e.submitted_at) == today_local()]  # fmt: skip
        returned = sum(1 for e in today if can_correct(e))
        title = _("Received today: {count}").format(count=len(received))
        if returned:
            title += " · " + _("sent back to correct: {count}").format(count=returned)
        self.today_title.setText(title)
        self.today.clear()
        for e in today:
            item = QListWidgetItem(today_text(e))
            item.setData(Qt.ItemDataRole.UserRole, e.uuid)
            if e.status == "returned":
                item.setForeground(QBrush(RETURNED_COLOUR))
                item.setToolTip(e.review_note or "")
            self.today.addItem(item)
        self._today_selected()

    def _show_backup(self, state: BackupState, can_backup: bool) -> None:
        text = backup_reminder(state, can_backup)
        self.backup_note.setText(text)
        self.backup_note.setVisible(bool(text))

    def _show_freshness(self, st: SyncState | None) -> None:
        self.sync_state = st
        text = freshness_text(st)
        self.freshness.setText(text)
        self.freshness.setVisible(bool(text))
        warn = st is not None and st.stale
        self.freshness.setStyleSheet(f"color: {RETURNED_COLOUR.name()}; font-weight: bold;"
                                     if warn else "color: #1b3d6e;")  # fmt: skip
        self.freshness_read.emit()

    # --- today's list -----------------------------------------------------------------------

    def selected_today(self) -> DayEnrollment | None:
        row = self.today.currentRow()
        return self.today_items[row] if 0 <= row < len(self.today_items) else None

    def _today_selected(self) -> None:
        e = self.selected_today()
        self.slip_button.setEnabled(e is not None and e.status != "returned")
        self.correct_button.setEnabled(can_correct(e) and not self._correcting)
        under_way = e is not None and e.correction_status in UNFINISHED
        self.correct_button.setText(
            _("Continue the correction") if under_way else _("Correct and resubmit")
        )

    def _today_activated(self, item: QListWidgetItem) -> None:
        row = self.today.row(item)
        e = self.today_items[row] if 0 <= row < len(self.today_items) else None
        if e is not None and e.status == "returned":
            self.correct_selected()  # its slip is no longer valid: correcting is what is left
        elif e is not None:
            self.slip_requested.emit(e.uuid)

    def reprint_selected(self) -> None:
        e = self.selected_today()
        if e is not None and e.status != "returned":
            self.slip_requested.emit(e.uuid)

    def correct_selected(self) -> None:
        """Start (or continue) the correction of the selected returned enrollment, then open
        it in the wizard (the main window's ``resume_requested`` handler)."""
        e = self.selected_today()
        if not can_correct(e) or self._correcting:
            return
        assert e is not None
        if e.correction_uuid is not None:  # under way: continue it
            self.resume_requested.emit(e.correction_uuid)
            return
        from gui.wizard.context import writer_pool

        self._correcting = True
        self._today_selected()
        service, uuid = self.service_of(), e.uuid
        run_op(self, lambda: service.correct(uuid), self._corrected, self._correct_failed,
               pool=writer_pool())  # fmt: skip

    def _corrected(self, info: EnrollmentInfo) -> None:
        self._correcting = False
        self._today_selected()
        self.resume_requested.emit(info.uuid)

    def _correct_failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self._correcting = False
        self._today_selected()
        show_error(self, exc)
        self.refresh()
