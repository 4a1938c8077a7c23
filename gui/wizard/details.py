"""Step 1: check and correct the register data, with inline validation.

The checks themselves are in ``db.corrections`` (no Qt); this page shows them under each field,
marks a field that differs from the register ("corrected"), and stores both the values and the
corrections in the draft. A "required" mark waits until the officer leaves the field or presses
Next: a form that opens already red tells the officer nothing they did wrong.

A new person (DC01) starts with empty fields, offers the register's lists (the 54 recognised
ethnic groups, religions, the villages of the register: editable, free text allowed) and the
DC01 fields an officer needs (places of birth registration and residence, parents' and spouse's
names and ID numbers). Before the person is added, the register is checked for someone likely
the same (DESIGN §6): the officer opens that person instead, or confirms it is someone else.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import corrections as corr
from db.errors import OpenEnrollmentExists
from db.labels import DC01_LABELS, FIELD_LABELS
from db.types import EnrollmentInfo, FormChoices, ResidentDetail
from db.vntime import local_date, now_utc
from gui import duplicate_dialog
from gui.errors import show_error
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from resources.i18n import N_, _
from resources.problems import describe, log_unexpected

AUTOSAVE_MS = 2000  # typing pauses this long: the page is saved
RETRY_MS = 5000  # an autosave that failed is tried again after this
HINTS = {
    "birth": N_("dd/mm/yyyy or the year"),
    "personal_id": N_("12 digits"),
    "father_id": N_("12 digits, if known"),
    "mother_id": N_("12 digits, if known"),
    "spouse_id": N_("12 digits, if known"),
}
#: Chosen from a list, free text allowed (FormChoices' field of the same name + "s").
LISTS = {"ethnicity": "ethnicities", "religion": "religions", "village": "villages"}
#: DC01 fields laid out across the whole row (addresses); the others two by two.
WIDE = ("birth_registration_place", "permanent_residence", "current_residence")
REQUIRED_MARK = "required"  # the message id db.corrections gives an empty required field

Edit = QLineEdit | QComboBox


def fold(text: str) -> str:
    """Lowercase without diacritics, đ as d (matching only: "mong" finds "Mông")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FoldedCompleter(QCompleter):
    """Completion from a list that ignores case and diacritics, matching anywhere in the
    name: "chim" offers "Nậm Chim 1" and "Nậm Chim 2"."""

    def __init__(self, parent: QObject) -> None:
        self.items = QStandardItemModel(parent)
        super().__init__(self.items, parent)
        self.setCompletionRole(Qt.ItemDataRole.UserRole)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def set_items(self, names: tuple[str, ...]) -> None:
        self.items.clear()
        for name in names:
            item = QStandardItem(name)
            item.setData(fold(name), Qt.ItemDataRole.UserRole)
            self.items.appendRow(item)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole))


