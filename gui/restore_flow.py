"""Restoring from a backup in the GUI: from Trạm → Khôi phục (the station open), from the first
run on a new computer, and from the start-up error when the station cannot be opened.

Every path shows what the backup holds — whose station, when, how many people and enrollments
— and asks once more, with Cancel as the default button, before anything is replaced
(db/restore.py proves the backup first). The key: the open station's own; on a new computer
the backup's key file and passphrase, or the key typed from the recovery sheet, then a new
passphrase when this computer has no keyring.

From the menu the swap happens after the main window has closed and the database is shut
(gui/app.py takes :func:`take_pending`): the program then starts again on the restored station,
at the sign-in screen.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db import access
from db.errors import KeyMissing, PassphraseRequired, StationError, WrongKey
from db.labels import backup_lines
from db.types import BackupInfo
from db.vntime import to_local
from gui.errors import describe
from gui.ops import run_op
from resources.i18n import N_, _

if TYPE_CHECKING:
    from db.access import RestorePlan, StationDB
    from db.service import StationService

FILTER = N_("Station backups (*.esbak)")
_pending: list[RestorePlan] = []


def when_text(info: BackupInfo) -> str:
    return to_local(info.created_at).strftime("%d/%m/%Y %H:%M")


def station_text(info: BackupInfo) -> str:
    """"Công an xã Nà Hỳ" (its commune only when the name does not say it already)."""
    if not info.commune or info.commune.casefold() in info.station_name.casefold():
        return info.station_name
    return f"{info.station_name} ({info.commune})"


def choose_backup(parent: QWidget | None) -> Path | None:
    """The backup file, the chooser opening on the first USB drive plugged in (where backups
    are kept), else in the documents folder."""
    from gui.file_dialogs import chosen, documents_dir, file_dialog
    from gui.removable import removable_drives

    drives = removable_drives()
    start = drives[0].path if drives else documents_dir()
    path = chosen(file_dialog(parent, _("Choose the backup to restore"), start, _(FILTER)))
    return Path(path) if path else None


class Busy(QDialog):
    """"Checking the backup…" while ``op`` runs on a pool thread; :meth:`run` gives its result
    or raises its exception (the window stays responsive, nothing can be clicked twice)."""

    def __init__(self, parent: QWidget | None, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Enrollment Station"))
        self.setModal(True)
        label = QLabel(text)
        label.setWordWrap(True)
        label.setMinimumWidth(380)
        QVBoxLayout(self).addWidget(label)
        self.result_value: Any = None
        self.error: BaseException | None = None

    def run(self, op: Callable[[], Any]) -> Any:
        def done(value: Any) -> None:
            self.result_value = value
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error = exc
            self.accept()

        run_op(self, op, done, failed)
        self.exec()
        self.deleteLater()
        if self.error is not None:
            raise self.error
        return self.result_value

    def reject(self) -> None:
        """Esc does not abandon the work under way."""


class RestoreDialog(QDialog):
    """What the backup holds, and the last question before the station's data is replaced."""

    def __init__(self, info: BackupInfo, replaces: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore from a backup"))
        self.setMinimumWidth(560)
        head = QLabel(_("Backup of {station}, made {when}.").format(
            station=station_text(info), when=when_text(info)))  # fmt: skip
        head.setObjectName("restoreHead")
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold; font-size: 13pt;")
        holds = QLabel(_("It holds:") + "\n" + "\n".join("  • " + x for x in
                                                           backup_lines(info.counts)))  # fmt: skip
        holds.setObjectName("restoreCounts")
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(holds)
        newer = access.newer_backups(info)
        if newer:
            late = QLabel(_("A newer backup of this station is in the same folder: {file} "
                            "({when}). Restore that one unless you mean this older one.")
                          .format(file=newer[0].path.name, when=when_text(newer[0])))  # fmt: skip
            late.setObjectName("restoreNewer")
            late.setWordWrap(True)
            late.setStyleSheet("color: #8a3b00; font-weight: bold;")
            layout.addWidget(late)
        if replaces:
            warn = QLabel((_("Restoring replaces the data on this computer with the backup: what "
                             "was recorded after {when} will no longer be here (what "
                             "headquarters received is kept there). The program then starts "
                             "again at the sign-in screen.") if info.kind == "mobile" else
                           _("Restoring replaces the data on this computer with the backup: "
                             "what was recorded after {when} will no longer be here. The "
                             "program then starts again at the sign-in screen."))
                          .format(when=when_text(info)))  # fmt: skip
            warn.setWordWrap(True)
            warn.setStyleSheet("color: #8a3b00;")
            layout.addWidget(warn)
        if info.kind == "mobile":
            note = QLabel(_("On a mobile laptop: import headquarters' latest work packet before "
                            "issuing slips; numbers and the trail then go on from what "
                            "headquarters holds."))  # fmt: skip
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.go = buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("restoreGo")
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.go.setAutoDefault(False)
        cancel.setDefault(True)  # one Enter must not replace a station's data
        cancel.setFocus()
        self.go.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)


