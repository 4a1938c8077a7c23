"""Errors shown as sentences an officer understands; the detail goes to the log only."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.errors import (
    KeyMissing,
    NewerDatabase,
    NotAStationDatabase,
    PassphraseRequired,
    RegisterFileError,
    StationError,
    StationNotFound,
    WrongKey,
)
from resources.i18n import _

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """A sentence for the officer. Messages of the core carry no personal data."""
    if isinstance(exc, WrongKey):
        return _("The passphrase or key is not right for this station. Nothing was changed.")
    if isinstance(exc, KeyMissing):
        return _(
            "The station key is missing on this computer. Use the recovery sheet kept in the "
            "supervisor's safe."
        )
    if isinstance(exc, PassphraseRequired):
        return _("The station passphrase is needed to open the database.")
    if isinstance(exc, NotAStationDatabase):
        return _("This file is not a station database, or it is damaged. Nothing was changed.")
    if isinstance(exc, NewerDatabase):
        return _("This station was used by a newer version of the program. Please update it.")
    if isinstance(exc, StationNotFound):
        return _("No station has been set up on this computer yet.")
    if isinstance(exc, RegisterFileError):
        return _("The register file cannot be read: {reason}").format(reason=_(str(exc)))
    from db.accounts import AccountLocked, PasswordRejected, SignInFailed

    if isinstance(exc, AccountLocked):
        return _(
            "Too many wrong passwords. Signing in is locked for {minutes} minutes; a "
            "supervisor can reset the password."
        ).format(minutes=exc.minutes)
    if isinstance(exc, SignInFailed):
        return _("Wrong user name or password.")
    if isinstance(exc, PasswordRejected):
        return _("The new password is too short or the same as the old one.")
    if isinstance(exc, StationError):
        return _(str(exc))
    return _("Something went wrong. The details were written to the log file.")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if not isinstance(exc, StationError):
        log.error("unexpected error: %s", "".join(traceback.format_exception_only(exc)).strip())
    QMessageBox.warning(parent, _("Enrollment Station"), describe(exc))


class _Hook(QObject):
    """Shows one dialog on the GUI thread for an unexpected error, from any thread."""

    raised = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._show)
        self.showing = False

    def _show(self, exc: BaseException) -> None:
        if self.showing:
            return
        self.showing = True
        try:
            show_error(QApplication.activeWindow(), exc)
        finally:
            self.showing = False


_hook: _Hook | None = None


def install_excepthook() -> None:
    global _hook
    _hook = _Hook()

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught %s", kind.__name__, exc_info=(kind, exc, tb))
        if _hook is not None:
            _hook.raised.emit(exc)

    sys.excepthook = excepthook
