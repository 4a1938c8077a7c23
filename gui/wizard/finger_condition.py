"""Why a finger (or a whole hand) cannot be printed: a condition and a note, chosen on purpose.

Built like the portrait override (issue 11): no condition is chosen in advance, "Record" stays
disabled until one is, and Cancel is the default, so Enter never records a condition by itself.
The fingers offered are the ones the officer is on (one finger, a slap, or a whole hand), each
ticked or not; "too faded" is offered only for fingers already tried. The enrollment then waits
for the supervisor, who reads the condition and the note in the review.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from capture.fingerprint.fingers import CONDITION_NAMES, FINGER_NAMES, Condition
from resources.i18n import _


class FingerConditionDialog(QDialog):
    def __init__(
        self, fingers: Sequence[int], *, ticked: Collection[int] = (), tried: Collection[int] = (),
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("fingerCondition")
        self.setWindowTitle(_("Finger that cannot be taken"))
        self.tried = set(tried)
        intro = QLabel(_("Tick the fingers, choose why they cannot be printed and add a note. "
                         "The enrollment will wait for the supervisor's approval."))  # fmt: skip
        intro.setWordWrap(True)
        box = QGroupBox(_("Fingers"))
        grid = QGridLayout(box)
        self.finger_boxes: dict[int, QCheckBox] = {}
        for i, finger in enumerate(fingers):
            check = QCheckBox(_(FINGER_NAMES[finger]))
            check.setObjectName(f"finger{finger}")
            check.setChecked(finger in ticked)
            check.toggled.connect(self._update)
            self.finger_boxes[finger] = check
            grid.addWidget(check, i // 2, i % 2)
        why = QGroupBox(_("Condition"))
        column = QVBoxLayout(why)
        self.group = QButtonGroup(self)
        self.condition_buttons: dict[str, QRadioButton] = {}
        for condition in Condition:
            button = QRadioButton(_(CONDITION_NAMES[condition]))
            button.setObjectName(f"condition_{condition.value}")
            self.group.addButton(button)
            self.condition_buttons[condition.value] = button
            button.toggled.connect(self._update)
            column.addWidget(button)
        self.note = QLineEdit()
        self.note.setObjectName("conditionNote")
        self.note.setPlaceholderText(_("Note (e.g. lost in an accident, burn, bandage until…)"))
        self.problem = QLabel()
        self.problem.setObjectName("conditionProblem")
        self.buttons = QDialogButtonBox()
        self.record_button = self.buttons.addButton(_("Record the condition"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_("Cancel"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.record_button.setAutoDefault(False)
        self.record_button.setDefault(False)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, box, why, QLabel(_("Note")), self.note, self.problem, self.buttons):
            layout.addWidget(w)
        self._update()

    def fingers(self) -> list[int]:
        return [f for f, check in self.finger_boxes.items() if check.isChecked()]

    def condition(self) -> str | None:
        for code, button in self.condition_buttons.items():
            if button.isChecked():
                return code
        return None

    def note_text(self) -> str | None:
        return self.note.text().strip() or None

    def _update(self) -> None:
        condition, fingers = self.condition(), self.fingers()
        problem = ""
        if condition == Condition.FADED and any(f not in self.tried for f in fingers):
            problem = _("“Too faded” is recorded only for fingers already tried on the scanner.")
        self.problem.setText(problem)
        self.record_button.setEnabled(bool(fingers) and condition is not None and not problem)


def ask(fingers: Sequence[int], *, ticked: Collection[int] = (), tried: Collection[int] = (),
        parent: QWidget | None = None) -> tuple[list[int], str, str | None] | None:  # fmt: skip
    """The officer's (fingers, condition, note), or None when cancelled (tests patch this)."""
    dialog = FingerConditionDialog(fingers, ticked=ticked, tried=tried, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    condition = dialog.condition()
    if condition is None or not dialog.fingers():
        return None
    return dialog.fingers(), condition, dialog.note_text()
