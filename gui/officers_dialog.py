"""Officer accounts in the app (Supervision → Officers…): the list, and for the administrator
add and disable / enable; reset a password and lift a lockout (an administrator for anyone, a
supervisor for officers) — what ``main.py officers`` does, through the same service methods.

A temporary password is typed twice, or generated here and shown once, in this dialog only:
it is never stored or logged, and the officer must change it at the first sign-in. The core
checks every rule again (who may do what, the last administrator, one's own account); the
buttons only spare the supervisor a refusal.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.labels import ROLES, label
from db.service import StationService
from db.types import OfficerInfo
from db.vntime import now_utc, to_local
from gui.errors import show_error
from resources.i18n import N_, _

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read out over the counter


def generated_password(length: int = 12) -> str:
    """A random temporary password in groups of four ("k7mp-2xaq-9tfe")."""
    chars = "".join(secrets.choice(ALPHABET) for _i in range(max(8, length)))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def role_text(code: str) -> str:
    text = label(ROLES, code)
    return text[:1].upper() + text[1:]


def is_locked(o: OfficerInfo) -> bool:
    return o.locked_until is not None and o.locked_until > now_utc()


# --- modal steps, one function each (tests replace them: nothing may block) ---------------


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """A question with our own button texts (Qt's Yes/No would read in English)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)  # fmt: skip
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


# --- a temporary password ------------------------------------------------------------------


class TemporaryPassword:
    """Typed twice, or generated and shown (once: it is not kept anywhere); its rows go in the
    form of the dialog that asks for it (:meth:`add_to`)."""

    def __init__(self, min_length: int) -> None:
        self.min_length = min_length
        self.first = QLineEdit()
        self.first.setObjectName("tempPassword")
        self.again = QLineEdit()
        self.again.setObjectName("tempPasswordAgain")
        for edit in (self.first, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textEdited.connect(self._typed)
        self.generate_button = QPushButton(_("Make one up for me"))
        self.generate_button.setObjectName("tempGenerate")
        self.generate_button.clicked.connect(self.generate)
        self.shown = QLabel()
        self.shown.setObjectName("tempShown")
        self.shown.setWordWrap(True)
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def add_to(self, form: QFormLayout) -> None:
        row = QHBoxLayout()
        row.addWidget(self.first, 1)
        row.addWidget(self.generate_button)
        form.addRow(_("Temporary password:"), row)
        form.addRow(_("Type it again:"), self.again)
        form.addRow(self.shown)

    def generate(self) -> None:
        password = generated_password(max(12, self.min_length))
        for edit in (self.first, self.again):
            edit.setText(password)
            edit.setEchoMode(QLineEdit.EchoMode.Normal)
        self.shown.setText(
            _("Temporary password: <b>{password}</b> — write it down for the officer now: it "
              "is shown only here, and must be changed at the first sign-in.").format(
                password=password)
        )  # fmt: skip

    def _typed(self, _text: str) -> None:
        """Typing again hides what was generated: a typed password is never shown."""
        if self.shown.text():
            self.shown.clear()
            for edit in (self.first, self.again):
                edit.setEchoMode(QLineEdit.EchoMode.Password)

    def problem(self) -> str | None:
        if not self.first.text():
            return _("Type a temporary password, or let the program make one up.")
        if self.first.text() != self.again.text():
            return _("The two passwords differ.")
        return None

    def password(self) -> str:
        return self.first.text()


class _Form(QDialog):
    """A small form with a message line, our own buttons and a ``submit`` that may refuse."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.ok_button = QPushButton(ok_text)
        self.ok_button.setObjectName("formOk")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        self.body = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def password_ready(self, temporary: TemporaryPassword) -> bool:
        """The temporary password is usable, or the message line says why not."""
        problem = temporary.problem()
        if problem:
            self.message.setText(problem)
            return False
        self.message.clear()
        return True

    def attempt(self, act: Callable[[], object]) -> bool:
        """Run the service call; a refusal is told in words and the form stays open."""
        try:
            act()
        except Exception as exc:
            show_error(self, exc)
            return False
        self.accept()
        return True


class AddOfficerDialog(_Form):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(_("Add an officer"), _("Create the account"), parent)
        self.service = service
        self.created: OfficerInfo | None = None
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.username.setPlaceholderText(_("e.g. lo.van.duc"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("newFullName")
        self.role = QComboBox()
        self.role.setObjectName("newRole")
        for code in ("officer", "supervisor", "admin"):
            self.role.addItem(role_text(code), code)
        self.temporary = TemporaryPassword(service.settings().min_password_length)
        hint = QLabel(_("Lower-case letters a–z without marks, digits and dots."))
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form = QFormLayout()
        form.addRow(_("Full name:"), self.full_name)
        form.addRow(_("User name:"), self.username)
        form.addRow("", hint)
        form.addRow(_("Role:"), self.role)
        self.temporary.add_to(form)
        self.body.addLayout(form)

    def submit(self) -> None:
        if not self.password_ready(self.temporary):
            return

        def create() -> None:
            self.created = self.service.create_officer(
                self.username.text(), self.full_name.text(), str(self.role.currentData()),
                self.temporary.password(), temporary=True)  # fmt: skip

        self.attempt(create)


class ResetPasswordDialog(_Form):
    def __init__(self, service: StationService, officer: OfficerInfo,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(_("Reset a password"), _("Reset the password"), parent)
        self.service = service
        self.officer = officer
        intro = QLabel(_("A new temporary password for {name} ({user}). Their old password "
                         "stops working, and a lockout is lifted.").format(
            name=officer.full_name, user=officer.username))  # fmt: skip
        intro.setWordWrap(True)
        self.temporary = TemporaryPassword(service.settings().min_password_length)
        form = QFormLayout()
        self.temporary.add_to(form)
        self.body.addWidget(intro)
        self.body.addLayout(form)

    def submit(self) -> None:
        if not self.password_ready(self.temporary):
            return
        user, password = self.officer.username, self.temporary.password()
        self.attempt(lambda: self.service.reset_password(user, password))


# --- the list ------------------------------------------------------------------------------


class OfficersDialog(QDialog):
    HEADERS = (N_("Full name"), N_("User name"), N_("Role"), N_("Account"), N_("Signing in"))

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.officers: list[OfficerInfo] = []
        self.setWindowTitle(_("Officer accounts"))
        self.resize(1060, 540)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("officersTable")
        self.table.setHorizontalHeaderLabels([_(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(len(self.HEADERS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._enable)
        self.add_button = QPushButton(_("Add an officer…"))
        self.add_button.setObjectName("officerAdd")
        self.toggle_button = QPushButton(_("Disable the account"))
        self.toggle_button.setObjectName("officerToggle")
        self.reset_button = QPushButton(_("Reset the password…"))
        self.reset_button.setObjectName("officerReset")
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setObjectName("officerUnlock")
        close = QPushButton(_("Close"))
        close.setObjectName("officersClose")
        self.add_button.clicked.connect(self.add)
        self.toggle_button.clicked.connect(self.toggle)
        self.reset_button.clicked.connect(self.reset)
        self.unlock_button.clicked.connect(self.unlock)
        close.clicked.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("officersStatus")
        self.status.setWordWrap(True)
        manage = service.allowed("officer.manage")
        self.add_button.setVisible(manage)
        self.toggle_button.setVisible(manage)
        self.note = QLabel("" if manage else _(
            "An administrator adds and disables accounts; a supervisor can reset officers' "
            "passwords and unlock them."))  # fmt: skip
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.setVisible(not manage)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.toggle_button, self.reset_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        try:
            self.officers = self.service.officers()
        except Exception as exc:
            show_error(self, exc)
            self.officers = []
        self.table.setRowCount(len(self.officers))
        for i, o in enumerate(self.officers):
            cells = [o.full_name, o.username, role_text(o.role), account_text(o), signin_text(o)]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        names = [o.username for o in self.officers]
        self.table.selectRow(names.index(select) if select in names else 0)
        self._enable()

    def selected(self) -> OfficerInfo | None:
        row = self.table.currentRow()
        return self.officers[row] if 0 <= row < len(self.officers) else None

    def _enable(self) -> None:
        o = self.selected()
        mine = o is not None and o.id == self.service.actor.officer_id
        may = o is not None and (self.service.allowed("officer.manage") or o.role == "officer")
        self.toggle_button.setEnabled(o is not None and not (mine and o.active))
        self.toggle_button.setText(
            _("Enable the account") if o is not None and not o.active
            else _("Disable the account")
        )  # fmt: skip
        self.reset_button.setEnabled(may and self.service.allowed("officer.reset_password"))
        self.unlock_button.setEnabled(may and o is not None and is_locked(o))

    def _done(self, said: str, select: str) -> None:
        self.reload(select)
        self.status.setText(said)

    # --- actions ----------------------------------------------------------------------------

    def add(self) -> None:
        dialog = AddOfficerDialog(self.service, self)
        if exec_dialog(dialog) and dialog.created is not None:
            o = dialog.created
            self._done(_("Account {user} created for {name} ({role}); the password must be "
                         "changed at the first sign-in.").format(
                user=o.username, name=o.full_name, role=role_text(o.role)), o.username)  # fmt: skip

    def toggle(self) -> None:
        o = self.selected()
        if o is None:
            return
        if o.active and not confirm(
            self, _("Disable the account"),
            _("Disable the account of {name} ({user})? They can no longer sign in; their work "
              "and the audit trail stay. It can be enabled again.").format(
                name=o.full_name, user=o.username),
            _("Disable"),
        ):  # fmt: skip
            return
        try:
            self.service.set_officer_active(o.username, not o.active)
        except Exception as exc:
            show_error(self, exc)
            return
        said = _("The account of {name} is disabled.") if o.active else _(
            "The account of {name} can be used again.")  # fmt: skip
        self._done(said.format(name=o.full_name), o.username)

    def reset(self) -> None:
        o = self.selected()
        if o is None:
            return
        if exec_dialog(ResetPasswordDialog(self.service, o, self)):
            self._done(_("The password of {name} was reset; they must change it at the next "
                         "sign-in.").format(name=o.full_name), o.username)  # fmt: skip

    def unlock(self) -> None:
        o = self.selected()
        if o is None:
            return
        try:
            self.service.unlock_officer(o.username)
        except Exception as exc:
            show_error(self, exc)
            return
        self._done(_("{name} can sign in again.").format(name=o.full_name), o.username)


def account_text(o: OfficerInfo) -> str:
    if not o.active:
        return _("not in use (disabled)")
    return _("in use, temporary password") if o.must_change_password else _("in use")


def signin_text(o: OfficerInfo) -> str:
    if is_locked(o) and o.locked_until is not None:
        return _("locked until {time} (too many wrong passwords)").format(
            time=to_local(o.locked_until).strftime("%H:%M, %d/%m"))  # fmt: skip
    return _("can sign in") if o.active else "—"
