"""Start the desktop app: Qt application, fonts, style, language, station, main window.

The language: ``--lang`` if given, else the station's setting (Cài đặt → Ngôn ngữ), read once
the station is open and someone has signed in, before the main window is built — so a change
of the setting applies at the next start, as the menu says. Qt's own texts (standard buttons,
the file dialog, message boxes, context menus) follow it through our translation of Qt
(resources/translations/qt), installed for Vietnamese only: English is Qt's own language.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QThreadPool, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from db.access import StationDB
from db.errors import StationError
from db.service import StationService
from resources import i18n
from resources import path as resource_path
from resources.i18n import _

if TYPE_CHECKING:
    from db.access import StationDB

log = logging.getLogger(__name__)

#: How long a quit waits for each pool of background ops still running.
QUIT_WAIT_MS = 10_000

#: The locale Qt formats with (calendar names, file types in the file dialog) in each language.
LOCALES = {
    "vi": (QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
}


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or ["enrollment-station"])
    assert isinstance(app, QApplication)
    app.setApplicationName("enrollment-station")
    app.setApplicationDisplayName(_("Enrollment Station"))
    # A PNG, not the SVG: no image plugin needed (the desktop entry names the same picture)
    app.setWindowIcon(QIcon(str(resource_path("icons", "enrollment-station.png"))))
    app.setDesktopFileName("enrollment-station")  # Wayland: the window is the menu entry's
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
    i18n.on_change(use_qt_language)  # from now on every switch of language reaches Qt too
    use_qt_language(i18n.language())
    return app


# --- Qt's own texts in the program's language ---------------------------------------------


class TableTranslator(QTranslator):
    """Qt's texts answered from the ``.ts`` itself, for a checkout where ``make catalog`` has not
    compiled the ``.qm`` yet. None (not "") means "not ours": Qt then asks the next translator
    or keeps its English, where an empty string would blank the button."""

    def __init__(self, table: dict[tuple[str, str, str], str]) -> None:
        super().__init__()
        self._table = table

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        found = self._table.get((context, source, disambiguation or ""))
        if found is None and disambiguation:  # as QTranslator: then without the disambiguation
            found = self._table.get((context, source, ""))
        return found

    def isEmpty(self) -> bool:
        return not self._table


_translators: dict[str, QTranslator | None] = {}
_installed: QTranslator | None = None


def qt_translator(lang: str) -> QTranslator | None:
    """Our translation of Qt's texts into ``lang``, loaded once: the compiled ``.qm`` when it is
    fresh, else the ``.ts`` (None for English)."""
    if lang not in _translators:
        translator: QTranslator | None = None
        qm = i18n.qt_compiled(lang)
        if qm is not None:
            translator = QTranslator()
            if not translator.load(str(qm)):
                log.warning("cannot load %s; reading the .ts instead", qm.name)
                translator = None
        if translator is None:
            table = i18n.qt_messages(lang)
            translator = TableTranslator(table) if table else None
        _translators[lang] = translator
    return _translators[lang]


def use_qt_language(lang: str) -> None:
    """Qt's own texts, its locale and the application name follow the program's language."""
    global _installed
    QLocale.setDefault(QLocale(*LOCALES[lang]))
    app = QCoreApplication.instance()
    if app is None:
        return  # make_app comes back here once the application exists
    wanted = qt_translator(lang)
    if wanted is not _installed:
        if _installed is not None:
            app.removeTranslator(_installed)
        if wanted is not None:
            app.installTranslator(wanted)
        _installed = wanted
    if isinstance(app, QGuiApplication):  # X11 adds it to every window title
        app.setApplicationDisplayName(_("Enrollment Station"))


def start_language(args: argparse.Namespace, db: StationDB) -> str:
    """The language of this session: ``--lang`` wins, else the station's stored setting, read
    before the sign-in screen so that it too speaks it."""
    from db import access

    lang = getattr(args, "lang", None) or access.station_language(db)
    if lang != i18n.language():
        i18n.set_language(lang)
    return lang


class Shell:
    """The one main window of the process, made anew for each officer who signs in.

    Why a new window and not a rebound one: the lookup, the desk and the wizard keep what the
    last officer saw; a fresh window carries none of it to the next."""

    def __init__(self, db: StationDB, window_class: Callable[[StationService], QMainWindow]):
        self.db = db
        self.window_class = window_class
        self.window: QMainWindow | None = None

    def open(self, service: StationService, *, show: bool = True) -> QMainWindow:
        window = self.window_class(service)
        window.signed_out.connect(self._signed_out)  # type: ignore[attr-defined]
        window.setProperty("shell", self)  # the window keeps its shell alive
        self.window = window
        if show:
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
    from gui.errors import install_excepthook

    app = make_app()
    from gui.gc_guard import MainThreadCollector

    MainThreadCollector(app)  # collection on the GUI thread only (gui/gc_guard.py)
    install_excepthook()
    while True:
        opened = open_window(args)
        if isinstance(opened, int):
            return opened
        db, window = opened
        window.show()
        try:
            code = app.exec()
        finally:
            # Background ops still running (gui/ops.py: a write of the desk's writer, the
            # desk's lists, the audit check) finish before the database closes and Python
            # tears their relays down: a quit right after the start (packaging/smoke.py does
            # it) otherwise ended in "Signal source has been deleted" tracebacks. Their
            # results are queued to a loop that no longer runs, so nothing is shown.
            from gui.wizard.context import writer_pool

            for pool in (writer_pool(), QThreadPool.globalInstance()):
                pool.waitForDone(QUIT_WAIT_MS)
            # The window goes now, not at the interpreter's exit: its timers must not start
            # work on a closed station while a restore or the next sign-in runs its own loop.
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            db.close()
        from gui.restore_flow import finish_pending, take_pending

        plan = take_pending()  # Trạm → Khôi phục: swapped now that the station is closed
        if plan is None:
            return code
        finish_pending(plan)  # then the station opens again, at the sign-in screen


def open_window(args: argparse.Namespace) -> tuple[StationDB, QMainWindow] | int:
    """All of the start before the event loop: the station open (or set up), someone signed in,
    the session's language chosen, the main window built; or the exit code if it stops there.

    A station that cannot be opened says why and offers what can mend it: the passphrase again
    (a typing mistake), the recovery sheet's key (its key store lost, the database intact), or
    a restore from a backup (the database itself damaged or lost)."""
    from db import access
    from gui.first_run import run_first_run
    from gui.passphrase import passphrase_dialog

    data_dir = access.data_dir_of(args)
    while True:
        try:
            if not getattr(args, "demo", False) and not access.station_exists(data_dir):
                made = run_first_run(data_dir)
                if made is None:
                    return 0
                db, service = made
                return db, Shell(db, _main_window()).open(service, show=False)
            return _signed_in(args, access.open_from_args(args, passphrase_dialog))
        except StationError as exc:
            if getattr(args, "demo", False):
                QMessageBox.critical(None, _("Enrollment Station"), _describe(exc))
                return 2
            mended = _mend(exc, data_dir)
            if mended is None:
                return 2
            if isinstance(mended, str):  # AGAIN: the passphrase once more
                continue
            try:
                return _signed_in(args, mended)
            except StationError as again:
                QMessageBox.critical(None, _("Enrollment Station"), _describe(again))
                return 2


def _main_window() -> Callable[[StationService], QMainWindow]:
    from gui.main_window import MainWindow

    return MainWindow


def _describe(exc: BaseException) -> str:
    from gui.errors import describe

    return describe(exc)


def _signed_in(args: argparse.Namespace, db: StationDB) -> tuple[StationDB, QMainWindow] | int:
    """The opened station's language, first administrator if none, sign-in, main window."""
    from db import access
    from gui.first_run import ask_first_admin
    from gui.signin import sign_in

    start_language(args, db)
    if not access.has_administrator(db) and ask_first_admin(db) is None:
        db.close()
        return 0
    service = sign_in(db, db.info().name)
    if service is None:
        db.close()
        return 0
    return db, Shell(db, _main_window()).open(service, show=False)