class DetailsStep(WizardStep):
    name = "details"
    title = N_("Details")

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.original: dict[str, str] = corr.register_values(ctx.resident)
        self.edits: dict[str, Edit] = {}
        self.notes: dict[str, QLabel] = {}
        self._field_of: dict[QObject, str] = {}
        self.touched: set[str] = set()  # fields the officer has left: "required" may show
        self.show_all = False  # Next was pressed: every problem shows
        self._checked: tuple[tuple[str, str], ...] | None = None  # DC01 values checked
        self._not_same: tuple[int, ...] = ()  # register people confirmed to be someone else
        self._opening = False  # an existing person is being opened instead of the DC01 one
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        for i, field in enumerate(corr.FIELDS):
            self._add_field(grid, field, (i // 2) * 3, (i % 2) * 2)
        n = len(corr.FIELDS)  # the request takes the next cell: beside the last field (phone)
        self._add_vneid(grid, (n // 2) * 3, (n % 2) * 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.dc01 = QGroupBox(_("Form DC01: where the person lives, their family"))
        self.dc01.setObjectName("dc01Fields")
        extra = QGridLayout(self.dc01)
        extra.setHorizontalSpacing(18)
        extra.setVerticalSpacing(2)
        row = 0
        for field in WIDE:
            self._add_field(extra, field, row, 0, span=4)
            row += 3
        pairs = [f for f in corr.DC01_FIELDS if f not in WIDE]
        for i, field in enumerate(pairs):
            self._add_field(extra, field, row + (i // 2) * 3, (i % 2) * 2)
        extra.setColumnStretch(1, 1)
        extra.setColumnStretch(3, 1)
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
        self.card_bar = QWidget()  # what a scanned card says that the register does not
        self.card_bar.setObjectName("cardBar")
        self.card_row = QHBoxLayout(self.card_bar)
        self.card_row.setContentsMargins(0, 0, 0, 0)
        self.card_bar.hide()
        box.addWidget(self.card_bar)
        box.addLayout(grid)
        box.addWidget(self.dc01)
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
        self.dc01.setVisible(self.is_new_person)
        self._load_choices()

    def _add_vneid(self, grid: QGridLayout, row: int, col: int) -> None:
        """The level-2 electronic ID account request (db/vneid.py) in the three rows of a
        field beside the phone (the page must fit 1366×768 without scrolling): the heading,
        then the request, the person's own mobile number and an optional e-mail on one line,
        then what is wrong with them."""
        heading = QLabel(_("Level-2 electronic identification account (VNeID)"))
        heading.setObjectName("vneidHeading")
        self.vneid_asked = QCheckBox(_("The citizen asks for a level-2 account"))
        self.vneid_asked.setObjectName("vneidAsked")
        self.vneid_phone = QLineEdit()
        self.vneid_phone.setObjectName("vneidPhone")
        self.vneid_phone.setPlaceholderText(_("e.g. 0912 345 678"))
        self.vneid_phone.setToolTip(_("Own mobile number"))
        self.vneid_email = QLineEdit()
        self.vneid_email.setObjectName("vneidEmail")
        self.vneid_email.setPlaceholderText(_("optional"))
        self.vneid_email.setToolTip(_("E-mail"))
        self.vneid_note = QLabel()
        self.vneid_note.setObjectName("fieldNote")
        self.vneid_note.setWordWrap(True)
        phone_label = QLabel(_("Mobile:"))
        phone_label.setBuddy(self.vneid_phone)
        email_label = QLabel(_("Email:"))
        email_label.setBuddy(self.vneid_email)
        top = QHBoxLayout()  # the heading, and the request beside it
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.vneid_asked)
        top.addStretch(1)
        line = QWidget()
        line.setObjectName("vneidBox")
        box = QHBoxLayout(line)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(phone_label)
        box.addWidget(self.vneid_phone, 2)
        box.addSpacing(6)
        box.addWidget(email_label)
        box.addWidget(self.vneid_email, 3)
        grid.addLayout(top, row, col, 1, 2)
        grid.addWidget(line, row + 1, col, 1, 2)
        grid.addWidget(self.vneid_note, row + 2, col, 1, 2)
        self.vneid_asked.toggled.connect(self._vneid_toggled)
        self.vneid_phone.textChanged.connect(self._changed)
        self.vneid_email.textChanged.connect(self._changed)
        self.vneid_phone.setEnabled(False)
        self.vneid_email.setEnabled(False)

    def _vneid_toggled(self, asked: bool) -> None:
        self.vneid_phone.setEnabled(asked)
        self.vneid_email.setEnabled(asked)
        if asked and not self.vneid_phone.text().strip():  # the register's mobile, if any
            self.vneid_phone.setText(corr.vneid_prefill(self.values()["phone"]))
        self._changed()

    def asked(self) -> tuple[str, str] | None:
        """The request as typed (mobile number, e-mail), or None when not asked for."""
        if not self.vneid_asked.isChecked():
            return None
        return self.vneid_phone.text(), self.vneid_email.text()

    def vneid_problems(self) -> dict[str, list[str]]:
        asked = self.asked()
        return corr.validate_vneid(*asked) if asked is not None else {}

    def _add_field(self, grid: QGridLayout, field: str, row: int, col: int, span: int = 2) -> None:
        title = _(FIELD_LABELS[field]) if field in FIELD_LABELS else _(DC01_LABELS[field])
        label = QLabel(title + (" *" if field in corr.REQUIRED else ""))
        edit: Edit
        if field == "sex":
            edit = QComboBox()
            edit.addItem("—", "")
            edit.addItem(_("Male"), "M")
            edit.addItem(_("Female"), "F")
            edit.currentIndexChanged.connect(self._changed)
        elif field in LISTS:
            edit = QComboBox()
            edit.setEditable(True)
            edit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            edit.setMaxVisibleItems(15)
            edit.setCompleter(FoldedCompleter(edit))
            edit.editTextChanged.connect(self._changed)
            line = edit.lineEdit()
            assert line is not None  # an editable combo has one
            line.setPlaceholderText(_("Choose from the list or type"))
            line.installEventFilter(self)
            self._field_of[line] = field
        else:
            edit = QLineEdit()
            if field in HINTS:
                edit.setPlaceholderText(_(HINTS[field]))
            edit.textChanged.connect(self._changed)
        edit.setObjectName(f"field_{field}")
        edit.installEventFilter(self)
        self._field_of[edit] = field
        note = QLabel()
        note.setObjectName("fieldNote")
        note.setWordWrap(True)
        label.setBuddy(edit)
        grid.addWidget(label, row, col, 1, span)
        grid.addWidget(edit, row + 1, col, 1, span)
        grid.addWidget(note, row + 2, col, 1, span)
        self.edits[field] = edit
        self.notes[field] = note

    @property
    def is_new_person(self) -> bool:
        """A DC01 person: not (yet) a resident the wizard was opened for."""
        return self.ctx.resident is None

    # --- lists -----------------------------------------------------------------------------

    def _load_choices(self) -> None:
        service = self.ctx.service
        self.ctx.read(self, service.form_choices, self._fill_choices,
                      lambda exc: log_unexpected(exc, "DC01 lists"))  # fmt: skip

    def _fill_choices(self, choices: FormChoices) -> None:
        """Fill the lists, keeping what is typed (the officer may have started already)."""
        for field, attr in LISTS.items():
            combo = self.edits[field]
            assert isinstance(combo, QComboBox)
            names: tuple[str, ...] = getattr(choices, attr)
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(names))
            combo.setCurrentIndex(combo.findText(text) if text else -1)
            combo.setEditText(text)
            combo.blockSignals(False)
            completer = combo.completer()
            if isinstance(completer, FoldedCompleter):
                completer.set_items(names)

    # --- values --------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        out = {}
        for field, edit in self.edits.items():
            if isinstance(edit, QComboBox):
                out[field] = edit.currentText() if edit.isEditable() else edit.currentData()
            else:
                out[field] = edit.text()
        if not self.is_new_person:  # the DC01 fields belong to a person added at the desk
            for field in corr.DC01_FIELDS:
                out[field] = ""
        return out

    def _set_values(self, values: dict[str, str]) -> None:
        self._loading = True
        for field, edit in self.edits.items():
            value = values.get(field, "") or ""
            if isinstance(edit, QComboBox) and not edit.isEditable():
                edit.setCurrentIndex(max(0, edit.findData(value)))
            elif isinstance(edit, QComboBox):
                edit.setCurrentIndex(edit.findText(value) if value else -1)
                edit.setEditText(value)
            else:
                edit.setText(value)
        self._loading = False
        self._changed()

    def load(self, info: EnrollmentInfo | None) -> None:
        details = (info.draft.get("details") or {}) if info else {}
        stored = details.get("values")
        if info is not None and self.is_new_person:
            self.original = dict(stored or {})  # a DC01 person: the register is what was typed
        self.touched, self.show_all = set(), False
        self.dc01.setVisible(self.is_new_person)
        self._set_values({**(stored or self.original), **(details.get("dc01") or {})})
        asked, phone, email = corr.vneid_typed(details)
        self._loading = True
        self.vneid_asked.setChecked(asked)
        self.vneid_phone.setText(phone if asked else corr.vneid_prefill(self.values()["phone"]))
        self.vneid_email.setText(email)
        self._loading = False
        self._show_notes()
        self._show_card()
        if self.is_new_person and info is None:
            self.heading.setText(_("A person not in the register (form DC01): fill in the form."))
        else:
            self.heading.setText(_("Check the details with the person and correct them."))

    def _show_card(self) -> None:
        """The card scanned for this person (gui/lookup.py) beside the register: each field it
        says otherwise is a button that takes the card's value (then a correction, marked
        like any other); the officer checks it with the person first."""
        while self.card_row.count():
            item = self.card_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        card, trusted = self.ctx.extra.get("card"), bool(self.ctx.extra.get("card_trusted"))
        found = [] if card is None else [  # a scanner's letters are a hint, never a value
            d for d in corr.card_differences(self.original, card, letters_trusted=trusted)
            if trusted or d[0] != "full_name"]
        self.card_bar.setVisible(bool(found))
        if not found:
            return
        self.card_row.addWidget(QLabel(_("The card says otherwise:")))
        for field, _held, said in found:
            shown = {"M": _("Male"), "F": _("Female")}.get(said, said) if field == "sex" else said
            take = QPushButton(_("{field}: {value}").format(field=_(FIELD_LABELS[field]),
                                                            value=shown))  # fmt: skip
            take.setObjectName(f"fromCard_{field}")
            take.setToolTip(_("Use what the card says (check it with the person)"))
            take.clicked.connect(lambda _c=False, f=field, v=said: self._take_from_card(f, v))
            self.card_row.addWidget(take)
        self.card_row.addStretch(1)

    def _take_from_card(self, field: str, value: str) -> None:
        self._set_values({**self.values(), field: value})
        self.touched.add(field)
        self._show_notes()

    def save(self) -> dict[str, Any]:
        return corr.details_record(self.original, self.values(), self.asked())

    # --- checks --------------------------------------------------------------------------

    def problems(self) -> dict[str, list[str]]:
        values = self.values()
        found = corr.validate(values, local_date(now_utc()))
        if self.is_new_person:
            for field, problems in corr.validate_dc01(values).items():
                found.setdefault(field, []).extend(problems)
        return found

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving a field (not for its own popup) lets its "required" mark show."""
        if event.type() == QEvent.Type.FocusOut and watched in self._field_of:
            reason = getattr(event, "reason", lambda: None)()
            if reason != Qt.FocusReason.PopupFocusReason:
                field = self._field_of[watched]
                if field not in self.touched:
                    self.touched.add(field)
                    self._show_notes()
        return super().eventFilter(watched, event)

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._show_notes()
        if self.ctx.info is not None:
            self.autosave.start()

    def _show_notes(self) -> None:
        problems = self.problems()
        values = self.values()
        for field, note in self.notes.items():
            shown = [p for p in problems.get(field, [])
                     if p != REQUIRED_MARK or self.show_all or field in self.touched]  # fmt: skip
            if shown:
                note.setText("; ".join(_(p) for p in shown))
                note.setProperty("kind", "error")
            elif values[field].strip() != self.original.get(field, "").strip() and (
                not self.is_new_person
            ):
                was = self.original.get(field, "") or _("(empty)")
                note.setText(_("Corrected (register: {value})").format(value=was))
                note.setProperty("kind", "corrected")
            else:
                note.setText("")
                note.setProperty("kind", "")
            note.style().unpolish(note)
            note.style().polish(note)
        self._show_vneid_note()

    def _show_vneid_note(self) -> None:
        """What is wrong with the request; an empty number is said only after Next."""
        problems = self.vneid_problems()
        typed = self.vneid_phone.text().strip()
        shown = [p for field, found in problems.items() for p in found
                 if field == "email" or typed or self.show_all][:1]  # one line: the first
        self.vneid_note.setText("; ".join(_(p) for p in shown))
        self.vneid_note.setProperty("kind", "error" if shown else "")
        self.vneid_note.style().unpolish(self.vneid_note)
        self.vneid_note.style().polish(self.vneid_note)

    def validate(self) -> list[str]:
        if self._opening:
            return [_("Opening the person from the register…")]
        self.show_all = True
        self._show_notes()
        problems = self.problems()
        if problems:
            first = next(iter(problems))
            self.edits[first].setFocus()
            return [_("Some details need attention (shown in red under each field).")]
        vneid = self.vneid_problems()
        if vneid:
            (self.vneid_email if "phone" not in vneid else self.vneid_phone).setFocus()
            return [_("The level-2 account request needs the person's own mobile number "
                      "(shown in red).")]
        if self.is_new_person and self.ctx.info is None:
            return self._check_register()
        return []

    # --- DC01: is the person in the register already? ------------------------------------

    def _raw(self) -> dict[str, str]:
        """The form in the register's column names (what ``add_person`` takes)."""
        values = self.values()
        raw = {
            "full_name": values["full_name"], "birth_date": values["birth"],
            "sex": values["sex"], "personal_id": values["personal_id"],
            "old_id": values["old_id"], "ethnicity": values["ethnicity"],
            "religion": values["religion"], "hometown": values["hometown"],
            "village": values["village"], "household_no": values["household_no"],
            "phone": values["phone"],
        }  # fmt: skip
        raw.update({field: values[field] for field in corr.DC01_FIELDS})
        return raw

    def _check_register(self) -> list[str]:
        """Ask the register before adding: nobody likely the same, or the officer's choice.

        On the GUI thread: one indexed lookup (milliseconds) while the officer waits for Next
        anyway, and the answer decides whether the wizard goes on."""
        raw = self._raw()
        key = tuple(sorted(raw.items()))
        if self._checked == key:
            return []
        try:
            found = self.ctx.service.likely_same_people(raw)
        except Exception as exc:
            log_unexpected(exc, "DC01 register check")
            return [describe(exc)]
        if found:
            choice = duplicate_dialog.ask_same_person(found, raw["personal_id"], self)
            if choice is None:
                return [_("Not added: look at the people the register already has.")]
            if choice != "new":
                self.open_existing(int(choice))
                return [_("Opening the person from the register…")]
        self._checked, self._not_same = key, tuple(d.id for d in found)
        return []

    def open_existing(self, resident_id: int, redo: tuple[str, str | None] | None = None) -> None:
        """Enroll the register's person instead of adding the DC01 one (the duplicate rule
        applies: an open enrollment of theirs is offered, or redone with a reason)."""
        self._opening = True
        service, place = self.ctx.service, self.ctx.place
        reason, note = redo or (None, None)

        def op() -> tuple[ResidentDetail | None, EnrollmentInfo]:
            detail = service.resident(resident_id)
            return detail, service.start_enrollment(resident_id, place, redo_reason=reason,
                                                    redo_note=note)  # fmt: skip

        self.ctx.write(self, op, self._switch_to, self._open_failed)

    def _open_failed(self, exc: BaseException) -> None:
        self._opening = False
        wizard = self._wizard()
        if wizard is not None:
            wizard.problems.clear()  # not "opening…" any more: the DC01 form stays as typed
        if isinstance(exc, OpenEnrollmentExists):
            rid = exc.resident_id
            duplicate_dialog.offer(self, exc, resume=self._resume,
                                   redo=lambda why, note: self.open_existing(rid, (why, note)))
            return
        show_error(self, exc)

    def _resume(self, uuid: str) -> None:
        self._opening = True
        service = self.ctx.service

        def op() -> tuple[ResidentDetail | None, EnrollmentInfo]:
            info, detail = service.resume(uuid)
            return detail, info

        self.ctx.read(self, op, self._switch_to, self._open_failed)

    def _switch_to(self, opened: tuple[ResidentDetail | None, EnrollmentInfo]) -> None:
        """The wizard goes on with the register's person and their enrollment."""
        detail, info = opened
        self._opening = False
        self.ctx.resident = detail
        self.original = corr.register_values(detail)
        self._checked, self._not_same = None, ()
        wizard = self._wizard()
        if wizard is not None:
            wizard.start(info)

    def _wizard(self) -> Any:
        from gui.wizard.wizard import EnrollmentWizard

        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, EnrollmentWizard):
            widget = widget.parentWidget()
        return widget

    # --- saving ----------------------------------------------------------------------------

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
        values, raw, not_same = self.values(), self._raw(), self._not_same
        record = corr.details_record(values, values, self.asked())  # a new person: no corrections
        service, place = self.ctx.service, self.ctx.place

        def op() -> EnrollmentInfo:  # a DC01 person: add them, then start the draft
            started = service.start_enrollment(service.add_person(raw, not_same_as=not_same),
                                               place)  # fmt: skip
            service.save_step(started.uuid, "details", record)
            return service.enrollment(started.uuid)

        return op

    def advanced(self, result: Any) -> None:
        if isinstance(result, EnrollmentInfo):
            self.ctx.info = result
            self.original = dict(self.save()["values"])
