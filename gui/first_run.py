"""First run of a new station (flow 1): station details, the first administrator, the key
created and stored, then the recovery sheet printed for the supervisor's safe.

The same core steps as ``main.py init`` (db/station_setup.py). An older station that has no
administrator yet (created before accounts existed) gets only the administrator part.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from db import access
from db.access import StationDB
from db.errors import StationError
from db.service import StationService
from gui.errors import describe
from resources.i18n import _

#: The first-run dialog's answer when the administrator chose to restore a backup instead.
RESTORE = 2


class FirstRunDialog(QDialog):
    """``station=False``: only the first administrator (an existing station without one)."""

    def __init__(self, station: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Set up the station"))
        self.setMinimumWidth(560)
        intro = QLabel(
            _("This computer has no station yet. Enter the station's details and the first "
              "administrator; the database key is created and a recovery sheet is printed for "
              "the safe. If the station was used on another computer, press “Restore from a "
              "backup…” instead.") if station
            else _("This station has no administrator yet. Create the first one.")
        )  # fmt: skip
        intro.setWordWrap(True)
        form = QFormLayout()
        self.name = QLineEdit()
        self.commune = QLineEdit()
        # The official lists (after the 2025 reform): the hub groups communes by their codes.
        self.province = QComboBox()
        self.province.setEditable(True)
        self.province.addItem("", None)
        for code, name in access.official_provinces():
            self.province.addItem(name, code)
        self.province.currentTextChanged.connect(self._province_changed)
        self.commune.textChanged.connect(self._commune_changed)
        self.place = QLabel()
        self.place.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItem(_("Headquarters"), "hq")
        self.kind.addItem(_("Mobile team"), "mobile")
        if station:
            self.name.setPlaceholderText(_("e.g. Công an xã Nà Hỳ"))
            form.addRow(_("Station name:"), self.name)
            form.addRow(_("Province:"), self.province)
            form.addRow(_("Commune:"), self.commune)
            form.addRow("", self.place)
            form.addRow(_("Kind:"), self.kind)
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("e.g. admin"))
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.again = QLineEdit()
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Administrator's user name:"), self.user)
        form.addRow(_("Administrator's full name:"), self.full_name)
        form.addRow(_("Password:"), self.password)
        form.addRow(_("Password again:"), self.again)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        if station:  # a new computer for a station that exists: its backup, not a new one
            restore = buttons.addButton(_("Restore from a backup…"),
                                        QDialogButtonBox.ButtonRole.ActionRole)  # fmt: skip
            restore.setObjectName("firstRunRestore")
            restore.setAutoDefault(False)
            restore.clicked.connect(lambda: self.done(RESTORE))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.station_fields = station

    def _province_changed(self, text: str) -> None:
        completer = QCompleter(access.official_communes(text), self.commune)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.commune.setCompleter(completer)
        self._commune_changed(self.commune.text())

    def _commune_changed(self, text: str) -> None:
        if not text.strip():
            self.place.setText("")
            return
        official = access.official_place(text, self.province.currentText() or None)
        self.place.setText(_("Official: {name}").format(name=official) if official else
                           _("Not in the official list of communes: it is kept as typed."))

    def check(self) -> None:
        if self.station_fields and not (self.name.text().strip() and self.commune.text().strip()):
            self.message.setText(_("The station name and the commune are needed."))
        elif not (self.user.text().strip() and self.full_name.text().strip()):
            self.message.setText(_("The administrator's user name and full name are needed."))
        elif self.password.text() != self.again.text():
            self.message.setText(_("The two passwords differ."))
        elif len(self.password.text()) < 8:
            self.message.setText(_("A password needs at least 8 characters."))
        else:
            self.accept()


def create_admin(db: StationDB, dialog: FirstRunDialog) -> StationService:
    return access.set_up(db, dialog.user.text(), dialog.full_name.text(), dialog.password.text())


def ask_first_admin(db: StationDB) -> StationService | None:
    """An existing station without an administrator: create one (None: cancelled)."""
    while True:
        dialog = FirstRunDialog(station=False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            return create_admin(db, dialog)
        except StationError as exc:
            QMessageBox.warning(None, _("Set up the station"), describe(exc))


def run_first_run(data_dir: Path) -> tuple[StationDB, StationService] | None:
    """Set up a station in ``data_dir``; offers to print the recovery sheet. None: cancelled."""
    from gui.passphrase import passphrase_dialog

    dialog = FirstRunDialog()
    while True:  # the station and its administrator are made together, or not at all
        answer = dialog.exec()
        if answer == RESTORE:
            restored = _restore(dialog, data_dir)
            if restored is not None or access.station_exists(data_dir):
                return restored  # None: restored, then the sign-in was cancelled
            continue
        if answer != QDialog.DialogCode.Accepted:
            return None
        try:
            db, admin, key = access.create_with_admin(
                data_dir, name=dialog.name.text(), commune=dialog.commune.text(),
                province=dialog.province.currentText() or None, kind=dialog.kind.currentData(),
                passphrase=passphrase_dialog, admin=dialog.user.text(),
                admin_name=dialog.full_name.text(), password=dialog.password.text(),
            )  # fmt: skip
            break
        except StationError as exc:
            QMessageBox.warning(None, _("Set up the station"), describe(exc))
    print_recovery_sheet(admin, access.recovery_sheet(db, key))
    return db, admin


def _restore(parent: QWidget, data_dir: Path) -> tuple[StationDB, StationService] | None:
    """The station from its backup (gui/restore_flow.py), then its own sign-in."""
    from gui.restore_flow import restore_here
    from gui.signin import sign_in

    db = restore_here(parent, data_dir)
    if db is None:
        return None
    service = sign_in(db, db.info().name)
    if service is None:
        db.close()
        return None
    return db, service


def print_recovery_sheet(admin: StationService, pdf: bytes) -> None:
    """Show the sheet to print (modal: setup waits until it is printed or closed)."""
    from gui.print_preview import PrintPreviewDialog

    QMessageBox.information(
        None, _("Recovery sheet"),
        _("Print the recovery sheet now and keep it in the safe: without it, a lost keyring "
          "means a lost database."),
    )  # fmt: skip
    preview = PrintPreviewDialog(pdf, _("Recovery sheet"), "recovery-sheet.pdf")
    preview.printed.connect(lambda _pages: admin.recovery_sheet_kept("print"))
    preview.saved.connect(lambda _path: admin.recovery_sheet_kept("save"))
    preview.exec()
