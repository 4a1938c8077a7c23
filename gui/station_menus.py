"""The Supervision menu (day review, audit trail, own password, lock) and the start-up check of
the audit chain; built by the main window from its bound service.

Menu items a role may not use are disabled — a courtesy only: the service refuses them anyway
(db/service.py, db/permissions.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from db.service import StationService
from db.types import VerifyResult
from gui.audit_words import broken_message
from gui.ops import run_op
from resources.i18n import _

log = logging.getLogger(__name__)

ServiceOf = Callable[[], StationService]


class SupervisionMenu:
    """The menu's actions, enabled by the current officer's role (refreshed on a switch)."""

    def __init__(self, window: QMainWindow, service_of: ServiceOf, lock: Callable[[], None]):
        self.service_of = service_of
        self.menu = window.menuBar().addMenu(_("S&upervision"))
        self.items: list[tuple[QAction, str | None]] = []
        self._add(_("&Day review…"), self.open_review, "enrollment.review")
        self._add(_("&Audit trail…"), self.open_audit, "audit.view")
        self.menu.addSeparator()
        self._add(_("&Change my password…"), self.change_password, None)
        self.lock_action = self._add(_("&Lock the screen"), lock, None, "Ctrl+L")
        self.refresh_roles()

    def _add(self, text: str, slot: Callable[[], object], needs: str | None,
             shortcut: str | None = None) -> QAction:  # fmt: skip
        action = QAction(text, self.menu)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        self.menu.addAction(action)
        self.items.append((action, needs))
        return action

    @property
    def window(self) -> QWidget:
        """The main window (found through the menu: no reference of our own to it)."""
        return self.menu.window()

    def refresh_roles(self) -> None:
        service = self.service_of()
        for action, needs in self.items:
            action.setEnabled(needs is None or service.allowed(needs))

    def open_review(self) -> None:
        from gui.review import DayReviewDialog

        DayReviewDialog(self.service_of(), self.window).exec()

    def open_audit(self) -> None:
        from gui.audit_view import AuditDialog

        AuditDialog(self.service_of(), self.window).exec()

    def change_password(self) -> None:
        from gui.signin import ChangePasswordDialog

        ChangePasswordDialog(self.service_of(), parent=self.window).exec()


def check_audit_on_start(
    window: QMainWindow, service_of: ServiceOf, done: Callable[[VerifyResult], None]
) -> None:
    """Run the cheap start-up check in the background; warn a supervisor if it fails."""

    def checked(result: VerifyResult) -> None:
        done(result)
        if result.ok:
            return
        log.error("audit trail broken at event %s (%s)", result.first_broken, result.reason)
        if service_of().allowed("audit.view"):
            QMessageBox.warning(window, _("Audit trail"), broken_message(result))
        else:
            window.statusBar().showMessage(_("The audit trail needs a supervisor's attention."))

    run_op(window, service_of().audit_health, checked)
