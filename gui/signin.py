"""Sign-in and change-password dialogs (the core decides; these only ask and explain).

The messages never say whether a user name exists: a wrong name and a wrong password read the
same, and a locked account reads the same as a locked unknown name (db/accounts.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db import access
from db.access import SignedIn, StationDB
from db.errors import StationError
from db.service import StationService
from gui.errors import describe
from resources.i18n import _


def failure_text(exc: BaseException) -> str:
    """What the sign-in and lock screens say (gui/errors.py knows every sign-in failure)."""
    return describe(exc)


class SignInDialog(QDialog):
    """User name and password; on the demo station the demo officer is filled in."""

    def __init__(
        self, db: StationDB, station_name: str, demo: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.db = db
        self.result_signin: SignedIn | None = None
        self.setWindowTitle(_("Sign in — Enrollment Station"))
        self.setMinimumWidth(460)
        title = QLabel(station_name)
        title.setObjectName("panelTitle")
        title.setWordWrap(True)
        self.user = QLineEdit()
        self.user.setObjectName("signinUser")
        self.password = QLineEdit()
        self.password.setObjectName("signinPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("signinMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("User name:"), self.user)
        form.addRow(_("Password:"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        if demo if demo is not None else access.is_demo(db):
            demo_hint = access.demo_hint()
            self.user.setText(demo_hint.officer)
            hint = QLabel(
                _(
                    "Demo station: every demo account has the password {password}. "
                    "Officer {officer}, supervisor {supervisor}, administrator admin."
                ).format(password=demo_hint.password, officer=demo_hint.officer,
                         supervisor=demo_hint.supervisor)
            )
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if self.user.text() else self.user).setFocus()

    def try_sign_in(self) -> None:
        self.setCursor(Qt.CursorShape.WaitCursor)
        waiting = access.import_running(self.db)  # signing in writes: it waits for the import
        if waiting:
            self.message.setText(_(waiting))
            QApplication.processEvents()
        try:
            self.result_signin = access.sign_in(self.db, self.user.text(), self.password.text())
        except StationError as exc:
            self.message.setText(failure_text(exc))
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            self.unsetCursor()
        self.accept()


class ChangePasswordDialog(QDialog):
    """One's own new password; forced after a temporary one (``forced``: no Cancel)."""

    def __init__(
        self, service: StationService, forced: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(_("Change password"))
        self.setMinimumWidth(460)
        intro = QLabel(
            _("Your password is temporary. Choose your own before you start.")
            if forced
            else _("Choose a new password.")
        )
        intro.setWordWrap(True)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for field in (self.old, self.new, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("Current password:"), self.old)
        form.addRow(_("New password:"), self.new)
        form.addRow(_("New password again:"), self.again)
        flags = QDialogButtonBox.StandardButton.Ok
        if not forced:
            flags |= QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(flags)
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def change(self) -> None:
        if self.new.text() != self.again.text():
            self.message.setText(_("The two new passwords differ."))
            return
        try:
            self.service.change_password(self.old.text(), self.new.text())
        except StationError as exc:
            self.message.setText(failure_text(exc))
            return
        self.accept()


def sign_in_from_environment(db: StationDB) -> SignedIn | None:
    """Automation (kiosk scripts, benches): ENROLLMENT_STATION_USER and _PASSWORD, the same
    variables as the command line. The same checks, lockout and audit as the dialog; any
    failure falls back to the dialog."""
    try:
        result = access.sign_in_from_environment(db)
    except StationError:
        return None
    return None if result is None or result.must_change_password else result


def sign_in(db: StationDB, station_name: str, *, automatic: bool = True) -> StationService | None:
    """Ask until someone signs in (None: cancelled); a temporary password is changed first.
    After a sign-out ``automatic`` is off: the environment's account must not sign in again."""
    signed = sign_in_from_environment(db) if automatic else None
    if signed is not None:
        return signed.service
    dialog = SignInDialog(db, station_name)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_signin is None:
        return None
    result = dialog.result_signin
    if result.must_change_password:
        change = ChangePasswordDialog(result.service, forced=True)
        if change.exec() != QDialog.DialogCode.Accepted:
            return None
    return result.service