def message_and_buttons(dialog: QDialog, check: Callable[[], None]
                        ) -> tuple[QLabel, QDialogButtonBox]:  # fmt: skip
    """A dialog's line for what is wrong (red), and OK (``check``) / Cancel."""
    message = QLabel()
    message.setWordWrap(True)
    message.setStyleSheet("color: #b00020")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
    buttons.accepted.connect(check)
    buttons.rejected.connect(dialog.reject)
    return message, buttons


class RecoveryKeyDialog(QDialog):
    """The key typed from the recovery sheet: 14 groups of 4 letters and digits, the last a
    check group, so a typing mistake is caught here and not as a failed restore."""

    def __init__(self, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Key from the recovery sheet"))
        self.setMinimumWidth(600)
        ask = _("Type the database key printed on the recovery sheet kept in the safe (14 "
                "groups of 4 characters; spaces and small letters do not matter).")
        text = QLabel((reason + "\n\n" if reason else "") + ask)
        text.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setObjectName("recoveryKey")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key.setFont(mono)
        self.key.setPlaceholderText("ABCD EFGH IJKL …")
        # all 14 groups in sight while typing them (70 characters with the spaces)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance("M" * 72) + 24)
        self.setMinimumWidth(max(600, self.key.minimumWidth() + 40))
        self.message, buttons = message_and_buttons(self, self.check)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 3)
        text.setMinimumHeight(text.fontMetrics().lineSpacing() * (5 if reason else 3))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.key)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def check(self) -> None:
        try:
            access.parse_recovery_key(self.key.text())
        except WrongKey as exc:
            self.message.setText(describe(exc))
            return
        self.accept()


def ask_recovery_key(parent: QWidget | None, reason: str = "") -> str | None:
    dialog = RecoveryKeyDialog(parent, reason)
    try:
        return dialog.key.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_passphrase(parent: QWidget | None, prompt: str, *, twice: bool = False,
                   title: str | None = None) -> str | None:  # fmt: skip
    """A passphrase from a dialog (the environment variable wins, for automation); ``twice``:
    a new one, typed twice, at least 8 characters."""
    value = os.environ.get(access.PASSPHRASE_ENV)
    if value:
        return value
    title = title or _("Restore from a backup")
    if twice:
        dialog = NewPassphraseDialog(parent, prompt, title)
        try:
            return dialog.first.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Password)
    return text if ok and text else None


class NewPassphraseDialog(QDialog):
    """A new station passphrase, twice; the rule said first, the failure said exactly."""

    def __init__(self, parent: QWidget | None, prompt: str, title: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title or _("Restore from a backup"))
        self.setMinimumWidth(520)
        rule = _("(at least 8 characters)")
        text = QLabel(f"{prompt[:-1]} {rule}:" if prompt.endswith(":") else f"{prompt} {rule}")
        text.setWordWrap(True)
        self.first, self.again = QLineEdit(), QLineEdit()
        for field in (self.first, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setObjectName("newPassphrase")
        self.message, buttons = message_and_buttons(self, self.check)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.first)
        layout.addWidget(QLabel(_("Again:")))
        layout.addWidget(self.again)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def check(self) -> None:
        if len(self.first.text()) < 8:
            self.message.setText(_("The passphrase must have at least {minimum} characters.")
                                 .format(minimum=8))  # fmt: skip
        elif self.first.text() != self.again.text():
            self.message.setText(_("The two passphrases differ: type both again."))
        else:
            self.accept()


def _given(value: str | None) -> Callable[[bool], str]:
    def provide(_confirm: bool) -> str:
        if not value:
            raise PassphraseRequired()
        return value

    return provide


def _plan(parent: QWidget | None, path: Path, data_dir: Path,
          info: BackupInfo) -> RestorePlan | None:  # fmt: skip
    """The plan for a station that is not open: its key from where it can be had, asking for
    the passphrase or the recovery sheet's key as needed (None: given up)."""
    phrase: str | None = None
    if info.key_store == "keyfile":
        phrase = ask_passphrase(parent, _("Station passphrase (leave empty to type the key from "
                                          "the recovery sheet instead):"))  # fmt: skip
    typed: str | None = None
    reason = ""
    if info.key_store == "keyfile" and not phrase:
        typed = ask_recovery_key(parent)
        if typed is None:
            return None
    while True:
        prove = functools.partial(access.plan_restore, path, data_dir, recovery_key=typed,
                                  passphrase=_given(phrase))  # fmt: skip
        try:
            plan: RestorePlan = Busy(parent, _("Checking the backup…")).run(prove)
            return plan
        except (KeyMissing, WrongKey, PassphraseRequired) as exc:
            reason = describe(exc)
        typed = ask_recovery_key(parent, reason)
        if typed is None:
            return None


