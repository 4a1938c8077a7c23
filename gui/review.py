"""The supervisor's day review: what waits for approval, each in words a supervisor reads — the
portrait and every check of it marked passed, warning or failed; the exception, its reason and
the officer's note; each correction of the register's data, before → after; a new person
(DC01), a possible duplicate, a second enrollment ("làm lại hồ sơ") and why — then approve, or
send back with a note the officer sees.

Exceptions and corrections come first in the list (db/review.py orders them); the decision is
made by the core, which checks the role and writes the audit event with it. After a decision
the list keeps its place: the row goes, the next one is selected, the scroll stays.

Below the list, when field sync left any, the cases to look at after sync (gui/sync_cases.py):
the same person enrolled twice, conflicting corrections and the like, each resolved with a note.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db.labels import (
    FIELD_LABELS,
    FINGER_CONDITIONS,
    FINGERS,
    PLACES,
    REASONS,
    SUBJECTS,
    label,
)
from db.service import StationService
from db.types import EnrollmentInfo, QualityCheck, ReviewItem
from db.vntime import to_local
from gui.errors import show_error
from gui.finger_strip import FingerStrip
from gui.sync_cases import SyncCasesBox
from resources.i18n import N_, _, language

#: The portrait's checks (capture/checks.py) by what they look for.
CHECK_NAMES = {
    "face_count": N_("One face in the picture"),
    "orientation": N_("Face upright"),
    "face_size": N_("Face large enough"),
    "framing": N_("Head and shoulders in the frame"),
    "head_roll": N_("Head held straight"),
    "sharpness": N_("Sharp picture"),
    "exposure": N_("Brightness right"),
    "lighting": N_("Even light on the face"),
    "background": N_("Plain, light background"),
    "eyes": N_("Both eyes clearly seen"),
}
ROTATED = N_("Face turned upright (taken lying down)")
MARKS = {"pass": ("✓", "#1b6e20"), "warn": ("⚠", "#a15c00"), "fail": ("✗", "#b00020")}
RESULTS = {"pass": N_("passed"), "warn": N_("warning"), "fail": N_("not met")}


def reason_label(code: str) -> str:
    return label(REASONS, code)


def check_name(check: QualityCheck, rotation: int = 0) -> str:
    if check.id == "orientation" and check.result == "pass" and (rotation or check.value):
        return _(ROTATED)
    return _(CHECK_NAMES[check.id]) if check.id in CHECK_NAMES else _("Other check")


def check_lines(checks: tuple[QualityCheck, ...], rotation: int = 0) -> list[str]:
    """Each check as an HTML line: its mark, what it looks for, and for a warning or a
    failure what the officer was told (in the supervisor's language)."""
    lines = []
    order = {"fail": 0, "warn": 1, "pass": 2}  # what needs a look first
    for c in sorted(checks, key=lambda c: order.get(c.result, 0)):
        mark, colour = MARKS.get(c.result, MARKS["fail"])
        line = (f'<span style="color:{colour}"><b>{mark}</b> {escape(check_name(c, rotation))}'
                f" — {escape(_(RESULTS.get(c.result, RESULTS['fail'])))}</span>")  # fmt: skip
        advice = c.advice(language())
        if c.result != "pass" and advice:
            line += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;<i>{escape(advice)}</i>"
        lines.append(line)
    return lines


def redo_reason_text(code: str) -> str:
    """Why a second enrollment was allowed, from the desk's "làm lại hồ sơ" reasons."""
    from db.labels import REDO_REASONS

    return label(REDO_REASONS, code)


def field_name(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def _shown_value(field: str, value: str) -> str:
    if not value:
        return "—"
    if field == "sex":
        return {"M": _("Male"), "F": _("Female")}.get(value, value)
    return value


def exception_lines(exceptions: tuple[dict[str, Any], ...]) -> list[str]:
    """Each exception: what could not be met, why, and the officer's note (when it says more
    than the reason itself)."""
    lines = []
    for x in exceptions:
        reason = reason_label(str(x.get("reason") or ""))
        text = _("Exception for the {subject}: {reason}").format(
            subject=label(SUBJECTS, str(x.get("subject") or "")), reason=reason)  # fmt: skip
        line = f"<b>{escape(text)}</b>"
        note = str(x.get("note") or "").strip()
        if note and note.casefold() != reason.casefold():
            line += "<br>" + escape(_("Officer's note: “{note}”").format(note=note))
        lines.append(line)
    return lines


def typed_lines(info: EnrollmentInfo) -> list[str]:
    """A new person's data as typed at the desk (form DC01): there is no register to compare
    it with, so the supervisor reads it whole."""
    details = info.draft.get("details") if isinstance(info.draft, dict) else None
    values = details.get("values") if isinstance(details, dict) else None
    if not isinstance(values, dict):
        return []
    shown = [f"{escape(field_name(f))}: {escape(_shown_value(f, str(values[f])))}"
             for f in FIELD_LABELS if f != "full_name" and values.get(f)]  # fmt: skip
    if not shown:
        return []
    return ["<br><b>" + escape(_("As typed at the desk (form DC01):")) + "</b>", *shown]


def badge(text: str, colour: str) -> str:
    return (f'<span style="background:{colour}; color:white">&nbsp;{escape(text)}&nbsp;'
            "</span>")  # fmt: skip


def review_html(item: ReviewItem, info: EnrollmentInfo | None = None, threshold: int = 40
                ) -> str:  # fmt: skip
    """What the supervisor reads about one enrollment, as rich text (no codes, no raw values).

    ``info`` (the enrollment as loaded for the review) adds the number of attempts."""
    e = escape
    lines = [f'<span style="font-size:13pt"><b>{e(item.resident_name)}</b></span>']
    badges = []
    if item.new_person:
        badges.append(badge(_("New person (DC01) — not in the register"), "#4a4a9c"))
    if item.possible_duplicate:
        badges.append(badge(_("Possible duplicate"), "#b00020"))
    if item.redo_reason:
        badges.append(badge(_("Second enrollment (làm lại hồ sơ)"), "#a15c00"))
    if item.exceptions:
        badges.append(badge(_("Exception"), "#a15c00"))
    if badges:
        lines.append(" ".join(badges))
    if item.possible_duplicate:
        lines.append('<span style="color:#b00020"><b>' + e(_(
            "Another open enrollment of this person exists: check that this is not the same "
            "application twice before approving.")) + "</b></span>")  # fmt: skip
    if item.redo_reason:
        why = redo_reason_text(item.redo_reason)
        text = _("Enrolled again on purpose: {reason}").format(reason=why)
        if item.redo_note:
            text += " — " + _("note: “{note}”").format(note=item.redo_note)
        lines.append(e(text))
    when = to_local(item.submitted_at).strftime("%H:%M, %d/%m/%Y") if item.submitted_at else "–"
    place = label(PLACES, item.place)
    lines += [
        e(_("Slip: {no}").format(no=item.receipt_no or "–")),
        e(_("Received by: {name}").format(name=item.officer_name or "–")),
        e(_("Place: {place} · received at {time}").format(place=place, time=when)),
    ]
    if item.is_correction:
        text = _("A correction of an enrollment that was sent back.")
        if item.returned_note:
            text += " " + _("It was sent back with: “{note}”").format(note=item.returned_note)
        lines.append(f"<i>{e(text)}</i>")
    lines += exception_lines(item.exceptions)
    if item.new_person and info is not None:
        lines += typed_lines(info)
    if item.corrections:
        lines.append("<br><b>" + e(_("Data corrected against the register:")) + "</b>")
        for field, before, after in item.corrections:
            lines.append(f"{e(field_name(field))}: <s>{e(_shown_value(field, before))}</s>"
                         f" → <b>{e(_shown_value(field, after))}</b>")  # fmt: skip
    elif not item.new_person:
        lines.append("<br>" + e(_("The register's data was confirmed unchanged.")))
    lines.append("<br><b>" + e(_("Portrait checks")) + "</b>")
    if info is not None and info.portrait is not None:
        lines.append(e(_("Captures tried: {n}.").format(n=info.portrait.attempts)))
    if item.bedridden:
        text = _("Taken lying down (bedridden mode)")
        if item.rotation:
            text += " — " + _("the picture was turned {deg}° to be upright").format(
                deg=item.rotation)  # fmt: skip
        lines.append(e(text + "."))
    if item.checks:
        lines += check_lines(item.checks, item.rotation)
    else:
        lines.append(e(_("No quality report was kept with this portrait.")))
    if info is not None:
        lines += finger_lines(info, threshold)
    return "<br>".join(lines)


def finger_lines(info: EnrollmentInfo, threshold: int = 40) -> list[str]:
    """The fingerprints in words: how many of the ten were taken, each condition with its note,
    each print kept below the threshold, and the attempts (the prints are shown beside)."""
    e = escape
    flat = [p for p in info.fingerprints if p.impression != "rolled"]
    rolled = [p for p in info.fingerprints if p.impression == "rolled"]
    lines = ["<br><b>" + e(_("Fingerprints")) + "</b>"]
    if not flat:
        lines.append(e(_("No fingerprints were taken.")))
        return lines
    taken = [p for p in flat if p.taken]
    text = _("{n} of 10 fingers printed").format(n=len(taken))
    if rolled:
        text += " · " + _("{n} rolled").format(n=sum(p.taken for p in rolled))
    if taken:
        attempts = sum(p.attempts for p in taken) / len(taken)
        text += " · " + _("{mean} attempts per finger on average").format(
            mean=f"{attempts:.1f}".replace(".", "," if language() == "vi" else "."))
    lines.append(e(text + "."))
    for p in sorted(info.fingerprints, key=lambda p: (p.impression == "rolled", p.finger)):
        name = label(FINGERS, str(p.finger))
        if p.condition:
            line = f"{name}: {label(FINGER_CONDITIONS, p.condition).lower()}"
            if p.note:
                line += " — " + _("note: “{note}”").format(note=p.note)
            lines.append('<span style="color:#a15c00">' + e(line) + "</span>")
        elif p.quality is not None and p.quality < threshold:
            lines.append('<span style="color:#a15c00">' + e(_(
                "{finger}: kept at {score} points, below the threshold of {threshold}, after "
                "{n} attempts").format(finger=name, score=p.quality, threshold=threshold,
                                       n=p.attempts)) + "</span>")  # fmt: skip
    return lines


def list_text(item: ReviewItem) -> str:
    """A line of the list: time, name, what to look at; then slip number and officer."""
    when = to_local(item.submitted_at).strftime("%d/%m %H:%M") if item.submitted_at else ""
    tags = []
    if item.possible_duplicate:
        tags.append(_("possible duplicate"))
    if item.exceptions:
        tags.append(_("exception"))
    if item.new_person:
        tags.append("DC01")
    if item.corrections:
        tags.append(_("data corrected"))
    if item.is_correction:
        tags.append(_("sent back, corrected"))
    if item.redo_reason:
        tags.append(_("enrolled again"))
    if any(c.result == "fail" for c in item.checks):
        tags.append(_("photo check not met"))
    tag = f"  [{', '.join(tags)}]" if tags else ""
    second = f"{item.receipt_no or ''} · {item.officer_name or ''}"
    return f"{when}  {item.resident_name}{tag}\n    {second}"


class DayReviewDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.current: EnrollmentInfo | None = None
        self.items: dict[str, ReviewItem] = {}
        self.setWindowTitle(_("Day review"))
        self.resize(1150, 680)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        self.list.setMinimumWidth(380)
        self.list.setWordWrap(True)  # a long list of tags wraps instead of scrolling sideways
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count = QLabel()
        self.count.setObjectName("reviewCount")
        self.portrait = QLabel()
        self.portrait.setObjectName("reviewPortrait")
        self.portrait.setFixedSize(180, 240)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setStyleSheet("background: #eceef2;")
        self.facts = QLabel()
        self.facts.setObjectName("reviewFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.facts)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.note = QPlainTextEdit()
        self.note.setObjectName("reviewNote")
        self.note.setPlaceholderText(_("Note for the officer (needed to send back)"))
        self.note.setMaximumHeight(80)
        self.approve_button = QPushButton(_("Approve"))
        self.approve_button.setObjectName("reviewApprove")
        self.back_button = QPushButton(_("Send back"))
        self.back_button.setObjectName("reviewSendBack")
        self.reload_button = QPushButton(_("Refresh"))
        close = QPushButton(_("Close"))
        close.setObjectName("reviewClose")
        self.approve_button.clicked.connect(self.approve)
        self.back_button.clicked.connect(self.send_back)
        self.reload_button.clicked.connect(self.reload)
        close.clicked.connect(self.reject)
        self.status = QLabel()
        self.status.setObjectName("reviewStatus")
        self.status.setWordWrap(True)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.count)
        lv.addWidget(self.list, 1)
        self.sync_cases = SyncCasesBox(service)
        lv.addWidget(self.sync_cases)
        lv.addWidget(self.reload_button)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.prints = FingerStrip()
        self.threshold = service.settings().fingerprint_threshold
        top = QHBoxLayout()
        top.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(scroll, 1)
        rv.addLayout(top, 1)
        rv.addWidget(self.prints)
        rv.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.approve_button)
        buttons.addSpacing(12)
        buttons.addWidget(close)
        rv.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addWidget(right, 1)
        self.list.currentItemChanged.connect(self._chosen)
        self.reload()

    # --- the list -------------------------------------------------------------------------

    def reload(self) -> None:
        self.sync_cases.reload()
        self.list.clear()
        try:
            items = self.service.waiting()
        except Exception as exc:
            show_error(self, exc)
            items = []
        self.items = {i.uuid: i for i in items}
        for item in items:
            row = QListWidgetItem(list_text(item))
            row.setData(Qt.ItemDataRole.UserRole, item.uuid)
            self.list.addItem(row)
        self._count()
        if items:
            self.list.setCurrentRow(0)
        else:
            self._show(None, None)

    def _count(self) -> None:
        self.count.setText(_("{n} waiting for approval").format(n=self.list.count()))

    def _chosen(self, row: QListWidgetItem | None, _previous: Any = None) -> None:
        if row is None:
            self._show(None, None)
            return
        try:
            info, jpeg = self.service.for_review(row.data(Qt.ItemDataRole.UserRole))
        except Exception as exc:
            show_error(self, exc)
            return
        self._show(info, jpeg)

    def _show(self, info: EnrollmentInfo | None, jpeg: bytes | None) -> None:
        self.current = info
        self.approve_button.setEnabled(info is not None)
        self.back_button.setEnabled(info is not None)
        self.note.clear()
        self.portrait.clear()
        self.prints.show_prints(self.service, info.uuid if info else None,
                                info.fingerprints if info else (), self.threshold)  # fmt: skip
        if info is None:
            self.facts.setText(escape(_("Nothing is waiting for approval.")))
            return
        pix = QPixmap()
        if jpeg and pix.loadFromData(jpeg):
            self.portrait.setPixmap(
                pix.scaled(
                    self.portrait.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.portrait.setText(_("No portrait"))
        item = self.items.get(info.uuid)
        self.facts.setText(review_html(item, info, self.threshold) if item is not None else
                           f"<b>{escape(info.resident_name)}</b>")  # fmt: skip

    # --- deciding -------------------------------------------------------------------------

    def approve(self) -> None:
        info = self.current
        if info is None:
            return
        try:
            self.service.approve(info.uuid, note=self.note.toPlainText())
        except Exception as exc:
            show_error(self, exc)
            return
        self._decided(info, _("Approved enrollment no. {slip} ({name}).").format(
            slip=info.receipt_no or "–", name=info.resident_name))  # fmt: skip

    def send_back(self) -> None:
        info = self.current
        if info is None:
            return
        note = self.note.toPlainText().strip()
        if not note:
            self.status.setText(_("Write what the officer must correct."))
            self.note.setFocus()
            return
        try:
            self.service.send_back(info.uuid, note)
        except Exception as exc:
            show_error(self, exc)
            return
        self._decided(info, _("Sent enrollment no. {slip} back to {officer}.").format(
            slip=info.receipt_no or "–", officer=info.officer_name or "–"))  # fmt: skip

    def _decided(self, info: EnrollmentInfo, said: str) -> None:
        """Take the decided row out and select the one that took its place; the scroll stays
        where the supervisor had it."""
        bar = self.list.verticalScrollBar()
        scrolled = bar.value()
        rows = [self.list.item(i) for i in range(self.list.count())]
        index = next((i for i, row in enumerate(rows)
                      if row is not None and row.data(Qt.ItemDataRole.UserRole) == info.uuid),
                     None)  # fmt: skip
        if index is not None:
            self.list.blockSignals(True)  # one load of the next enrollment, below
            self.list.takeItem(index)
            if self.list.count():
                self.list.setCurrentRow(min(index, self.list.count() - 1))
            self.list.blockSignals(False)
            self.items.pop(info.uuid, None)
            self._count()
            bar.setValue(min(scrolled, bar.maximum()))
            self._chosen(self.list.currentItem() if self.list.count() else None)
        self.status.setText(said)
