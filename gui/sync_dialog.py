"""Trạm → Đồng bộ…: the trip of field sync on a USB stick (issue 12), in two buttons.

On a mobile laptop: write the return bundle for headquarters onto the stick, and apply the work
packet or receipt headquarters wrote. On headquarters: write the work packet for a chosen laptop
(all of the register, or some villages), and import a laptop's bundle — which at once writes
the receipt next to it on the same stick, so the officer carries it back without a second trip
through the menus.

Where files go: the first removable drive mounted (gui/removable.py; the officer can choose
another), else a file chooser. Names say what a file is, whose it is and when it was made, so
an officer with three files on a stick takes the right one (the slip series names the laptop):

* ``goi-gui-ve-<series>-<yyyymmdd-HHMM>.esb`` — the laptop's return bundle for headquarters;
* ``goi-cong-viec-<series>-<yyyymmdd-HHMM>.esb`` — headquarters' work packet for that laptop;
* ``xac-nhan-<series>-<yyyymmdd-HHMM>.esb`` — headquarters' receipt, to take back to it;
* ``goi-gui-huyen-<series>-<yyyymmdd-HHMM>.esb`` — a commune HQ's bundle for the district hub
  (whose receipt comes back as ``xac-nhan-…`` too, imported like the laptop's files).

A second file of the same minute gets ``-2``, ``-3``… (never over the first). Export and import
run off the UI thread (gui/ops.py) with a progress bar; the dialog cannot be closed while a file
is being written. The result is one plain sentence (the words db/cli/sync.py prints on the command
line); a refused file says why in the officer's language, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import STATION_KINDS, label
from db.service import StationService
from db.types import ExportReport, ImportResult, PeerState, SyncState
from db.vntime import local_date, now_utc, to_local
from gui.file_dialogs import chosen, documents_dir, file_dialog
from gui.ops import run_op
from gui.removable import Drive, removable_drives
from resources.i18n import _, ngettext
from resources.problems import describe, log_unexpected

log = logging.getLogger(__name__)

SUFFIX = ".esb"
PROBLEM_COLOUR = "#b00020"
Progress = Callable[[int, int], None]


def file_filter() -> str:
    return _("Sync files (*.esb);;All files (*)")


def stamp(at: datetime | None = None) -> str:
    """Vietnam time, to the minute: 20260312-0905."""
    return to_local(at or now_utc()).strftime("%Y%m%d-%H%M")


def free_name(folder: Path, stem: str) -> Path:
    """``folder/stem.esb``, or ``stem-2.esb``… if that is taken (a file is never replaced)."""
    path, n = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{SUFFIX}"
    return path


def _days(at: datetime | None) -> int | None:
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return (local_date(now_utc()) - local_date(at)).days


def peer_line(p: PeerState) -> str:
    """Headquarters' line for one laptop: 'Tổ lưu động 1: nhận gói cuối 2 ngày trước'."""
    days = _days(p.last_bundle_at)
    if days is None:
        line = _("{name}: no bundle received yet").format(name=p.name)
    elif days == 0:
        line = _("{name}: last bundle received today").format(name=p.name)
    else:
        line = _("{name}: last bundle received {d} days ago").format(name=p.name, d=days)
    if p.open_cases:
        line += "; " + ngettext("{n} case for the supervisor", "{n} cases for the supervisor",
                                p.open_cases).format(n=p.open_cases)
    return line


def laptops(st: SyncState) -> list[PeerState]:
    return [p for p in st.peers if p.kind == "mobile" and p.active]


def stale_days(st: SyncState) -> int:
    """How long the laptop's unacknowledged work has waited (what ``SyncState.stale`` weighs)."""
    age = st.days_since_receipt
    if age is None or (st.oldest_pending_days or 0) < age:
        age = st.oldest_pending_days
    return age or 0


def stale_warning(st: SyncState) -> str:
    return _("{n} enrollments on this laptop have not reached headquarters for {d} days. Take "
             "the laptop to headquarters to send them (Station → Field sync).").format(
        n=st.pending, d=stale_days(st))  # fmt: skip