def _finish(parent: QWidget | None, plan: RestorePlan) -> StationDB | None:
    phrase: str | None = None
    if plan.recovered and not access.keyring_usable():
        phrase = ask_passphrase(parent, _("This computer keeps the key in a file protected by "
                                          "a passphrase. Choose the station passphrase:"),
                                twice=True)  # fmt: skip
        if phrase is None:
            access.cancel_restore(plan)
            return None
    db: StationDB = Busy(parent, _("Restoring the station…")).run(
        lambda: access.finish_restore(plan, passphrase=_given(phrase)))
    return db


def restore_here(parent: QWidget | None, data_dir: Path) -> StationDB | None:
    """Restore into ``data_dir`` while no station is open there (first run, or a station that
    cannot be opened); the restored station, open, or None when given up."""
    path = choose_backup(parent)
    if path is None:
        return None
    try:
        info = access.backup_info(path)
        plan = _plan(parent, path, data_dir, info)
        if plan is None:
            return None
        dialog = RestoreDialog(plan.info, plan.replaces, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            access.cancel_restore(plan)
            return None
        db = _finish(parent, plan)
    except StationError as exc:
        QMessageBox.warning(parent, _("Restore from a backup"), describe(exc))
        return None
    if db is not None:
        QMessageBox.information(parent, _("Restore from a backup"),
                                _("The station was restored from the backup of {when}. Sign in "
                                  "again.").format(when=when_text(info)))  # fmt: skip
    return db


def recover_key_here(parent: QWidget | None, data_dir: Path) -> StationDB | None:
    """The station's key store is lost but its database is whole: the key typed from the
    recovery sheet opens it and is stored anew (no backup, nothing lost). None: given up."""
    reason = ""
    while True:
        typed = ask_recovery_key(parent, reason)
        if typed is None:
            return None
        phrase: str | None = None
        if not access.keyring_usable():
            phrase = ask_passphrase(parent, _("This computer keeps the key in a file protected "
                                              "by a passphrase. Choose the station passphrase:"),
                                    twice=True, title=_("Key from the recovery sheet"))  # fmt: skip
            if phrase is None:
                return None
        try:
            db: StationDB = Busy(parent, _("Opening the station with the key…")).run(
                functools.partial(access.recover_key, data_dir, typed, passphrase=_given(phrase)))
        except WrongKey as exc:
            reason = describe(exc)
            continue
        except StationError as exc:
            QMessageBox.warning(parent, _("Key from the recovery sheet"), describe(exc))
            return None
        QMessageBox.information(parent, _("Key from the recovery sheet"),
                                _("The station key is stored again on this computer. Sign in "
                                  "to go on."))  # fmt: skip
        return db


def restore_from_menu(window: QWidget, service: StationService) -> bool:
    """Trạm → Khôi phục: prove the backup with the open station's key, ask, then leave the
    swap to the restart (True: the window should close now)."""
    path = choose_backup(window)
    if path is None:
        return False
    try:
        plan = Busy(window, _("Checking the backup…")).run(lambda: service.prepare_restore(path))
    except StationError as exc:
        QMessageBox.warning(window, _("Restore from a backup"), describe(exc))
        return False
    dialog = RestoreDialog(plan.info, plan.replaces, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        access.cancel_restore(plan)
        return False
    _pending.append(plan)
    return True


def take_pending() -> RestorePlan | None:
    return _pending.pop() if _pending else None


def finish_pending(plan: RestorePlan) -> None:
    """After the main window has closed and the database is shut: swap the backup in and say
    how it went (the old data stays if it fails); the program then opens the station again."""
    try:
        db = Busy(None, _("Restoring the station…")).run(lambda: access.finish_restore(plan))
    except StationError as exc:
        why = _("The station was not restored: {reason}").format(reason=describe(exc))
        QMessageBox.warning(None, _("Restore from a backup"), why)
        return
    db.close()
    QMessageBox.information(None, _("Restore from a backup"),
                            _("The station was restored from the backup of {when}. Sign in "
                              "again.").format(when=when_text(plan.info)))  # fmt: skip

