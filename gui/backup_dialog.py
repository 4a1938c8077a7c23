"""Trạm → Sao lưu…: an encrypted, verified backup to a USB drive or a chosen folder.

The drive is offered first (gui/removable.py), as in field sync: an administrator at the end of
the day plugs the stick in and presses one button. The backup runs on a pool thread (a large
station's database takes a while to copy and check); the dialog says which step it is at, and
at the end what was written, where, and that it was read back and checked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import backup_lines
from db.service import StationService
from db.types import BackupReport, BackupState
from db.vntime import to_local
from gui.file_dialogs import choose_folder
from gui.ops import run_op
from gui.removable import removable_drives
from resources.i18n import N_, _, ngettext
from resources.problems import describe

PROBLEM_COLOUR = "#8a3b00"
STAGES = {
    "export": N_("Copying the database…"),
    "check": N_("Checking the copy…"),
    "write": N_("Writing the backup file…"),
    "verify": N_("Reading it back from the drive…"),
}


def last_backup_text(state: BackupState) -> str:
    """"Last backup: 02/12/2026 17:05 (3 days ago)", or that there has been none."""
    if state.last_at is None:
        return _("This station has never been backed up.")
    when = to_local(state.last_at).strftime("%d/%m/%Y %H:%M")
    if not state.days:
        return _("Last backup: {when} (today).").format(when=when)
    ago = ngettext("{count} day ago", "{count} days ago", state.days).format(count=state.days)
    return _("Last backup: {when} ({ago}).").format(when=when, ago=ago)


def megabytes(size: int) -> str:
    """``1.4`` in English, ``1,4`` in Vietnamese."""
    from resources.i18n import language

    text = f"{size / 1e6:.1f}"
    return text.replace(".", ",") if language() == "vi" else text


class _Stages(QObject):
    """Carries the backup's steps from its thread to the dialog's."""

    stage = Signal(str)


class BackupDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Back up the station"))
        self.setMinimumSize(640, 440)
        self.busy = False
        intro = QLabel(_("The backup holds the whole station, encrypted with its key: it can be "
                         "restored on this computer or on a new one (with the recovery sheet). "
                         "Keep it on a USB drive away from the computer."))  # fmt: skip
        intro.setWordWrap(True)
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.drives = QComboBox()
        self.drives.setObjectName("backupTarget")
        refresh = QPushButton(_("Look for drives again"))
        refresh.clicked.connect(lambda: self.find_drives())  # not clicked's "checked"
        other = QPushButton(_("Another folder…"))
        other.clicked.connect(self.choose_other)
        for side in (refresh, other):  # Enter is for "Back up now", not for these
            side.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.drives, 1)
        row.addWidget(refresh)
        row.addWidget(other)
        self.summary = QLabel()
        self.summary.setObjectName("backupSummary")
        self.summary.setWordWrap(True)
        # The result in a read-only box of its own height: word-wrapped labels in a dialog
        # were cut off (their height is not known before the width is)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("backupDetail")
        self.detail.setReadOnly(True)
        self.detail.setFrameShape(QFrame.Shape.NoFrame)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 9)
        self.detail.setStyleSheet("background: transparent;")
        self.buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole
        self.start = self.buttons.addButton(_("Back up now"), role.AcceptRole)
        self.start.setObjectName("backupNow")
        self.close_button = self.buttons.addButton(_("Close"), role.RejectRole)
        self.start.clicked.connect(self.back_up)
        self.start.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.last)
        layout.addWidget(QLabel(_("Write the backup to:")))
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._stages = _Stages(self)
        self._stages.stage.connect(self._show_stage)
        self.report: BackupReport | None = None
        self.find_drives()
        self._show_last()
        self.start.setFocus()

    def _show_last(self) -> None:
        try:
            self.last.setText(last_backup_text(self.service.backup_state()))
        except Exception as exc:
            self.last.setText(describe(exc))

    def find_drives(self, keep: Path | None = None) -> None:
        self.drives.clear()
        for d in removable_drives():
            self.drives.addItem(f"{d.label} — {d.path}", str(d.path))
        if keep is not None:
            self.drives.addItem(str(keep), str(keep))
            self.drives.setCurrentIndex(self.drives.count() - 1)
        if not self.drives.count():
            self.drives.addItem(_("No USB drive found: plug one in, or choose another folder"),
                                None)  # fmt: skip
        self._set_buttons()

    def choose_other(self) -> None:
        folder = choose_folder(self, _("Folder for the backup"))
        if folder:
            self.find_drives(keep=Path(folder))

    def target(self) -> Path | None:
        data = self.drives.currentData()
        return Path(data) if data else None

    def _set_buttons(self) -> None:
        self.start.setEnabled(not self.busy and self.target() is not None)
        self.close_button.setEnabled(not self.busy)

    def say(self, summary: str, detail: str = "", problem: bool = False) -> None:
        colour = PROBLEM_COLOUR if problem else "#1b3d1b"
        self.summary.setStyleSheet(f"font-size: 13pt; font-weight: bold; color: {colour};")
        self.summary.setText(summary)
        self.detail.setPlainText(detail)

    def _show_stage(self, stage: str) -> None:
        self.say(_(STAGES.get(stage, stage)))

    def back_up(self) -> None:
        target = self.target()
        if target is None or self.busy:
            return
        self.busy = True
        self._set_buttons()
        service, relay = self.service, self._stages.stage
        self.say(_(STAGES["export"]))
        run_op(self, lambda: service.backup(target, progress=relay.emit), self._done,
               self._failed)  # fmt: skip

    def _done(self, report: BackupReport) -> None:
        self.busy = False
        self.report = report
        self._set_buttons()
        holds = "\n".join("  • " + line for line in backup_lines(report.counts))
        self.say(_("Backup written and checked. You can take the drive out."),
                 _("File: {path}\nSize: {size} MB. It was read back from the drive, opened "
                   "with the station key and checked: it holds").format(
                     path=report.path, size=megabytes(report.size)) + "\n" + holds)  # fmt: skip
        self.close_button.setDefault(True)  # Enter now closes; it does not back up again
        self.close_button.setFocus()
        self._show_last()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._set_buttons()
        self.say(_("The backup was not written."), describe(exc), problem=True)

    def reject(self) -> None:
        if not self.busy:  # a backup under way finishes first (Esc does nothing meanwhile)
            super().reject()
