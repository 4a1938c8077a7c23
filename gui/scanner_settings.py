"""The station's fingerprint settings, for a supervisor or an administrator: which scanner,
the scanner tool's image folder, rolled prints, attempts per finger, the quality threshold.

"Test the scanner" opens the chosen scanner off the UI thread (an SBI search tries a hundred
ports) and says what answered, so the setting is checked before the first person sits down.
Each change is saved through the service (``change_setting``: the role is checked and the
change audited there).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.service import StationService
from gui.errors import describe, show_error
from gui.file_dialogs import choose_folder
from gui.ops import run_op
from resources.i18n import N_, _

SCANNERS = {
    "auto": N_("Automatic: an SBI scanner, else the image folder"),
    "sbi": N_("MOSIP SBI scanner (device service on this computer)"),
    "folder": N_("The scanner tool's image folder"),
    "simulator": N_("Simulated scanner (synthetic prints, for training)"),
}


class ScannerSettingsDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scannerSettings")
        self.setWindowTitle(_("Fingerprint scanner"))
        self.service = service
        now = service.settings()
        self.kind = QComboBox()
        self.kind.setObjectName("scannerKind")
        for code, text in SCANNERS.items():
            self.kind.addItem(_(text), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(now.fingerprint_scanner)))
        self.folder = QLineEdit(now.fingerprint_folder)
        self.folder.setObjectName("scannerFolder")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.rolled = QCheckBox(_("Also take the ten rolled prints"))
        self.rolled.setObjectName("scannerRolled")
        self.rolled.setChecked(now.fingerprint_rolled == "yes")
        self.attempts = QSpinBox()
        self.attempts.setObjectName("scannerAttempts")
        self.attempts.setRange(1, 10)
        self.attempts.setValue(now.fingerprint_attempts)
        self.threshold = QSpinBox()
        self.threshold.setObjectName("scannerThreshold")
        self.threshold.setRange(0, 100)
        self.threshold.setValue(now.fingerprint_threshold)
        form = QFormLayout()
        form.addRow(_("Scanner"), self.kind)
        form.addRow(_("Image folder"), folder_row)
        form.addRow("", self.rolled)
        form.addRow(_("Attempts per finger"), self.attempts)
        form.addRow(_("Lowest score accepted (0–100)"), self.threshold)
        hint = QLabel(_("MOSIP accepts 40 for slaps and thumbs, with 3 attempts per finger."))
        hint.setWordWrap(True)
        self.outcome = QLabel()
        self.outcome.setObjectName("scannerTestResult")
        self.outcome.setWordWrap(True)
        self.test_button = QPushButton(_("Test the scanner"))
        self.test_button.setObjectName("testScanner")
        self.test_button.clicked.connect(self.test)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.test_button)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

    def chosen(self) -> dict[str, object]:
        return {
            "fingerprint_scanner": str(self.kind.currentData()),
            "fingerprint_folder": self.folder.text().strip(),
            "fingerprint_rolled": "yes" if self.rolled.isChecked() else "no",
            "fingerprint_attempts": self.attempts.value(),
            "fingerprint_threshold": self.threshold.value(),
        }

    def _browse(self) -> None:
        folder = choose_folder(self, _("The folder where the scanner saves its images"),
                               self.folder.text())  # fmt: skip
        if folder:
            self.folder.setText(folder)

    def test(self) -> None:
        """Open the chosen scanner in the background and say what answered."""
        from capture.fingerprint.backends import scanner_factory

        chosen = self.chosen()
        make = scanner_factory(str(chosen["fingerprint_scanner"]),
                               str(chosen["fingerprint_folder"]), demo_delay=0.0)  # fmt: skip

        def op() -> str:
            scanner = make()
            try:
                info = scanner.open()
            finally:
                scanner.close()
            name = " ".join(x for x in (info.model, info.serial) if x) or info.backend
            return name + (" · " + _("takes slaps") if info.offers_slaps else "")

        self.test_button.setEnabled(False)
        self.outcome.setText(_("Looking for the fingerprint scanner…"))
        run_op(self, op, self._tested, self._not_found)

    def _tested(self, name: str) -> None:
        self.test_button.setEnabled(True)
        self.outcome.setText(_("Scanner found: {name}").format(name=name))

    def _not_found(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.outcome.setText(describe(exc))

    def save(self) -> None:
        now = self.service.settings()
        try:
            for name, value in self.chosen().items():
                if getattr(now, name) != value:
                    self.service.change_setting(name, value)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