#: What the start-up error offers (:func:`offer_restore`'s answers).
AGAIN, SHEET, RESTORE = "again", "sheet", "restore"


def _mend(exc: StationError, data_dir: Path) -> StationDB | str | None:
    """Ask what to do about a station that did not open; the station mended and open, "again"
    to retry, or None to stop."""
    from gui import restore_flow

    while True:
        choice = offer_restore(exc)
        if choice is None:
            return None
        if choice == AGAIN:
            return AGAIN
        done = (restore_flow.recover_key_here(None, data_dir) if choice == SHEET
                else restore_flow.restore_here(None, data_dir))  # fmt: skip
        if done is not None:
            return done  # else the chooser was cancelled: back to the question


def offer_restore(exc: StationError) -> str | None:
    """The station cannot be opened: say why, and offer what fits: the passphrase again for a
    wrong one, the recovery sheet for a lost key, a backup for a damaged or lost database.
    The answer: :data:`AGAIN`, :data:`SHEET`, :data:`RESTORE`, or None (close)."""
    from db.errors import KeyMissing, NotAStationDatabase, PassphraseRequired, WrongKey

    box = QMessageBox(QMessageBox.Icon.Critical, _("Enrollment Station"), _describe(exc),
                      QMessageBox.StandardButton.NoButton)  # fmt: skip
    role = QMessageBox.ButtonRole
    answers: dict[object, str] = {}
    default = None
    if isinstance(exc, WrongKey | PassphraseRequired):
        default = box.addButton(_("Try again"), role.AcceptRole)
        answers[default] = AGAIN
    if isinstance(exc, KeyMissing | WrongKey | PassphraseRequired):
        answers[box.addButton(_("Use the recovery sheet…"), role.ActionRole)] = SHEET
    if isinstance(exc, KeyMissing | NotAStationDatabase):
        answers[box.addButton(_("Restore from a backup…"), role.ActionRole)] = RESTORE
    close = box.addButton(_("Close"), role.RejectRole)
    box.setDefaultButton(default or close)
    box.exec()
    return answers.get(box.clickedButton())
