"""Step 1: check and correct the register data, with inline validation.

The checks themselves are in ``db.corrections`` (no Qt); this page shows them under each field
as the officer types, marks a field that differs from the register ("corrected"), and stores
both the values and the corrections in the draft. A new person (DC01) starts with empty fields
and is added to the register when the step is left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import corrections as corr
from db.types import EnrollmentInfo
from db.vntime import local_date, now_utc
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from resources.i18n import N_, _
from resources.problems import describe, log_unexpected

LABELS = {
    "full_name": N_("Full name"),
    "birth": N_("Date of birth"),
    "sex": N_("Sex"),
    "personal_id": N_("Personal ID number"),
    "old_id": N_("Old ID (CMND)"),
    "ethnicity": N_("Ethnicity"),
    "religion": N_("Religion"),
    "hometown": N_("Hometown"),
    "village": N_("Village"),
    "household_no": N_("Household no."),
    "phone": N_("Phone"),
}
AUTOSAVE_MS = 2000  # typing pauses this long: the page is saved
RETRY_MS = 5000  # an autosave that failed is tried again after this
HINTS = {"birth": N_("dd/mm/yyyy or the year"), "personal_id": N_("12 digits")}


class DetailsStep(WizardStep):
    name = "details"
    title = N_("Details")

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.original: dict[str, str] = corr.register_values(ctx.resident)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        self.notes: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        for i, field in enumerate(corr.FIELDS):
            row, col = (i // 2) * 3, (i % 2) * 2
            label = QLabel(_(LABELS[field]) + (" *" if field in corr.REQUIRED else ""))
            edit: QLineEdit | QComboBox
            if field == "sex":
                edit = QComboBox()
                edit.addItem("—", "")
                edit.addItem(_("Male"), "M")
                edit.addItem(_("Female"), "F")
                edit.currentIndexChanged.connect(self._changed)
            else:
                edit = QLineEdit()
                if field in HINTS:
                    edit.setPlaceholderText(_(HINTS[field]))
                edit.textChanged.connect(self._changed)
            edit.setObjectName(f"field_{field}")
            note = QLabel()
            note.setObjectName("fieldNote")
            note.setWordWrap(True)
            label.setBuddy(edit)
            grid.addWidget(label, row, col, 1, 2)
            grid.addWidget(edit, row + 1, col, 1, 2)
            grid.addWidget(note, row + 2, col, 1, 2)
            self.edits[field] = edit
            self.notes[field] = note
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        inner = QWidget()
        box = QVBoxLayout(inner)
        self.heading = QLabel(_("Check the details with the person and correct them."))
        self.heading.setObjectName("stepHeading")
        self.heading.setWordWrap(True)
        box.addWidget(self.heading)
        self.save_state = QLabel()  # "not saved yet" while an autosave cannot be written
        self.save_state.setObjectName("autosaveState")
        self.save_state.setWordWrap(True)
        self.save_state.setStyleSheet("color: #b00020")
        box.addWidget(self.save_state)
        box.addLayout(grid)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.autosave = QTimer(self)  # a savepoint while typing: a crash loses seconds, not a page
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self._autosave)
        self._loading = False

    # --- values --------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        out = {}
        for field, edit in self.edits.items():
            out[field] = edit.currentData() if isinstance(edit, QComboBox) else edit.text()
        return out

    def _set_values(self, values: dict[str, str]) -> None:
        self._loading = True
        for field, edit in self.edits.items():
            value = values.get(field, "") or ""
            if isinstance(edit, QComboBox):
                edit.setCurrentIndex(max(0, edit.findData(value)))
            else:
                edit.setText(value)
        self._loading = False
        self._changed()

    def load(self, info: EnrollmentInfo | None) -> None:
        stored = (info.draft.get("details") or {}).get("values") if info else None
        if info is not None and self.ctx.resident is None:
            self.original = dict(stored or {})  # a DC01 person: the register is what was typed
        self._set_values(stored or self.original)
        if self.ctx.resident is None and info is None:
            self.heading.setText(_("A person not in the register (form DC01): fill in the form."))

    def save(self) -> dict[str, Any]:
        return corr.details_record(self.original, self.values())

    # --- checks --------------------------------------------------------------------------

    def problems(self) -> dict[str, list[str]]:
        return corr.validate(self.values(), local_date(now_utc()))

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        problems = self.problems()
        values = self.values()
        for field, note in self.notes.items():
            if field in problems:
                note.setText("; ".join(_(p) for p in problems[field]))
                note.setProperty("kind", "error")
            elif values[field].strip() != self.original.get(field, "").strip() and (
                self.ctx.resident is not None
            ):
                was = self.original.get(field, "") or _("(empty)")
                note.setText(_("Corrected (register: {value})").format(value=was))
                note.setProperty("kind", "corrected")
            else:
                note.setText("")
                note.setProperty("kind", "")
            note.style().unpolish(note)
            note.style().polish(note)
        if self.ctx.info is not None:
            self.autosave.start()

    def validate(self) -> list[str]:
        problems = self.problems()
        if not problems:
            return []
        first = next(iter(problems))
        self.edits[first].setFocus()
        return [_("Some details need attention (shown in red under each field).")]

    def _autosave(self) -> None:
        if self.ctx.info is None:
            return
        op = super().advance_op()
        if op is not None:
            self.ctx.write(self, op, self._autosaved, self._autosave_failed)

    def _autosaved(self, _result: object) -> None:
        self.save_state.clear()
        self.autosave.setInterval(AUTOSAVE_MS)

    def _autosave_failed(self, exc: BaseException) -> None:
        """Say so on the page and try again; what is typed stays in the form."""
        log_unexpected(exc, "autosave")
        self.save_state.setText(
            _("Not saved yet ({reason}). Trying again…").format(reason=describe(exc))
        )
        self.autosave.start(RETRY_MS)

    # --- the wizard's hooks --------------------------------------------------------------

    def entered(self) -> None:
        self.edits["full_name"].setFocus()

    def left(self) -> None:
        self.autosave.stop()

    def advance_op(self) -> Callable[[], Any] | None:
        self.autosave.stop()
        if self.ctx.info is not None:
            return super().advance_op()
        ctx, values = self.ctx, self.values()  # a DC01 person: add them, then start the draft
        record = self.save()
        raw = {
            "full_name": values["full_name"], "birth_date": values["birth"],
            "sex": values["sex"], "personal_id": values["personal_id"],
            "old_id": values["old_id"], "ethnicity": values["ethnicity"],
            "religion": values["religion"], "hometown": values["hometown"],
            "village": values["village"], "household_no": values["household_no"],
            "phone": values["phone"],
        }  # fmt: skip

        service, place = ctx.service, ctx.place

        def op() -> EnrollmentInfo:
            started = service.start_enrollment(service.add_person(raw), place)
            service.save_step(started.uuid, "details", record)
            return service.enrollment(started.uuid)

        return op

    def advanced(self, result: Any) -> None:
        if isinstance(result, EnrollmentInfo):
            self.ctx.info = result
            self.original = dict(self.save()["values"])