# --- the choosers (tests replace them: nothing may block) ------------------------------------


def open_bundle(parent: QWidget | None, caption: str, start: Path | None) -> str:
    """The sync file to import ("" when cancelled), starting on the drive when there is one."""
    return chosen(file_dialog(parent, caption, start or documents_dir(), file_filter()))


def save_bundle(parent: QWidget | None, caption: str, name: str) -> str:
    """Where to write ``name`` when no removable drive is mounted ("" when cancelled)."""
    return chosen(file_dialog(parent, caption, documents_dir() / name, file_filter(), save=True))


class SyncDialog(QDialog):
    """One station's side of the trip; ``changed`` after anything was imported (the desk and
    the lookup read again)."""

    changed = Signal()

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync")
        self.setWindowTitle(_("Field sync"))
        self.service = service
        self.me = service.own_identity()
        self.mobile = self.me.kind == "mobile"
        self.busy = False
        self.progress_state: dict[str, int] = {"done": 0, "total": 0}
        self.series: dict[str, str] = {}  # station id → slip series (names the files)
        intro = QLabel(f"<b>{self.me.name}</b> ({label(STATION_KINDS, self.me.kind)})")
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.state.setWordWrap(True)
        self.drives = QComboBox()
        self.drives.setObjectName("syncDrive")
        self.drives.setMinimumWidth(360)
        rescan = QPushButton(_("Look for USB drives again"))
        rescan.setObjectName("syncRescan")
        rescan.clicked.connect(self.find_drives)
        drive_row = QHBoxLayout()
        drive_row.addWidget(QLabel(_("USB drive:")))
        drive_row.addWidget(self.drives, 1)
        drive_row.addWidget(rescan)
        self.laptop_choice = QComboBox()
        self.laptop_choice.setObjectName("syncLaptop")
        self.villages = QLineEdit()
        self.villages.setObjectName("syncVillages")
        self.villages.setPlaceholderText(_("empty: the whole register; or e.g. Bản Na Hỳ, Bản Mới"))
        self.export_button = QPushButton()
        self.export_button.setObjectName("syncExport")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton()
        self.import_button.setObjectName("syncImport")
        self.import_button.clicked.connect(self.choose_import)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setVisible(False)
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("syncDetail")
        self.detail.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_buttons = close
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.state)
        layout.addLayout(drive_row)
        layout.addWidget(self._hq_part() if not self.mobile else self._laptop_part())
        self.hubs = [] if self.mobile else [p for p in service.paired_stations()
                                            if p.kind == "hub" and p.active]  # fmt: skip
        self.hub_button = QPushButton(_("Export the bundle for the district hub"))
        self.hub_button.setObjectName("syncHubExport")
        self.hub_button.clicked.connect(self.export_for_hub)
        if self.hubs:
            layout.addWidget(self._hub_part())
            self.import_button.setText(_("Import a laptop's bundle or the hub's receipt…"))
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addWidget(close)
        self.resize(720, 460)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._show_progress)
        self.find_drives()
        self.refresh()

    def _laptop_part(self) -> QWidget:
        box = QGroupBox(_("With headquarters"))
        self.export_button.setText(_("Export the bundle for headquarters"))
        self.import_button.setText(_("Import a work packet / receipt…"))
        v = QVBoxLayout(box)
        for w in (self.export_button, self.import_button):
            v.addWidget(w)
        return box

    def _hq_part(self) -> QWidget:
        box = QGroupBox(_("With a mobile laptop"))
        self.export_button.setText(_("Export the work packet"))
        self.import_button.setText(_("Import a mobile laptop's bundle…"))
        form = QFormLayout()
        form.addRow(_("Laptop:"), self.laptop_choice)
        form.addRow(_("Only these villages:"), self.villages)
        v = QVBoxLayout(box)
        v.addLayout(form)
        v.addWidget(self.export_button)
        hint = QLabel(_("After a bundle is imported, the receipt is written next to it on the "
                        "same drive: take it back to the laptop."))  # fmt: skip
        hint.setWordWrap(True)
        v.addWidget(hint)
        v.addWidget(self.import_button)
        return box

    def _hub_part(self) -> QWidget:
        """A commune HQ paired with the district hub: its bundle up, the hub's receipt back
        (through the import button above, like a laptop's files)."""
        box = QGroupBox(_("With the district hub ({name})").format(name=self.hubs[0].name))
        v = QVBoxLayout(box)
        v.addWidget(self.hub_button)
        hint = QLabel(_("Take the file to the district; import the receipt it gives back with "
                        "the button above."))  # fmt: skip
        hint.setWordWrap(True)
        v.addWidget(hint)
        return box

    def export_for_hub(self) -> None:
        if self.busy or not self.hubs:
            return
        service, hub = self.service, self.hubs[0].station_id
        target = self._target(f"goi-gui-huyen-{self.me.slip_code}-{stamp()}",
                              _("Save the bundle for the district hub"))  # fmt: skip
        if target is not None:
            self._run(lambda p: service.sync_export(target, for_station=hub, progress=p),
                      self._exported, _("Writing the bundle for the district hub…"))  # fmt: skip

    # --- what is shown ------------------------------------------------------------------------

    def refresh(self) -> None:
        """The freshness line (laptop) or the paired laptops (headquarters), read again."""
        try:
            st = self.service.sync_state()
            series = {p.station_id: p.slip_code for p in self.service.paired_stations()}
        except Exception as exc:
            log_unexpected(exc, "sync state")
            self.state.setText(describe(exc))
            return
        self.series = series
        if self.mobile:
            self.state.setText(st.freshness_line())
            self._set_buttons()
            return
        chosen_id = self.laptop_choice.currentData()
        self.laptop_choice.clear()
        for p in laptops(st):
            self.laptop_choice.addItem(peer_line(p), p.station_id)
        if chosen_id is not None:
            self.laptop_choice.setCurrentIndex(max(0, self.laptop_choice.findData(chosen_id)))
        self.state.setText("" if self.laptop_choice.count() else
                           _("No mobile laptop is paired yet (Station → Pair stations)."))
        self.state.setVisible(bool(self.state.text()))
        self._set_buttons()

    def find_drives(self) -> None:
        before = self.drive()
        self.drives.clear()
        for d in removable_drives():
            self.drives.addItem(f"{d.label} — {d.path}", d)
        if not self.drives.count():
            self.drives.addItem(_("No USB drive found: you will be asked where the file goes"),
                                None)  # fmt: skip
        elif before is not None:
            self.drives.setCurrentIndex(max(0, self.drives.findText(
                f"{before.label} — {before.path}")))  # fmt: skip

    def drive(self) -> Drive | None:
        found = self.drives.currentData() if self.drives.count() else None
        return found if isinstance(found, Drive) else None

    def _set_buttons(self) -> None:
        idle = not self.busy
        self.export_button.setEnabled(idle and (self.mobile or self.laptop_choice.count() > 0))
        if hasattr(self, "hub_button"):
            self.hub_button.setEnabled(idle)
        self.import_button.setEnabled(idle)
        self.close_buttons.setEnabled(idle)

    def say(self, summary: str, detail: str = "", problem: bool = False) -> None:
        colour = PROBLEM_COLOUR if problem else "#1b3d1b"
        self.summary.setStyleSheet(f"font-size: 13pt; font-weight: bold; color: {colour};")
        self.summary.setText(summary)
        self.detail.setText(detail)

    # --- the work -----------------------------------------------------------------------------

    def _target(self, stem: str, caption: str) -> Path | None:
        drive = self.drive()
        if drive is not None:
            return free_name(drive.path, stem)
        path = save_bundle(self, caption, f"{stem}{SUFFIX}")
        return Path(path) if path else None

    def export(self) -> None:
        if self.busy:
            return
        service = self.service
        if self.mobile:
            bundle = self._target(f"goi-gui-ve-{self.me.slip_code}-{stamp()}",
                                  _("Save the bundle for headquarters"))  # fmt: skip
            if bundle is not None:
                self._run(lambda p: service.sync_export(bundle, progress=p), self._exported,
                          _("Writing the bundle for headquarters…"))  # fmt: skip
            return
        laptop = self.laptop_choice.currentData()
        if laptop is None:
            return
        villages = [v.strip() for v in self.villages.text().split(",") if v.strip()] or None
        target = self._target(f"goi-cong-viec-{self.series.get(laptop, 'X')}-{stamp()}",
                              _("Save the work packet"))  # fmt: skip
        if target is not None:
            self._run(lambda p: service.sync_export(target, for_station=laptop, villages=villages,
                                                    progress=p),
                      self._exported, _("Writing the work packet…"))  # fmt: skip

    def _exported(self, report: ExportReport) -> None:
        if report.kind == "bundle":
            text = _("Return bundle for {name} written to {path}: {n} enrollments.").format(
                name=report.recipient_name, path=report.path, n=report.enrollments)
        else:
            text = _("Work packet for {name} written to {path}: {r} residents.").format(
                name=report.recipient_name, path=report.path, r=report.residents)
        self.say(text, _("The file was read back and checked."))
        self.refresh()

    def choose_import(self) -> None:
        if self.busy:
            return
        drive = self.drive()
        caption = (_("The work packet or receipt from headquarters") if self.mobile
                   else _("The bundle of a mobile laptop"))  # fmt: skip
        path = open_bundle(self, caption, drive.path if drive else None)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        service, hq = self.service, not self.mobile

        def op(progress: Progress) -> tuple[ImportResult, Path | None, BaseException | None]:
            result = service.sync_import(path, progress=progress)
            if not hq or result.kind != "bundle":
                return result, None, None
            receipt = free_name(path.parent, f"xac-nhan-{self._series(result.sender)}-{stamp()}")
            try:
                service.sync_receipt(result.sender, receipt)
            except Exception as exc:  # the import stands: say the receipt is missing
                return result, None, exc
            return result, receipt, None

        self._run(op, self._imported, _("Importing {file}…").format(file=path.name))

    def _series(self, station_id: str) -> str:
        code = self.series.get(station_id)
        if not code:
            code = next((p.slip_code for p in self.service.paired_stations()
                         if p.station_id == station_id), station_id[:8])  # fmt: skip
        return code

    def _imported(self, done: tuple[ImportResult, Path | None, BaseException | None]) -> None:
        result, receipt, failed = done
        detail = ""
        if receipt is not None:
            detail = _("Receipt for {name} written to {path}: take it back to the laptop."
                       ).format(name=result.sender_name, path=receipt)  # fmt: skip
        elif failed is not None:
            log_unexpected(failed, "sync receipt")
            detail = _("The receipt could not be written: {reason} Import the same file again "
                       "to write it.").format(reason=describe(failed))  # fmt: skip
        self.say(result.summary(), detail, problem=failed is not None)
        self.refresh()
        if result.reason != "replay":
            self.changed.emit()

    def _run(self, op: Callable[[Progress], Any], done: Callable[[Any], None], what: str) -> None:
        """``op(progress)`` on a pool thread; the bar follows ``progress(done, total)``."""
        state = self.progress_state = {"done": 0, "total": 0}

        def progress(n: int, total: int) -> None:
            state["done"], state["total"] = n, total  # read by the GUI timer: no widgets here

        self.busy = True
        self._set_buttons()
        self.say(what)
        self.progress.setRange(0, 0)  # moving until the first count arrives
        self.progress.setVisible(True)
        self.timer.start(100)

        def finished(value: Any) -> None:
            self._idle()
            done(value)

        run_op(self, lambda: op(progress), finished, self._failed)

    def _show_progress(self) -> None:
        total = self.progress_state["total"]
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(self.progress_state["done"], total))

    def _idle(self) -> None:
        self.timer.stop()
        self.progress.setVisible(False)
        self.busy = False
        self._set_buttons()

    def _failed(self, exc: BaseException) -> None:
        """Refused or failed: the reason in the officer's words, in the dialog itself."""
        self._idle()
        log_unexpected(exc, "sync")
        self.say(_("Not done."), describe(exc), problem=True)
        self.refresh()

    # --- no closing mid-write -------------------------------------------------------------------

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
