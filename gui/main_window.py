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

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
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

from db import enrollment as enr
from db.actor import SYSTEM, Actor
from db.residents import resident_detail
from db.station import StationDB, StationInfo
from gui.desk import DeskPanel
from gui.errors import show_error
from gui.lookup import LookupPage
from gui.ops import run_op
from gui.wizard.context import WizardContext, as_actor, writer_pool
from gui.wizard.review import PLACE_LABELS
from resources.i18n import _

if TYPE_CHECKING:
    from capture.sources import CameraSource
    from gui.wizard.wizard import EnrollmentWizard

log = logging.getLogger(__name__)

BENCH_EXIT_ENV = "ENROLLMENT_STATION_EXIT_WHEN_SHOWN"  # bench/startup.py: report and quit


def _webcam() -> CameraSource:
    from capture.sources import WebcamSource

    return WebcamSource(0)


def _preload() -> None:
    """Load OpenCV, ReportLab and QtPdf in the background once the window is up, so the
    first enrollment opens at once while start-up stays short."""
    import importlib

    for name in ("gui.wizard.portrait", "gui.wizard.slip", "printing.slip", "gui.print_preview"):
        importlib.import_module(name)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: StationDB,
        info: StationInfo,
        actor: Actor = SYSTEM,
        camera_factory: Callable[[], CameraSource] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.info = info
        self.actor = actor  # the signed-in officer (issue 5 signs in before this window)
        self.camera_factory = camera_factory or _webcam
        self.wizard: EnrollmentWizard | None = None
        self._opening = False
        self._preloaded = False
        self.setWindowTitle(_("Enrollment Station") + " — " + info.name)
        self.resize(1280, 720)
        self.setMinimumSize(1024, 640)

        # --- the bar that never goes away: station, place, officer --------------------------
        banner = QLabel(
            _("{station} · commune {commune}").format(station=info.name, commune=info.commune)
        )
        banner.setObjectName("banner")
        self.place = QComboBox()
        self.place.setObjectName("place")
        for code in ("hq", "mobile", "home"):
            self.place.addItem(_(PLACE_LABELS[code]), code)
        self.place.setCurrentIndex(self.place.findData("mobile" if info.kind == "mobile" else "hq"))
        self.officer = QLabel(_("Officer: {name}").format(name=actor.full_name))
        self.officer.setObjectName("officer")
        top = QHBoxLayout()
        top.addWidget(banner, 1)
        top.addWidget(QLabel(_("Place:")))
        top.addWidget(self.place)
        top.addSpacing(16)
        top.addWidget(self.officer)

        # --- home: lookup + desk ------------------------------------------------------------
        self.lookup = LookupPage(db)
        self.desk = DeskPanel(db, actor.officer_id)
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
        self._menus()
        self.statusBar().showMessage(_("Ready"))
        self.desk.refresh()
        self.lookup.focus_search()

    def _menus(self) -> None:
        menu = self.menuBar().addMenu(_("&Station"))
        self.import_action = QAction(_("&Import population register…"), self)
        self.import_action.triggered.connect(self.choose_register_file)
        menu.addAction(self.import_action)
        menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        find = QAction(_("Find"), self)
        find.setShortcuts([QKeySequence.StandardKey.Find, QKeySequence("F3")])
        find.triggered.connect(self.go_home)
        self.addAction(find)
        settings = self.menuBar().addMenu(_("S&ettings"))
        lang = settings.addMenu(_("Language"))
        for code, label in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(label, self)
            action.triggered.connect(lambda _c=False, code=code: self.choose_language(code))
            lang.addAction(action)

    @property
    def place_code(self) -> str:
        return str(self.place.currentData())

    # --- the wizard ---------------------------------------------------------------------------

    def _context(self) -> WizardContext:
        return WizardContext(self.db, self.actor, self.camera_factory, place=self.place_code)

    def start_enrollment(self, resident_id: int) -> None:
        """A person was chosen: start their draft, then open the wizard (once per choice)."""
        if self._opening or self.wizard is not None:
            return  # Enter held down or a double click: one enrollment
        self._opening = True
        db, actor, place = self.db, self.actor, self.place_code

        def op() -> tuple[object, enr.EnrollmentInfo]:
            detail = resident_detail(db, resident_id)
            info = as_actor(enr.create_draft, actor, db, resident_id, place=place,
                            officer_id=actor.officer_id)  # fmt: skip
            return detail, info

        run_op(self, op, lambda r: self._open(r[0], r[1]), self._open_failed, pool=writer_pool())

    def resume_enrollment(self, uuid: str) -> None:
        if self._opening or self.wizard is not None:
            return
        self._opening = True
        db = self.db

        def op() -> tuple[object, enr.EnrollmentInfo]:
            info = enr.resume(db, uuid)
            return resident_detail(db, info.resident_id), info

        run_op(self, op, lambda r: self._open(r[0], r[1]), self._open_failed)

    def start_new_person(self) -> None:
        if self._opening or self.wizard is not None:
            return
        self._open(None, None)

    def _open(self, detail: object, info: enr.EnrollmentInfo | None) -> None:
        self._opening = False
        ctx = self._context()
        ctx.resident = detail  # type: ignore[assignment]
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
        db, actor = self.db, self.actor
        run_op(self, lambda: as_actor(enr.discard, actor, db, uuid),
               lambda _r: self.desk.refresh(), lambda e: show_error(self, e),
               pool=writer_pool())  # fmt: skip

    def show_slip(self, uuid: str) -> None:
        """Reprint the slip of an enrollment received today."""
        from db import services
        from gui.print_preview import record_saved, show_print_preview
        from printing import build_slip

        db, actor = self.db, self.actor

        def shown(pdf: bytes) -> None:
            preview = show_print_preview(self, pdf, _("Appointment slip"), "giay-hen.pdf")
            preview.saved.connect(lambda _path: record_saved(self, db, actor, uuid))

        # through the core: officers reprint their own slips, and the print is audited
        run_op(self, lambda: build_slip(services.slip(db, actor, uuid)), shown,
               lambda e: show_error(self, e))  # fmt: skip

    def choose_language(self, code: str) -> None:
        """Stored in the station settings (issue 5's service: a supervisor's change)."""
        try:
            from db import settings as station_settings

            as_actor(station_settings.change, self.actor, self.db, name="language", value=code)
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
        if os.environ.get(BENCH_EXIT_ENV):
            QTimer.singleShot(0, _report_and_quit)
        elif not self._preloaded:
            self._preloaded = True
            # the window as context: the timer dies with it (tests close windows quickly)
            QTimer.singleShot(500, self, lambda: run_op(self, _preload, lambda _none: None))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Release the camera and wait for it; drafts are already saved."""
        if self.wizard is not None:
            self.wizard.shutdown()
        super().closeEvent(event)

    # --- register import (station menu) -------------------------------------------------------

    def choose_register_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import population register"),
            "",
            _("Register files (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        from gui.register_import_ui import import_with_progress

        import_with_progress(self, self.db, self.actor, path, self._imported)

    def _imported(self) -> None:
        self.lookup.searcher.invalidate()
        self.lookup.search_now()


def _report_and_quit() -> None:
    """For bench/startup.py: seconds since the process started and memory, then quit."""
    import time

    import psutil
    from PySide6.QtWidgets import QApplication

    proc = psutil.Process()
    elapsed = time.time() - proc.create_time()
    rss = proc.memory_info().rss / 2**20
    print(f"SHOWN {elapsed:.3f} s RSS {rss:.1f} MB", flush=True)
    QApplication.quit()
