"""Errors shown as sentences an officer understands; the detail goes to the log only.

The sentence comes from the core (``resources.problems.describe``), the same one the command
line prints; this module only puts it in a dialog, on the GUI thread.
"""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from resources.i18n import _
from resources.problems import describe, log_unexpected

__all__ = ["describe", "install_excepthook", "show_error"]


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the officer what went wrong and what to do; log it (with the traceback if it was
    not expected)."""
    log_unexpected(exc, "shown to the user")
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
        if _hook is not None:
            _hook.raised.emit(exc)  # show_error logs it, traceback included
        else:
            log_unexpected(exc, "uncaught")

    sys.excepthook = excepthook
