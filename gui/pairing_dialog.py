"""Trạm → Ghép trạm (đồng bộ)…: this station's identity for the other station, and trusting
the other station's identity after comparing its fingerprint (issue 12: pairing, once per
laptop; an administrator's).

The fingerprint is shown large, in groups of four digits, with a QR of it, so two people at two
screens (or one reading aloud on the phone) can compare it. Trusting another station is a
deliberate act: its fingerprint is shown first and "Hủy" is the default, so Enter pairs with
nobody. Every action goes through the service (role checked, audited there).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import STATION_KINDS, label
from db.service import StationService
from gui.errors import show_error
from gui.file_dialogs import open_file_name, save_file_name
from resources.i18n import _
from resources.private_files import write_private

FILTER = "JSON (*.json)"


def fingerprint_label(text: str) -> QLabel:
    big = QLabel(text)
    big.setObjectName("fingerprint")
    big.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    big.setStyleSheet("font-size: 20pt; font-weight: bold; font-family: monospace; "
                      "color: #0b3d91; padding: 4px;")  # fmt: skip
    return big


def qr_label(text: str, size: int = 150) -> QLabel:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    picture = QLabel()
    picture.setObjectName("fingerprintQr")
    pix = QPixmap()
    pix.loadFromData(buffer.getvalue(), "PNG")
    picture.setPixmap(pix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    return picture


class ConfirmPairing(QDialog):
    """The other station and its fingerprint; pairing only on a deliberate click."""

    def __init__(self, name: str, kind: str, commune: str, code: str, fingerprint: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("confirmPairing")
        self.setWindowTitle(_("Pair with this station?"))
        who = QLabel(_("{name} ({kind}, commune {commune}, slip series {code})").format(
            name=name, kind=label(STATION_KINDS, kind), commune=commune, code=code))  # fmt: skip
        who.setWordWrap(True)
        ask = QLabel(_("Compare this fingerprint with the one the other station shows for "
                       "itself. Pair only if every digit is the same."))  # fmt: skip
        ask.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.pair_button = buttons.addButton(_("Same fingerprint: pair"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.pair_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(fingerprint_label(fingerprint), 1)
        row.addWidget(qr_label(fingerprint))
        layout = QVBoxLayout(self)
        for w in (who, ask):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(buttons)


def confirm(name: str, kind: str, commune: str, code: str, fingerprint: str,
            parent: QWidget | None = None) -> bool:  # fmt: skip
    """Whether the administrator confirmed (tests patch this)."""
    return ConfirmPairing(name, kind, commune, code, fingerprint, parent).exec() == (
        QDialog.DialogCode.Accepted)


class PairingDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pairing")
        self.setWindowTitle(_("Pair stations (field sync)"))
        self.service = service
        me = service.own_identity()
        intro = QLabel(_("{name} ({kind}). Its fingerprint, for the other station to compare:")
                       .format(name=me.name, kind=label(STATION_KINDS, me.kind)))  # fmt: skip
        intro.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(fingerprint_label(me.fingerprint), 1)
        row.addWidget(qr_label(me.fingerprint))
        self.export_button = QPushButton(_("Save this station's identity file…"))
        self.export_button.setObjectName("exportIdentity")
        self.export_button.clicked.connect(self.export_identity)
        self.pair_button = QPushButton(_("Pair with a station from its identity file…"))
        self.pair_button.setObjectName("pairFromFile")
        self.pair_button.clicked.connect(self.pair_from_file)
        self.list = QListWidget()
        self.list.setObjectName("pairedList")
        self.unpair_button = QPushButton(_("Unpair the chosen station"))
        self.unpair_button.setObjectName("unpair")
        self.unpair_button.clicked.connect(self.unpair_selected)
        self.status = QLabel()
        self.status.setObjectName("pairingStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        for w in (self.export_button, self.pair_button, QLabel(_("Paired stations")),
                  self.list, self.unpair_button, self.status, close):  # fmt: skip
            layout.addWidget(w)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for p in self.service.paired_stations():
            state = _("paired") if p.active else _("unpaired")
            item = QListWidgetItem(f"{p.name} ({label(STATION_KINDS, p.kind)}) · {state}\n"
                                   f"   {p.fingerprint}")  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, p.station_id if p.active else None)
            self.list.addItem(item)
        if not self.list.count():
            self.list.addItem(_("No station is paired yet."))

    def export_identity(self) -> None:
        path = save_file_name(self, _("Save this station's identity file"),
                              "dinh-danh-tram.json", FILTER)  # fmt: skip
        if not path:
            return
        try:
            write_private(Path(path), self.service.identity_file())
        except Exception as exc:
            show_error(self, exc)
            return
        self.status.setText(_("Saved to {path}: take it to the other station.").format(path=path))

    def pair_from_file(self) -> None:
        path = open_file_name(self, _("The other station's identity file"), FILTER)
        if not path:
            return
        try:
            data = Path(path).read_bytes()
            other = self.service.preview_identity(data)
            if not confirm(other.name, other.kind, other.commune, other.slip_code,
                           other.fingerprint, self):  # fmt: skip
                self.status.setText(_("Not paired."))
                return
            paired = self.service.pair_station(data)
        except Exception as exc:
            show_error(self, exc)
            return
        self.status.setText(_("Paired with {name}.").format(name=paired.name))
        self.refresh()

    def unpair_selected(self) -> None:
        item = self.list.currentItem()
        station_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not station_id:
            return
        answer = QMessageBox.question(
            self, _("Unpair"), _("Unpair this station? Its bundles will be refused from now on."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            gone = self.service.unpair_station(str(station_id))
        except Exception as exc:
            show_error(self, exc)
            return
        self.status.setText(_("{name} is no longer paired: its bundles are refused from now on.")
                            .format(name=gone.name))  # fmt: skip
        self.refresh()
