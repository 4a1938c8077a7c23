"""No silent duplicates at the desk: what to do when the person already has an open enrollment
("làm lại hồ sơ" needs a reason), and when a DC01 person looks like someone in the register.

Why "Hủy" (cancel) is the default and the Esc button everywhere: the officer who presses Enter
out of habit must never create a second enrollment or a second person; both need a deliberate
click on a button that says so (and a reason, or a tick, first). The rules themselves are the
core's (db/enrollment_state.py, db/sameperson.py): these dialogs only offer the ways out.

Tests never block on them: they patch the module-level :func:`ask`, :func:`ask_redo` and
:func:`ask_same_person`, or drive the dialog objects directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.errors import OpenEnrollmentExists
from db.labels import REDO_REASONS, STATUSES, label
from db.types import ResidentDetail
from resources.i18n import _, ngettext

RESUME, REDO = 10, 11  # OpenEnrollmentDialog's results besides Rejected (Hủy)
OPEN_PERSON, NEW_PERSON = 20, 21  # SamePersonDialog's


@dataclass(frozen=True, slots=True)
class Choice:
    """What the officer chose for an open enrollment: "resume" it, or "redo" with a reason."""

    action: str
    reason: str | None = None
    note: str | None = None


def _cancel_button(box: QDialogButtonBox) -> QPushButton:
    """Hủy: the default (Enter) and the Esc button, with the focus."""
    cancel = box.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancel")
    cancel.setDefault(True)
    cancel.setAutoDefault(True)
    return cancel


def _action_button(box: QDialogButtonBox, text: str, name: str) -> QPushButton:
    """A deliberate action: never the default, not even when it has the focus."""
    button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


class OpenEnrollmentDialog(QDialog):
    """The person already has an open enrollment: what it is (state, day, slip number, who),
    and the ways on: open it (the officer's own unfinished one), redo the application with a
    reason, or cancel (the default)."""

    def __init__(self, exc: OpenEnrollmentExists, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exc = exc
        self.redo: tuple[str, str | None] | None = None
        self.setWindowTitle(_("This person already has an open enrollment"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel(_("This person already has an open enrollment."))
        heading.setObjectName("dialogHeading")
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(heading)
        facts = QFormLayout()
        self.facts: dict[str, QLabel] = {}
        for key, title, text in (
            ("status", _("State"), label(STATUSES, exc.status)),
            ("day", _("Received") if exc.receipt_no else _("Started"), exc.day),
            ("slip", _("Slip number"), exc.receipt_no or "—"),
            ("officer", _("Officer"), exc.officer_name or "—"),
        ):
            value = QLabel(text)
            value.setObjectName(f"fact_{key}")
            self.facts[key] = value
            facts.addRow(title + ":", value)
        layout.addLayout(facts)
        if exc.own_draft:
            advice = _("It is your unfinished enrollment: open it and continue where you left "
                       "off.")
        else:
            advice = _("A second enrollment is made only to redo the application (a lost or "
                       "damaged card, a correction), with a reason the supervisor sees.")
        self.advice = QLabel(advice)
        self.advice.setWordWrap(True)
        layout.addWidget(self.advice)
        box = QDialogButtonBox()
        self.resume_button: QPushButton | None = None
        if exc.own_draft:
            self.resume_button = _action_button(box, _("Open the enrollment in progress"),
                                                "resume")  # fmt: skip
            self.resume_button.clicked.connect(lambda: self.done(RESUME))
        self.redo_button = _action_button(box, _("Redo the application…"), "redo")
        self.redo_button.clicked.connect(self._redo)
        self.cancel_button = _cancel_button(box)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.cancel_button.setFocus()

    def _redo(self) -> None:
        reason = ask_redo(self)
        if reason is not None:
            self.redo = reason
            self.done(REDO)


class RedoReasonDialog(QDialog):
    """Why the application is redone ("làm lại hồ sơ"): a reason from the list (none chosen
    beforehand), and a note ("other" needs one). Hủy stays the default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Redo the application"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Why is the application made again? The supervisor sees the reason "
                         "and the note beside the enrollment."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.codes = list(REDO_REASONS)
        for i, code in enumerate(self.codes):
            button = QRadioButton(label(REDO_REASONS, code))
            button.setObjectName(f"redo_{code}")
            self.group.addButton(button, i)
            layout.addWidget(button)
        self.note = QLineEdit()
        self.note.setObjectName("redoNote")
        self.note.setPlaceholderText(_("Note (needed for 'Other')"))
        layout.addWidget(self.note)
        self.error = QLabel()
        self.error.setObjectName("fieldNote")
        self.error.setStyleSheet("color: #b00020")
        layout.addWidget(self.error)
        box = QDialogButtonBox()
        self.ok_button = _action_button(box, _("Redo the application"), "confirmRedo")
        self.ok_button.setEnabled(False)
        self.ok_button.clicked.connect(self._accept)
        self.cancel_button = _cancel_button(box)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.group.idClicked.connect(lambda _id: self._chosen())
        self.note.textChanged.connect(lambda _t: self._chosen())
        self.cancel_button.setFocus()

    def reason(self) -> str | None:
        i = self.group.checkedId()
        return self.codes[i] if i >= 0 else None

    def _chosen(self) -> None:
        self.ok_button.setEnabled(self.reason() is not None)
        self.error.clear()

    def _accept(self) -> None:
        if self.reason() == "other" and not self.note.text().strip():
            self.error.setText(_("Write why in the note."))
            return
        self.accept()


def ask_redo(parent: QWidget | None) -> tuple[str, str | None] | None:
    """(reason code, note) for the service, or None (cancelled). Modal; tests patch it."""
    dialog = RedoReasonDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    reason = dialog.reason()
    assert reason is not None  # the button is enabled only once a reason is chosen
    return reason, dialog.note.text().strip() or None


def ask(exc: OpenEnrollmentExists, parent: QWidget | None) -> Choice | None:
    """What the officer does about the open enrollment, or None (cancelled). Modal."""
    dialog = OpenEnrollmentDialog(exc, parent)
    result = dialog.exec()
    if result == RESUME:
        return Choice("resume")
    if result == REDO and dialog.redo is not None:
        return Choice("redo", *dialog.redo)
    return None


def offer(
    parent: QWidget | None, exc: OpenEnrollmentExists, *, resume: Callable[[str], None],
    redo: Callable[[str, str | None], None],
) -> Choice | None:  # fmt: skip
    """Ask, then resume the open enrollment or start the redo; nothing on cancel (None)."""
    choice = ask(exc, parent)
    if choice is None:
        return None
    if choice.action == "resume":
        resume(exc.uuid)
    elif choice.reason is not None:
        redo(choice.reason, choice.note)
    return choice


# --- DC01: someone likely the same person is in the register ----------------------------------


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class SamePersonDialog(QDialog):
    """The register's people likely the same as the DC01 form (DESIGN §6): name, birth date,
    village, ID number and where their enrollment stands. Open one of them instead, or — after
    ticking that they were checked — confirm that this is someone else (audited)."""

    COLUMNS = ("Full name", "Date of birth", "Village", "ID number", "Enrollment")

    def __init__(self, candidates: Sequence[ResidentDetail], typed_id: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.candidates = list(candidates)
        typed = _digits(typed_id)
        self.same_id = bool(typed) and any(c.personal_id == typed for c in self.candidates)
        self.chosen: int | None = None
        self.setWindowTitle(_("This person may already be in the register"))
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        intro = QLabel(
            ngettext(
                "The register already has {count} person who may be this person (the same ID "
                "number, or the same name and birth date in the same village). Open the person "
                "from the register instead of adding them again.",
                "The register already has {count} people who may be this person (the same ID "
                "number, or the same name and birth date in the same village). Open the person "
                "from the register instead of adding them again.",
                len(candidates),
            ).format(count=len(candidates))
        )  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.candidates), len(self.COLUMNS))
        self.table.setObjectName("candidates")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for row, c in enumerate(self.candidates):
            state = c.enrollment_state.text() if c.enrollment_state else ""
            for col, text in enumerate((c.full_name, c.birth_display, c.village or "",
                                        c.personal_id or c.old_id or "", state)):  # fmt: skip
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.setMaximumHeight(60 + 30 * min(len(self.candidates), 8))
        self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table)
        self.checked = QCheckBox(_("I checked these people with the person in front of me: "
                                   "this is someone else."))  # fmt: skip
        self.checked.setObjectName("checkedDifferent")
        layout.addWidget(self.checked)
        self.same_id_note = QLabel(_("One of them has the same ID number: it cannot be someone "
                                     "else. Open that person, or correct the number."))  # fmt: skip
        self.same_id_note.setWordWrap(True)
        self.same_id_note.setStyleSheet("color: #b00020")
        self.same_id_note.setVisible(self.same_id)
        layout.addWidget(self.same_id_note)
        self.checked.setEnabled(not self.same_id)
        box = QDialogButtonBox()
        self.open_button = _action_button(box, _("Open the person from the register"),
                                          "openExisting")  # fmt: skip
        self.open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        self.new_button = _action_button(box, _("Add as a different person"), "addDifferent")
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(lambda: self.done(NEW_PERSON))
        self.checked.toggled.connect(lambda on: self.new_button.setEnabled(on and not self.same_id))
        self.cancel_button = _cancel_button(box)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.cancel_button.setFocus()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.candidates):
            self.chosen = self.candidates[row].id
            self.done(OPEN_PERSON)


def ask_same_person(candidates: Sequence[ResidentDetail], typed_id: str,
                    parent: QWidget | None) -> int | str | None:  # fmt: skip
    """The resident id to open instead, "new" (confirmed someone else), or None. Modal."""
    dialog = SamePersonDialog(candidates, typed_id, parent)
    result = dialog.exec()
    if result == OPEN_PERSON and dialog.chosen is not None:
        return dialog.chosen
    if result == NEW_PERSON:
        return "new"
    return None


__all__ = ["Choice", "OpenEnrollmentDialog", "RedoReasonDialog", "SamePersonDialog", "ask",
           "ask_redo", "ask_same_person", "offer"]  # fmt: skip
