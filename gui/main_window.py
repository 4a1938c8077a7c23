"""The main window: the station, the place and the signed-in officer always at the top; the
lookup and the officer's desk as home; the enrollment wizard for the person chosen.

Choosing a person (Enter or double click in the lookup) starts a draft at once, so even the
first step is saved if the program stops. "Next person" comes back to the lookup with the
search box cleared and focused.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.actor import Actor
from db.errors import OpenEnrollmentExists
from db.labels import PLACES, label
from db.service import StationService
from db.types import EnrollmentInfo, ResidentDetail, VerifyResult
from gui.card_menu import CardMenu
from gui.desk import DeskPanel
from gui.errors import show_error
from gui.file_dialogs import open_file_name
from gui.idle_lock import IdleLock
from gui.lookup import LookupPage
from gui.ops import run_op
from gui.session import Session
from gui.station_menus import SupervisionMenu, check_audit_on_start
from gui.wizard.context import WizardContext, writer_pool
from resources.i18n import _

if TYPE_CHECKING:
    from capture.fingerprint.scanner import Scanner
    from capture.sources import CameraSource
    from gui.wizard.wizard import EnrollmentWizard

log = logging.getLogger(__name__)

#: Set (to anything): the main window, once shown, prints SHOWN and quits with 0 — how the
#: benches time start-up and how packaging/smoke.py starts the frozen app headless (README).
BENCH_EXIT_ENV = "ENROLLMENT_STATION_EXIT_WHEN_SHOWN"


def _webcam() -> CameraSource:
    from capture.sources import WebcamSource

    return WebcamSource(0)


def _station_scanner(service: StationService) -> Callable[[], Scanner]:
    """The scanner the station's settings name (read when a scanner is opened: a supervisor's
    change of the setting applies to the next enrollment)."""

    def make() -> Scanner:
        from capture.fingerprint.backends import scanner_factory

        settings = service.settings()
        return scanner_factory(settings.fingerprint_scanner, settings.fingerprint_folder)()

    return make


def _preload() -> None:
    """Load OpenCV, ReportLab and QtPdf in the background once the window is up, so the
    first enrollment opens at once while start-up stays short."""
    import importlib

    for name in ("gui.wizard.portrait", "gui.wizard.fingerprints", "gui.wizard.slip",
                 "printing.slip", "gui.print_preview"):
        importlib.import_module(name)


class _WaitRelay(QObject):
    """Carries the core's "waiting for the import" notice from a worker to the window."""

    notice = Signal(object)


