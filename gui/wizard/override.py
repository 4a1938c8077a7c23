"""The override of a portrait check that cannot be met: a reason, a note, supervisor approval.

The reasons the desk offers map onto the enrollment service's reason codes; "other" needs a
note, which the supervisor reads in the day review.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from capture.report import QualityReport
from resources.i18n import N_, _, language

#: (what the officer picks, the service's reason code, a note prefix when the code is "other")
REASONS: tuple[tuple[str, str, str], ...] = (
    ("bedridden", "bedridden", ""),
    ("disability", "cannot_sit", ""),
    ("injury", "injury", ""),
    ("head_covering", "head_covering", ""),
    ("other", "other", ""),
)
LABELS = {
    "bedridden": N_("Bedridden: cannot sit up"),
    "disability": N_("Disability: cannot hold the pose"),
    "injury": N_("Injury (face, neck)"),
    "head_covering": N_("Religious or ethnic head covering"),
    "other": N_("Other (write why)"),
}


def service_reason(choice: str, note: str) -> tuple[str, str | None]:
    """The enrollment service's (reason, note) for the officer's choice."""
    for key, code, prefix in REASONS:
        if key == choice:
            note = note.strip()
            if prefix:
                note = _(prefix) + (": " + note if note else "")
            return code, note or None
    raise ValueError(choice)


class OverrideDialog(QDialog):
    """Shows what failed and asks why it cannot be met. Modal; tests patch :func:`ask`."""

    def __init__(self, report: QualityReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keep the portrait with an exception"))
        self.setMinimumWidth(560)
        failing = [c.instruction.text(language()) for c in report.failures]
        intro = QLabel(
            _("These checks are not met:")
            + "\n"
            + "\n".join("• " + line for line in failing)
            + "\n\n"
            + _("If they cannot be met, say why. A supervisor will have to approve it.")
        )
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for i, (key, _code, _prefix) in enumerate(REASONS):
            button = QRadioButton(_(LABELS[key]))
            button.setObjectName(f"reason_{key}")
            self.group.addButton(button, i)
            layout.addWidget(button)
        self.group.button(0).setChecked(True)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(_("Note (needed for 'Other')"))
        layout.addWidget(self.note)
        self.error = QLabel()
        self.error.setObjectName("fieldNote")
        self.error.setProperty("kind", "error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Keep with exception"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Retake"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> str:
        return REASONS[self.group.checkedId()][0]

    def _accept(self) -> None:
        if self.choice() == "other" and not self.note.text().strip():
            self.error.setText(_("Write why in the note."))
            return
        self.accept()


def ask(report: QualityReport, parent: QWidget | None) -> tuple[str, str | None] | None:
    """(reason code, note) for the service, or None to retake."""
    dialog = OverrideDialog(report, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return service_reason(dialog.choice(), dialog.note.text())
