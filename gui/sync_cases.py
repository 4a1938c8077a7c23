"""The day review's "cases after sync" (issue 12): what a merge of a laptop's bundle left for
the supervisor, each in words — the same person enrolled at two stations, a new person from the
field who matches the register (linked, not added twice) or who is new, a register field
corrected differently at two stations (the register's value, then each station's), an
enrollment that came again with other content (the first one kept).

Nothing is decided here for the supervisor: they look (the enrollments are in the list above,
the register in the lookup), do what is needed, then mark the case resolved with a note of
what was done (kept with the case, and audited by the service). Shown only to a role that
reviews (``enrollment.review``) and only when a case is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from db.labels import FIELD_LABELS
from db.service import StationService
from db.vntime import to_local
from resources.i18n import N_, _
from resources.problems import describe, log_unexpected

if TYPE_CHECKING:
    from db.types import CaseInfo

KIND_TITLES = {
    "same_person": N_("Same person enrolled twice"),
    "field_person_match": N_("New person from the field matches the register"),
    "field_person": N_("New person from the field"),
    "correction": N_("Register corrected differently at two stations"),
    "content": N_("Enrollment received again with other content"),
}


def kind_title(kind: str) -> str:
    return _(KIND_TITLES[kind]) if kind in KIND_TITLES else _("Other case")


def field_label(field: str) -> str:
    if field in ("birth_date", "birth_year"):
        field = "birth"
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "sex":
        return {"M": _("Male"), "F": _("Female")}.get(str(value), str(value))
    if field == "birth_date":
        try:
            return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def case_line(c: CaseInfo) -> str:
    """The list's line: when, what, who, from which station."""
    at = c.created_at if c.created_at.tzinfo else c.created_at.replace(tzinfo=UTC)
    when = to_local(at).strftime("%d/%m %H:%M")
    return f"{when}  {kind_title(c.kind)}\n    {c.person or '—'} · {c.station_name or '—'}"


def case_html(c: CaseInfo, stations: dict[str, str]) -> str:
    """What the supervisor reads about one case, from its details (rich text)."""
    e, d = escape, c.details
    person = c.person or "—"
    station = c.station_name or _("the laptop")

    def name(station_id: Any) -> str:
        return stations.get(str(station_id), str(station_id or "—"))

    lines = [f"<b>{e(kind_title(c.kind))}</b>"]
    if c.kind == "same_person":
        ids = list(d.get("stations") or [])
        slips = list(d.get("slips") or [])
        lines.append(e(_("{person} was enrolled at two stations: check that this is not the same "
                         "application twice, then keep one.").format(person=person)))  # fmt: skip
        for i, station_id in enumerate(ids):
            slip = slips[i] if i < len(slips) and slips[i] else "—"
            lines.append("• " + e(_("{station}: slip {slip}").format(station=name(station_id),
                                                                     slip=slip)))  # fmt: skip
    elif c.kind == "field_person_match":
        lines.append(e(_("{station} created a new person (DC01) who matches {person} in the "
                         "register: linked to that resident, not added a second time.").format(
            station=station, person=person)))  # fmt: skip
        differences = d.get("differences") or {}
        if differences:
            lines.append(e(_("What differs (register → field):")))
            for field, pair in differences.items():
                before, after = [*list(pair), None, None][:2]
                lines.append(f"• {e(field_label(field))}: {e(value_text(field, before))} → "
                             f"<b>{e(value_text(field, after))}</b>")  # fmt: skip
    elif c.kind == "field_person":
        lines.append(e(_("{station} created {person} as a new person (DC01), not in the "
                         "register: check the data before the enrollment is approved.").format(
            station=station, person=person)))  # fmt: skip
    elif c.kind == "correction":
        field = str(d.get("field") or "")
        lines.append(e(_("The {field} of {person} was corrected differently at two stations; "
                         "both corrections are kept.").format(field=field_label(field).lower(),
                                                              person=person)))  # fmt: skip
        lines.append("• " + e(_("In the register: {value}").format(
            value=value_text(field, d.get("base")))))  # fmt: skip
        for station_id, value in (d.get("values") or {}).items():
            lines.append(f"• {e(name(station_id))}: <b>{e(value_text(field, value))}</b>")
    elif c.kind == "content":
        lines.append(e(_("An enrollment of {person} came again from {station} with other content: "
                         "the first one received is kept; tell the supervisor of the laptop."
                         ).format(person=person, station=station)))  # fmt: skip
    return "<br>".join(lines)


class SyncCasesBox(QGroupBox):
    """The open cases, what the chosen one is, and marking it resolved with a note."""

    def __init__(self, service: StationService) -> None:
        super().__init__(_("Cases to look at after sync"))
        self.setObjectName("syncCases")
        self.service = service
        self.cases: Sequence[CaseInfo] = []
        self.stations: dict[str, str] = {}
        self.list = QListWidget()
        self.list.setObjectName("syncCaseList")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(110)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text = QLabel()
        self.text.setObjectName("syncCaseText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLineEdit()
        self.note.setObjectName("syncCaseNote")
        self.note.setPlaceholderText(_("What was decided (needed)"))
        self.resolve_button = QPushButton(_("Mark as resolved"))
        self.resolve_button.setObjectName("syncCaseResolve")
        self.resolve_button.clicked.connect(self.resolve)
        self.said = QLabel()
        self.said.setObjectName("syncCaseStatus")
        self.said.setWordWrap(True)
        row = QHBoxLayout()  # the note on its own line: the column is narrow
        row.addWidget(self.said, 1)
        row.addWidget(self.resolve_button)
        v = QVBoxLayout(self)
        for w in (self.list, self.text, self.note):
            v.addWidget(w)
        v.addLayout(row)
        self.list.currentRowChanged.connect(self._chosen)
        self.setVisible(False)  # until the review reads the cases (reload)

    def reload(self) -> None:
        """Read the open cases; the box is hidden when there are none (or the role may not)."""
        self.cases = []
        if self.service.allowed("enrollment.review"):
            try:
                me = self.service.own_identity()
                self.stations = {me.station_id: me.name, **{
                    p.station_id: p.name for p in self.service.paired_stations()}}
                self.cases = self.service.sync_cases()
            except Exception as exc:
                log_unexpected(exc, "sync cases")
                self.said.setText(describe(exc))
        self.list.clear()
        for c in self.cases:
            item = QListWidgetItem(case_line(c))
            item.setData(Qt.ItemDataRole.UserRole, c.uuid)
            self.list.addItem(item)
        self.setTitle(_("Cases to look at after sync: {n}").format(n=len(self.cases)))
        self.setVisible(bool(self.cases))
        if self.cases:
            self.list.setCurrentRow(0)
        self._chosen(self.list.currentRow())

    def current(self) -> CaseInfo | None:
        row = self.list.currentRow()
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def _chosen(self, _row: int) -> None:
        c = self.current()
        self.text.setText(case_html(c, self.stations) if c is not None else "")
        self.resolve_button.setEnabled(c is not None)
        self.note.clear()

    def resolve(self) -> None:
        c = self.current()
        if c is None:
            return
        note = self.note.text().strip()
        if not note:
            self.said.setText(_("Write what was decided about this case."))
            self.note.setFocus()
            return
        try:
            self.service.resolve_sync_case(c.uuid, note)
        except Exception as exc:
            log_unexpected(exc, "sync case")
            self.said.setText(describe(exc))
            return
        self.reload()
        self.setVisible(True)  # the last one resolved: the box stays to say so
        self.said.setText(_("Case marked resolved: {what} ({person}).").format(
            what=kind_title(c.kind), person=c.person or "—"))  # fmt: skip