class MainWindow(QMainWindow):
    """Built from its parts: the signed-in officer's bound service, a camera factory and the
    idle-lock interval (tests shorten it); everything it shows goes through the service.

    ``signed_out`` is emitted after Đăng xuất: the shell (gui/app.py) asks the next officer to
    sign in and builds a new window — nothing of this officer's is carried over."""

    signed_out = Signal()

    def __init__(
        self,
        service: StationService,
        camera_factory: Callable[[], CameraSource] | None = None,
        idle_ms: int | None = None,
        scanner_factory: Callable[[], Scanner] | None = None,
    ) -> None:
        super().__init__()
        self.session = Session(service)  # a new service (never rebound) on a take-over
        self.info = info = service.station()
        self.camera_factory = camera_factory or _webcam
        self.scanner_factory = scanner_factory or _station_scanner(service)
        self.audit_check: VerifyResult | None = None
        self.wizard: EnrollmentWizard | None = None
        self._opening = False
        self._preloaded = False
        title = _("Enrollment Station") + " — " + info.name
        if info.training:  # synthetic people: never mistaken for a real station
            title = _("TRAINING STATION") + " — " + title
        self.setWindowTitle(title)
        self.resize(1280, 720)
        self.setMinimumSize(1024, 640)

        # --- the bar that never goes away: station, place, officer --------------------------
        banner = QLabel(
            _("{station} · {commune} commune").format(station=info.name, commune=info.commune)
        )
        banner.setObjectName("banner")
        self.place = QComboBox()
        self.place.setObjectName("place")
        for code in ("hq", "mobile", "home"):
            self.place.addItem(label(PLACES, code), code)
        self.place.setCurrentIndex(self.place.findData("mobile" if info.kind == "mobile" else "hq"))
        self.officer = QLabel(_("Officer: {name}").format(name=service.actor.full_name))
        self.officer.setObjectName("officer")
        top = QHBoxLayout()
        top.addWidget(banner, 1)
        top.addWidget(QLabel(_("Place:")))
        top.addWidget(self.place)
        top.addSpacing(16)
        top.addWidget(self.officer)

        # --- home: lookup + desk ------------------------------------------------------------
        self.lookup = LookupPage(self.session, self.camera_factory)
        self.desk = DeskPanel(self.session)
        self.new_person = QPushButton(_("Person not in the register (DC01)…"))
        self.new_person.setObjectName("newPerson")
        self.new_person.clicked.connect(self.start_new_person)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.desk, 1)
        rv.addWidget(self.new_person)
        self.home = QSplitter()
        self.home.addWidget(self.lookup)
        self.home.addWidget(right)
        self.home.setStretchFactor(0, 4)
        self.home.setStretchFactor(1, 1)
        self.home.setChildrenCollapsible(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.lookup.resident_chosen.connect(self.start_enrollment)
        self.desk.resume_requested.connect(self.resume_enrollment)
        self.desk.discard_requested.connect(self.discard_enrollment)
        self.desk.slip_requested.connect(self.show_slip)
        self._freshness_checked = self._stale_pending = False
        self.desk.freshness_read.connect(self._check_freshness)
        self._menus()
        self.idle_lock = IdleLock(self, self.session, idle_ms)
        self.supervision = SupervisionMenu(self, self.session, self.idle_lock.lock, self.sign_out)
        self.lock_action = self.supervision.lock_action
        self.cards = CardMenu(self, self.session, before=self.settings_menu.menuAction())
        help_menu = self.menuBar().addMenu(_("&Help"))  # last, where every program has it
        self.about_action = help_menu.addAction(_("&About…"))
        self.about_action.triggered.connect(self.open_about)
        self.idle_lock.unlocked.connect(self.set_service)
        check_audit_on_start(self, self.session, self._audit_checked)
        self.statusBar().showMessage(_("Ready"))
        self._waits = _WaitRelay(self)
        self._waits.notice.connect(self._show_wait)
        service.on_wait(self._waits.notice.emit)
        self.desk.refresh()
        self.lookup.focus_search()

    def _menus(self) -> None:
        menu = self.menuBar().addMenu(_("&Station"))
        self.import_action = QAction(_("&Import population register…"), self)
        self.import_action.triggered.connect(self.choose_register_file)
        menu.addAction(self.import_action)
        self.pair_action = QAction(_("&Pair stations (field sync)…"), self)
        self.pair_action.triggered.connect(self.open_pairing)
        self.pair_action.setVisible(self.service.allowed("station.pair"))
        menu.addAction(self.pair_action)
        self.sync_action = QAction(_("Field &sync…"), self)
        self.sync_action.triggered.connect(self.open_sync)
        self.sync_action.setVisible(self.service.allowed("sync.exchange"))
        menu.addAction(self.sync_action)
        menu.addSeparator()
        self.backup_action = QAction(_("&Back up…"), self)
        self.backup_action.triggered.connect(self.open_backup)
        menu.addAction(self.backup_action)
        self.restore_action = QAction(_("&Restore from a backup…"), self)
        self.restore_action.triggered.connect(self.open_restore)
        menu.addAction(self.restore_action)
        self._station_roles()
        menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        find = QAction(_("Find"), self)
        find.setShortcuts([QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("F3")])
        find.triggered.connect(self.go_home)
        self.addAction(find)
        self.settings_menu = settings = self.menuBar().addMenu(_("S&ettings"))
        lang = settings.addMenu(_("Language"))
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(name, self)
            action.triggered.connect(lambda _c=False, code=code: self.choose_language(code))
            lang.addAction(action)

    @property
    def service(self) -> StationService:
        return self.session.service

    @property
    def actor(self) -> Actor:
        """The signed-in officer (read-only: a change of user is a new service)."""
        return self.service.actor

    def set_service(self, service: StationService) -> None:
        """The lock screen was unlocked, by the same officer or a supervisor taking over."""
        if service is self.service:
            return
        self.session.service = service
        self.officer.setText(_("Officer: {name}").format(name=service.actor.full_name))
        self.supervision.refresh_roles()
        self.cards.refresh()
        self.pair_action.setVisible(service.allowed("station.pair"))
        self.sync_action.setVisible(service.allowed("sync.exchange"))
        self._station_roles()
        self.desk.refresh()

    def sign_out(self) -> None:
        """Đăng xuất: drafts are saved at every step, so leaving the wizard loses nothing."""
        if self.wizard is not None:
            self.go_home()
        try:
            self.service.sign_out()
        except Exception as exc:
            show_error(self, exc)
            return
        self.service.on_wait(None)
        self.signed_out.emit()

    def _show_wait(self, message: str | None) -> None:
        """A save waits for an import (from a worker thread, queued here): say so."""
        self.statusBar().showMessage(_(message) if message else _("Ready"))

    def _audit_checked(self, result: VerifyResult) -> None:
        self.audit_check = result

    @property
    def place_code(self) -> str:
        return str(self.place.currentData())

    # --- the wizard ---------------------------------------------------------------------------

    def _context(self) -> WizardContext:
        return WizardContext(self.session, self.camera_factory, place=self.place_code,
                             scanner_factory=self.scanner_factory)

    def start_enrollment(self, resident_id: int, redo: tuple[str, str | None] | None = None
                         ) -> None:  # fmt: skip
        """A person was chosen: start their draft, then open the wizard (once per choice);
        ``redo``: (reason, note) of a deliberate second enrollment ("làm lại hồ sơ")."""
        if self._opening or self.wizard is not None:
            return  # Enter held down or a double click: one enrollment
        self._opening = True
        service, place = self.service, self.place_code
        reason, note = redo or (None, None)

        def op() -> tuple[ResidentDetail | None, EnrollmentInfo]:
            detail = service.resident(resident_id)
            return detail, service.start_enrollment(resident_id, place, redo_reason=reason,
                                                    redo_note=note)  # fmt: skip

        run_op(self, op, lambda r: self._open(r[0], r[1]), self._open_failed, pool=writer_pool())

    def resume_enrollment(self, uuid: str) -> None:
        if self._opening or self.wizard is not None:
            return
        self._opening = True
        service = self.service

        def op() -> tuple[ResidentDetail | None, EnrollmentInfo]:
            info, detail = service.resume(uuid)
            return detail, info

        run_op(self, op, lambda r: self._open(r[0], r[1]), self._open_failed)

    def start_new_person(self) -> None:
        if self._opening or self.wizard is not None:
            return
        self._open(None, None)

    def _open(self, detail: ResidentDetail | None, info: EnrollmentInfo | None) -> None:
        self._opening = False
        ctx = self._context()
        ctx.resident = detail
        read = self.lookup.card_for(detail.id) if detail is not None else None
        if read is not None:  # a card was scanned for this person: the details step compares
            ctx.extra["card"], ctx.extra["card_trusted"] = read
        if info is not None:
            ctx.place = info.place
        from gui.wizard import step_classes
        from gui.wizard.wizard import EnrollmentWizard

        wizard = EnrollmentWizard(ctx, step_classes())
        wizard.finished.connect(lambda: self.go_home(clear=True))
        wizard.closed.connect(lambda: self.go_home(clear=False))
        self.wizard = wizard
        self.pages.addWidget(wizard)
        self.pages.setCurrentWidget(wizard)
        wizard.start(info)

    def _open_failed(self, exc: BaseException) -> None:
        self._opening = False
        if isinstance(exc, OpenEnrollmentExists):  # no silent second one: say what exists
            from gui.duplicate_dialog import offer

            offer(self, exc, resume=self.resume_enrollment,
                  redo=lambda why, note: self.start_enrollment(exc.resident_id, (why, note)))
            return
        show_error(self, exc)

    def go_home(self, clear: bool = False) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.shutdown()
            self.pages.removeWidget(wizard)
            wizard.deleteLater()
        self.pages.setCurrentWidget(self.home)
        if clear:
            self.lookup.box.clear()
        self.desk.refresh()
        self.lookup.focus_search()

    def discard_enrollment(self, uuid: str) -> None:
        answer = QMessageBox.question(
            self, _("Discard"), _("Discard this unfinished enrollment? It cannot be resumed.")
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service = self.service
        run_op(self, lambda: service.discard(uuid), lambda _r: self.desk.refresh(),
               pool=writer_pool())  # fmt: skip

    def show_slip(self, uuid: str) -> None:
        """Reprint the slip of an enrollment received today."""
        from gui.print_preview import record_saved, show_print_preview
        from printing import build_slip

        service = self.service

        def shown(pdf: bytes) -> None:
            preview = show_print_preview(self, pdf, _("Appointment slip"), "giay-hen.pdf")
            preview.saved.connect(lambda _path: record_saved(self, service, uuid))

        # through the core: officers reprint their own slips, and the print is audited
        run_op(self, lambda: build_slip(service.slip(uuid)), shown)

    def choose_language(self, code: str) -> None:
        """Stored in the station settings (issue 5's service: a supervisor's change)."""
        try:
            self.service.change_setting("language", code)
        except Exception as exc:
            show_error(self, exc)
            return
        QMessageBox.information(
            self, _("Language"), _("The new language is used from the next start.")
        )

    # --- window events ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.pages.currentWidget() is self.home:
            self.lookup.focus_search()
        if self._stale_pending:
            QTimer.singleShot(0, self, self._warn_stale)
        if os.environ.get(BENCH_EXIT_ENV):
            QTimer.singleShot(0, _report_and_quit)
        elif not self._preloaded:
            self._preloaded = True
            # the window as context: the timer dies with it (tests close windows quickly)
            QTimer.singleShot(500, self, lambda: run_op(self, _preload, lambda _none: None))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Release the camera and wait for it; drafts are already saved."""
        self.service.on_wait(None)
        if self.wizard is not None:
            self.wizard.shutdown()
        super().closeEvent(event)

    def _station_roles(self) -> None:
        self.backup_action.setVisible(self.service.allowed("backup"))
        self.restore_action.setVisible(self.service.allowed("station.restore"))

    def open_backup(self) -> None:
        from gui.backup_dialog import BackupDialog

        BackupDialog(self.service, self).exec()
        self.desk.refresh()

    def open_restore(self) -> None:
        """Prove and confirm here; the swap itself once this window has closed (gui/app.py)."""
        from gui.restore_flow import restore_from_menu

        if restore_from_menu(self, self.service):
            self.close()

    def open_about(self) -> None:
        from gui.about_dialog import AboutDialog

        AboutDialog(self.service, self).exec()

    def open_pairing(self) -> None:
        from gui.pairing_dialog import PairingDialog

        PairingDialog(self.service, self).exec()
        self.desk.refresh()

    def open_sync(self) -> None:
        from gui.sync_dialog import SyncDialog

        dialog = SyncDialog(self.service, self)
        dialog.changed.connect(self._synced)
        dialog.exec()
        self.desk.refresh()

    def _synced(self) -> None:
        """A work packet may have changed the register: the search reads it again."""
        self.service.register_changed()
        self.lookup.search_now()

    def _check_freshness(self) -> None:
        """Once per sign-in: a laptop whose work has not reached headquarters for longer than
        the setting allows says so (after the window is up, never over the sign-in)."""
        st = self.desk.sync_state
        if self._freshness_checked or st is None:
            return
        self._freshness_checked = True
        if st.stale:
            self._stale_pending = True
            if self.isVisible():
                QTimer.singleShot(0, self, self._warn_stale)

    def _warn_stale(self) -> None:
        from gui.sync_dialog import stale_warning

        if not self._stale_pending or self.desk.sync_state is None:
            return
        self._stale_pending = False
        QMessageBox.warning(self, _("Field sync"), stale_warning(self.desk.sync_state))

    # --- register import (station menu) -------------------------------------------------------

    def choose_register_file(self) -> None:
        name = open_file_name(
            self,
            _("Import population register"),
            _("Register files (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        from gui.register_import_ui import import_with_progress

        import_with_progress(self, self.service, path, self._imported)

    def _imported(self) -> None:
        self.lookup.search_now()  # the service forgot its cached register facts


def _report_and_quit() -> None:
    """For bench/startup.py, bench/frozen.py and the frozen build's smoke test (packaging/
    smoke.py): seconds since the process started and memory, then quit with 0. psutil is a
    test tool, not in the frozen build: there the line says only SHOWN (the bench times it
    from outside)."""
    import time

    from PySide6.QtWidgets import QApplication

    try:
        import psutil
    except ImportError:
        print("SHOWN", flush=True)
    else:
        proc = psutil.Process()
        elapsed = time.time() - proc.create_time()
        rss = proc.memory_info().rss / 2**20
        print(f"SHOWN {elapsed:.3f} s RSS {rss:.1f} MB", flush=True)
    QApplication.quit()
