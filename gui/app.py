"""Start the desktop app: Qt application, fonts, style, station, main window."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from db.access import StationDB
from db.errors import StationError
from db.service import StationService
from resources import path as resource_path
from resources.i18n import _

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or ["enrollment-station"])
    assert isinstance(app, QApplication)
    app.setApplicationName("enrollment-station")
    app.setApplicationDisplayName(_("Enrollment Station"))
    # Ship our own font: Vietnamese marks render the same on every machine.
    families: list[str] = []
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        app.setFont(QFont(families[0], 11))
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text("utf-8"))
    return app


class Shell:
    """The one main window of the process, made anew for each officer who signs in.

    Why a new window and not a rebound one: the lookup, the desk and the wizard keep what the
    last officer saw; a fresh window carries none of it to the next."""

    def __init__(self, db: StationDB, window_class: Callable[[StationService], QMainWindow]):
        self.db = db
        self.window_class = window_class
        self.window: QMainWindow | None = None

    def open(self, service: StationService) -> QMainWindow:
        window = self.window_class(service)
        window.signed_out.connect(self._signed_out)  # type: ignore[attr-defined]
        self.window = window
        window.show()
        return window

    def _signed_out(self) -> None:
        from gui.signin import sign_in

        old, self.window = self.window, None
        app = QApplication.instance()
        assert isinstance(app, QApplication) and old is not None
        app.setQuitOnLastWindowClosed(False)  # no window is shown while the next one signs in
        old.hide()
        try:
            service = sign_in(self.db, self.db.info().name, automatic=False)
        finally:
            app.setQuitOnLastWindowClosed(True)
        old.close()
        old.deleteLater()
        if service is None:
            app.quit()
            return
        self.open(service)


def run_gui(args: argparse.Namespace) -> int:
    """Open (or set up) the station, sign in, then the main window built on the bound service."""
    from db import access
    from gui.errors import describe, install_excepthook
    from gui.first_run import ask_first_admin, run_first_run
    from gui.main_window import MainWindow
    from gui.passphrase import passphrase_dialog
    from gui.signin import sign_in

    app = make_app()
    install_excepthook()
    service: StationService | None
    try:
        data_dir = access.data_dir_of(args)
        if not getattr(args, "demo", False) and not access.station_exists(data_dir):
            made = run_first_run(data_dir)
            if made is None:
                return 0
            db, service = made
        else:
            db = access.open_from_args(args, passphrase_dialog)
            if not access.has_administrator(db) and ask_first_admin(db) is None:
                db.close()
                return 0
            service = sign_in(db, db.info().name)
            if service is None:
                db.close()
                return 0
        shell = Shell(db, MainWindow)
        shell.open(service)
    except StationError as exc:
        QMessageBox.critical(None, _("Enrollment Station"), describe(exc))
        return 2
    try:
        return app.exec()
    finally:
        db.close()
