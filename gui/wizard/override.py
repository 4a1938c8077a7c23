"""The override of a portrait check that cannot be met: a reason, a note, supervisor approval.

Why the dialog is built to say no (issue 11): one Enter used to record "bedridden" for any failed
photo. Now no reason is chosen in advance, Enter (the default button) is "Retake", the photo
being judged is shown beside each failed check in words, and "Bedridden" is offered only when
the person is photographed lying down or the register says they are bedridden. "Keep with
exception" stays disabled until a reason is chosen ("other" needs a note) and is never the
default, so only a deliberate click (or Tab then Space) keeps the photo.

The reasons the desk offers map onto the enrollment service's reason codes; the supervisor reads
the reason and note in the day review.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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
THUMB = (150, 200)


def service_reason(choice: str, note: str) -> tuple[str, str | None]:
    """The enrollment service's (reason, note) for the officer's choice."""
    for key, code, prefix in REASONS:
        if key == choice:
            note = note.strip()
            if prefix:
                note = _(prefix) + (": " + note if note else "")
            return code, note or None
    raise ValueError(choice)


def offered(bedridden: bool) -> list[str]:
    """The reasons that fit: "bedridden" only for a person photographed lying down or
    recorded as bedridden in the register."""
    return [key for key, _code, _prefix in REASONS if key != "bedridden" or bedridden]


@runtime_checkable
class OverrideSubject(Protocol):
    """What the portrait step tells the dialog about the photo it judges (the parent of
    :func:`ask` provides it, so ``ask`` keeps the two-argument form tests replace)."""

    def override_photo(self) -> bytes | None: ...

    def offers_bedridden(self) -> bool: ...


class OverrideDialog(QDialog):
    """Shows the photo and what failed, asks why it cannot be met. Modal; tests patch
    :func:`ask` or drive the dialog object."""

    def __init__(
        self,
        report: QualityReport,
        parent: QWidget | None = None,
        *,
        photo: bytes | None = None,
        offer_bedridden: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keep the portrait with an exception"))
        self.setMinimumWidth(600)
        self.thumb = QLabel(_("No photo"))
        self.thumb.setObjectName("overridePhoto")
        self.thumb.setFixedSize(*THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setStyleSheet("border: 1px solid #999; background: #f0f0f0;")
        if photo:
            pix = QPixmap()
            if pix.loadFromData(photo):
                keep, smooth = (Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation)  # fmt: skip
                self.thumb.setPixmap(pix.scaled(*THUMB, keep, smooth))
        lang = language()
        self.failed = [c.instruction.text(lang) for c in report.failures]
        checks = QLabel(
            "<b>" + _("These checks are not met:") + "</b><br>"
            + "<br>".join("✗ " + _escape(line) for line in self.failed)
        )  # fmt: skip
        checks.setObjectName("failedChecks")
        checks.setWordWrap(True)
        checks.setTextFormat(Qt.TextFormat.RichText)
        ask_why = QLabel(
            _("Retake the photo if you can (Enter). If a check cannot be met, choose why: a "
              "supervisor will have to approve it.")
        )  # fmt: skip
        ask_why.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.addWidget(checks)
        side.addWidget(ask_why)
        side.addStretch(1)
        top.addLayout(side, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        why = QLabel("<b>" + _("Why can it not be met?") + "</b>")
        why.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(why)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.keys = offered(offer_bedridden)
        for i, key in enumerate(self.keys):
            button = QRadioButton(_(LABELS[key]))
            button.setObjectName(f"reason_{key}")
            self.group.addButton(button, i)
            layout.addWidget(button)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(_("Note (needed for 'Other')"))
        layout.addWidget(self.note)
        self.error = QLabel()
        self.error.setObjectName("fieldNote")
        self.error.setProperty("kind", "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton(_("Keep with exception"))
        self.keep_button.setObjectName("keep")
        self.keep_button.setAutoDefault(False)  # Enter never keeps a failed photo
        self.retake_button = QPushButton(_("Retake"))
        self.retake_button.setObjectName("retake")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.retake_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.retake_button.setDefault(True)
        self.keep_button.clicked.connect(self._accept)
        self.retake_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.group.idToggled.connect(lambda _id, _on: self._update())
        self.note.textChanged.connect(lambda _text: self._update())
        self._update()
        self.retake_button.setFocus()

    def choice(self) -> str | None:
        """The reason chosen, or None (nothing is chosen until the officer does)."""
        i = self.group.checkedId()
        return self.keys[i] if 0 <= i < len(self.keys) else None

    def can_keep(self) -> bool:
        choice = self.choice()
        return choice is not None and (choice != "other" or bool(self.note.text().strip()))

    def _update(self) -> None:
        self.keep_button.setEnabled(self.can_keep())
        if self.choice() == "other" and not self.note.text().strip():
            self.error.setText(_("Write why in the note."))
        else:
            self.error.clear()

    def _accept(self) -> None:
        if not self.can_keep():
            return
        self.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ask(report: QualityReport, parent: QWidget | None) -> tuple[str, str | None] | None:
    """(reason code, note) for the service, or None to retake."""
    photo, bedridden = None, False
    if isinstance(parent, OverrideSubject):
        photo, bedridden = parent.override_photo(), parent.offers_bedridden()
    dialog = OverrideDialog(report, parent, photo=photo, offer_bedridden=bedridden)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    choice = dialog.choice()
    if choice is None:
        return None
    return service_reason(choice, dialog.note.text())
