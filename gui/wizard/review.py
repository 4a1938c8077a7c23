"""Step 3: everything on one page, then save (submit: slip number and return date).

Saving is the one write that cannot be repeated (it takes a slip number), so it goes through
the wizard's guarded Next like every other step; the wizard refuses a second click meanwhile.

Before saving, the officer can print the information sheet the citizen checks and signs or
thumbprints (Ctrl+I, A5 or A4): built off the UI thread through the core (who may print it,
and the print audited), shown in the audited preview (saving it as a PDF is audited too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from capture.fingerprint.fingers import CONDITION_NAMES, FINGER_NAMES
from db import corrections as corr
from db.labels import FIELD_LABELS, PLACES, label
from db.types import EnrollmentInfo
from gui.errors import show_error
from gui.print_preview import PrintPreviewDialog, show_audited_preview
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from printing.text import fingers_summary
from resources.i18n import N_, _, ngettext

PAPERS = (("a5", "A5"), ("a4", "A4"))
SHEET_FILE = "phieu-thu-nhan-thong-tin.pdf"  # no name in it: the file name is seen by anyone
_paper = {"last": "a5"}  # the paper chosen last, kept for the next person of the session


class ReviewStep(WizardStep):
    name = "review"
    title = N_("Review")

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.photo = QLabel()
        self.photo.setFixedSize(240, 320)
        self.photo.setObjectName("portraitThumb")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = QLabel()
        self.notice.setObjectName("reviewNotice")
        self.notice.setWordWrap(True)
        left = QWidget()
        left.setLayout(self.form)
        right = QVBoxLayout()
        right.addWidget(self.photo)
        right.addWidget(self.notice)
        right.addStretch(1)
        right.addLayout(self._sheet_row())
        heading = QLabel(_("Check everything with the person, then save (Enter)."))
        heading.setObjectName("stepHeading")
        body = QHBoxLayout()
        body.addWidget(left, 1)
        body.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(body, 1)

    def _sheet_row(self) -> QVBoxLayout:
        """The paper (A5 / A4) and the button that prints the information sheet."""
        self.paper = QComboBox()
        self.paper.setObjectName("sheetPaper")
        for code, name in PAPERS:
            self.paper.addItem(name, code)
        self.paper.setCurrentIndex(max(0, self.paper.findData(_paper["last"])))
        self.paper.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Enter stays the wizard's
        self.paper.currentIndexChanged.connect(
            lambda _i: _paper.update(last=str(self.paper.currentData())))
        paper_label = QLabel(_("Paper:"))
        paper_label.setBuddy(self.paper)
        line = QHBoxLayout()
        line.addWidget(paper_label)
        line.addWidget(self.paper, 1)
        self.sheet_button = QPushButton(_("Print the information sheet… (Ctrl+I)"))
        self.sheet_button.setObjectName("infoSheet")
        self.sheet_button.setToolTip(_("The sheet the citizen checks and signs, or "
                                       "thumbprints, before the application is saved"))
        self.sheet_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.sheet_button.clicked.connect(self.print_sheet)
        self.sheet_preview: PrintPreviewDialog | None = None
        box = QVBoxLayout()
        box.addLayout(line)
        box.addWidget(self.sheet_button)
        return box

    def shortcuts(self) -> list[tuple[str, Callable[[], object]]]:
        return [("Ctrl+I", self.print_sheet)]

    def print_sheet(self) -> None:
        """Build the sheet off the UI thread (once at a time), then show it to print."""
        info = self.ctx.info
        if info is None or not self.sheet_button.isEnabled():
            return
        self.sheet_button.setEnabled(False)
        service, uuid = self.ctx.service, info.uuid
        layout = str(self.paper.currentData())
        self.ctx.read(self, lambda: service.information_sheet(uuid, layout),
                      lambda pdf: self._show_sheet(uuid, pdf), self._sheet_failed)  # fmt: skip

    def _show_sheet(self, uuid: str, pdf: bytes) -> None:
        self.sheet_button.setEnabled(True)
        if self.sheet_preview is not None:
            self.sheet_preview.close()
            self.sheet_preview.deleteLater()
        self.sheet_preview = show_audited_preview(
            self, self.ctx.service, pdf, _("Citizen ID information sheet"), SHEET_FILE,
            "enrollment", uuid)  # fmt: skip

    def _sheet_failed(self, exc: BaseException) -> None:
        self.sheet_button.setEnabled(True)
        show_error(self, exc)

    def next_label(self) -> str:
        return _("Save (Enter)")

    def entered(self) -> None:
        info = self.ctx.info
        if info is None:
            return
        service, uuid = self.ctx.service, info.uuid
        self.ctx.read(self, lambda: (service.enrollment(uuid), service.portrait(uuid)),
                      self._show)  # fmt: skip
        self.setFocus()

    def _show(self, loaded: tuple[EnrollmentInfo, bytes | None]) -> None:
        info, jpeg = loaded
        while self.form.rowCount():
            self.form.removeRow(0)
        details = info.draft.get("details") or {}
        values = details.get("values") or {}
        corrected = details.get("corrections") or {}
        sex = {"M": _("Male"), "F": _("Female")}
        for field, title in FIELD_LABELS.items():
            text = values.get(field, "")
            text = sex.get(text, text) if field == "sex" else text
            value = QLabel(text or "—")
            value.setObjectName(f"review_{field}")
            if field in corrected:
                value.setText(_("{value} (corrected)").format(value=text or "—"))
                value.setProperty("kind", "corrected")
            self.form.addRow(_(title) + ":", value)
        self.form.addRow(_("Place") + ":", QLabel(label(PLACES, info.place)))
        asked = details.get("vneid")
        if isinstance(asked, dict) and asked.get("phone"):
            phone = corr.fmt_phone(str(asked["phone"]))
            text = (_("Requested, mobile {phone}, e-mail {email}").format(
                        phone=phone, email=asked["email"]) if asked.get("email")
                    else _("Requested, mobile {phone}").format(phone=phone))  # fmt: skip
            vneid = QLabel(text)
            vneid.setObjectName("review_vneid")
            self.form.addRow(_("Level-2 account") + ":", vneid)
        if info.portrait is not None:
            pose = (_("Lying down (bedridden mode)") if info.portrait.bedridden
                    else _("Sitting or standing"))  # fmt: skip
            pose_label = QLabel(pose)
            pose_label.setObjectName("review_pose")
            self.form.addRow(_("Portrait") + ":", pose_label)
        flat = [p for p in info.fingerprints if p.impression != "rolled"]
        if flat:
            prints = QLabel(fingers_summary(
                sum(p.taken for p in flat),
                [(FINGER_NAMES[p.finger], CONDITION_NAMES[p.condition])
                 for p in sorted(flat, key=lambda p: p.finger) if p.condition]))  # fmt: skip
            prints.setObjectName("review_fingerprints")
            prints.setWordWrap(True)
            self.form.addRow(_("Fingerprints") + ":", prints)
        officer = info.officer_name or self.ctx.service.actor.full_name
        self.form.addRow(_("Officer") + ":", QLabel(officer))
        if jpeg:
            pix = QPixmap()
            pix.loadFromData(jpeg)
            keep, smooth = (
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.photo.setPixmap(pix.scaled(240, 320, keep, smooth))
        lines = []
        if info.exceptions:
            lines.append(
                _("Exception recorded: this enrollment waits for a supervisor's approval. The "
                  "slip says so instead of a return date.")
            )
        if info.portrait is not None and info.portrait.bedridden:
            lines.append(_("The portrait was taken lying down (bedridden)."))
        if info.place == "home":
            lines.append(_("Enrolled at home: the card is brought to the home or sent by post."))
        if corrected:
            n = len(corrected)
            lines.append(ngettext("{count} detail corrected.", "{count} details corrected.",
                                  n).format(count=n))  # fmt: skip
        self.notice.setText("\n".join(lines))

    def save_op(self) -> Callable[[], Any] | None:
        return None  # nothing is typed here; going back must never submit

    def advance_op(self) -> Callable[[], Any] | None:
        service, uuid = self.ctx.service, self.ctx.uuid
        return lambda: service.submit(uuid)

    def advanced(self, result: Any) -> None:
        self.ctx.info = result
