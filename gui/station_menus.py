"""The Supervision menu (day review, daily tally, audit trail, officer accounts), the Account
menu (who is signed in, own password, lock the screen, sign out) and the start-up check of the
audit chain; built by the main window from its bound service.

Supervision shows only what the signed-in role may use, and an officer does not see the menu
at all; it is worked out again whenever the user changes at the lock screen
(:meth:`SupervisionMenu.refresh_roles`). Hiding is a courtesy only: the service refuses anyway
(db/service.py, db/permissions.py).

Signing out: the main window passes ``sign_out`` (back to the sign-in screen). Without one,
:func:`close_signed_out` records the sign-out and closes the window (the program ends; the next
start asks who signs in) — nothing typed is lost: drafts are saved as they are typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from db.labels import ROLES, label
from db.service import StationService
from db.types import VerifyResult
from gui.audit_words import broken_message
from gui.errors import show_error
from gui.ops import run_op
from resources.i18n import _

log = logging.getLogger(__name__)

ServiceOf = Callable[[], StationService]


def ask(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """A question with our own button texts (tests replace it: nothing may block)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)  # fmt: skip
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is ok


def close_signed_out(window: QMainWindow, service_of: ServiceOf) -> Callable[[], None]:
    """The sign-out used until the main window passes its own: record it, close the window."""

    def sign_out() -> None:
        try:
            service_of().sign_out()
        except Exception as exc:
            show_error(window, exc)
            return
        window.close()

    return sign_out


class _Menu:
    def __init__(self, menu: QMenu) -> None:
        self.menu = menu
        self.items: list[tuple[QAction, str | None]] = []

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


class AccountMenu(_Menu):
    """Who is signed in, their own password, the lock, signing out: everyone's."""

    def __init__(self, window: QMainWindow, service_of: ServiceOf, lock: Callable[[], None],
                 sign_out: Callable[[], None]) -> None:  # fmt: skip
        super().__init__(window.menuBar().addMenu(_("&Account")))
        self.service_of = service_of
        self.who = QAction("", self.menu)
        self.who.setEnabled(False)  # a heading, not a command
        self.menu.addAction(self.who)
        self.menu.addSeparator()
        self._add(_("&Change my password…"), self.change_password, None)
        self.lock_action = self._add(_("&Lock the screen"), lock, None, "Ctrl+L")
        self.menu.addSeparator()
        self._signed_out = sign_out
        self.sign_out_action = self._add(_("Sign &out"), self.sign_out, None)
        self.refresh()

    def sign_out(self) -> None:
        """Asked first: a stray click must not send the officer back to the sign-in screen."""
        if ask(self.window, _("Sign out"),
               _("Sign out {name}? Unfinished enrollments are kept and can be resumed.")
               .format(name=self.service_of().actor.full_name), _("Sign out")):  # fmt: skip
            self._signed_out()

    def refresh(self) -> None:
        actor = self.service_of().actor
        self.who.setText(_("Signed in: {name} ({role})").format(name=actor.full_name,
                                                                  role=label(ROLES, actor.role)))

    def change_password(self) -> None:
        from gui.signin import ChangePasswordDialog

        ChangePasswordDialog(self.service_of(), parent=self.window).exec()


class SupervisionMenu(_Menu):
    """The supervisor's and administrator's screens, each shown only to a role that may use
    it; builds the Account menu beside it (``account``)."""

    def __init__(self, window: QMainWindow, service_of: ServiceOf, lock: Callable[[], None],
                 sign_out: Callable[[], None] | None = None) -> None:  # fmt: skip
        super().__init__(window.menuBar().addMenu(_("S&upervision")))
        self.service_of = service_of
        self._add(_("&Day review…"), self.open_review, "enrollment.review")
        self._add(_("Daily &tally…"), self.open_tally, "tally.view")
        self._add(_("&Coverage…"), self.open_coverage, "tally.view")
        self._add(_("Card &renewals…"), self.open_renewals, "tally.view")
        self._add(_("Home &visit plan…"), self.open_visits, "visit.plan")
        self._add(_("Data &quality…"), self.open_quality, "register.clean")
        self._add(_("&Audit trail…"), self.open_audit, "audit.view")
        self.menu.addSeparator()
        self._add(_("&Officers…"), self.open_officers, "officer.list")
        self._add(_("&Fingerprint scanner…"), self.open_scanner, "settings.change")
        self.account = AccountMenu(window, service_of, lock,
                                   sign_out or close_signed_out(window, service_of))
        self.lock_action = self.account.lock_action
        self.refresh_roles()

    def refresh_roles(self) -> None:
        """Show what the signed-in role may use; hide the whole menu when that is nothing."""
        service = self.service_of()
        shown = False
        for action, needs in self.items:
            ok = needs is None or service.allowed(needs)
            action.setVisible(ok)
            action.setEnabled(ok)
            shown = shown or ok
        self.menu.menuAction().setVisible(shown)
        self.account.refresh()

    @property
    def visible(self) -> bool:
        return self.menu.menuAction().isVisible()

    def open_review(self) -> None:
        from gui.review import DayReviewDialog

        DayReviewDialog(self.service_of(), self.window).exec()

    def open_tally(self) -> None:
        from gui.tally_dialog import TallyDialog

        TallyDialog(self.service_of(), self.window).exec()

    def open_coverage(self) -> None:
        from gui.coverage_dialog import CoverageDialog

        CoverageDialog(self.service_of(), self.window).exec()

    def open_visits(self) -> None:
        from gui.visits_dialog import VisitsDialog

        VisitsDialog(self.service_of(), self.window).exec()

    def open_quality(self) -> None:
        from gui.quality_dialog import QualityDialog

        QualityDialog(self.service_of(), self.window).exec()

    def open_renewals(self) -> None:
        from gui.renewals_dialog import RenewalsDialog

        RenewalsDialog(self.service_of(), self.window).exec()

    def open_audit(self) -> None:
        from gui.audit_view import AuditDialog

        AuditDialog(self.service_of(), self.window).exec()

    def open_officers(self) -> None:
        from gui.officers_dialog import OfficersDialog

        OfficersDialog(self.service_of(), self.window).exec()

    def open_scanner(self) -> None:
        from gui.scanner_settings import ScannerSettingsDialog

        ScannerSettingsDialog(self.service_of(), self.window).exec()


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
