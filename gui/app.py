"""Start the desktop app: Qt application, fonts, style, station, main window."""

from __future__ import annotations

import argparse
import logging
import os

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from db import keys
from db.errors import PassphraseRequired, StationError
from db.station import StationDB
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


def passphrase_dialog(confirm: bool) -> str:
    """Ask the officer for the station passphrase (the environment variable wins)."""
    value = os.environ.get(keys.PASSPHRASE_ENV)
    if value:
        return value
    text, ok = QInputDialog.getText(
        None,
        _("Enrollment Station"),
        _("Station passphrase:"),
        QLineEdit.EchoMode.Password,
    )
    if not ok or not text:
        raise PassphraseRequired("the station passphrase was not given")
    return text


def open_station_for_gui(args: argparse.Namespace) -> StationDB:
    from db.cli import data_dir_of
    from db.station import open_station

    if getattr(args, "demo", False):
        from db.demo import open_demo

        return open_demo()
    return open_station(data_dir_of(args), passphrase_dialog)


def run_gui(args: argparse.Namespace) -> int:
    """Open (or set up) the station, sign in, then the main window with the station menus."""
    from db import settings
    from db.accounts import has_accounts
    from db.cli import data_dir_of
    from db.station import station_exists
    from gui.errors import describe, install_excepthook
    from gui.first_run import ask_first_admin, run_first_run
    from gui.main_window import MainWindow
    from gui.signin import sign_in
    from gui.station_menus import install_station_menus

    app = make_app()
    install_excepthook()
    demo = bool(getattr(args, "demo", False))
    try:
        if not demo and not station_exists(data_dir_of(args)):
            made = run_first_run(data_dir_of(args))
            if made is None:
                return 0
            db, actor = made
        else:
            db = open_station_for_gui(args)
            settings.upgrade(db)
            if demo:
                from db.demo import ensure_demo_accounts

                ensure_demo_accounts(db)
            if not has_accounts(db) and ask_first_admin(db) is None:
                db.close()
                return 0
            info = db.info()
            signed = sign_in(db, info.name, demo=demo)
            if signed is None:
                db.close()
                return 0
            actor = signed
        info = db.info()
    except StationError as exc:
        QMessageBox.critical(None, _("Enrollment Station"), describe(exc))
        return 2
    window = MainWindow(db, info, actor)
    install_station_menus(window)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
