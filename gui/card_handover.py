"""Thẻ căn cước → Trả thẻ: hand a card to its holder (db/cards.deliver, issue 17).

The officer scans the card (or the slip) or types a number; the portrait on file is shown big
enough to compare with the face in front of the desk, with who the register says the card is
for and when it arrived. The handover is recorded only by "Xác nhận đã trả thẻ" — never by the
Enter that ends a scan — and a refusal (handed over already, not arrived, not approved, not
found) is said in the dialog in words with what to do, so the next person can be scanned at
once. Reads and writes run off the UI thread (gui/ops.run_op; writes in the desk's writer).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import CardNotApproved, CardNotArrived, StationError
from db.labels import CARD_PLACES, label
from db.service import StationService
from db.types import CardInfo
from gui.card_words import (
    ADVICE,
    GREEN,
    GREY,
    PORTRAIT,
    RED,
    card_ref,
    coloured,
    day_text,
    delivered_text,
    keep_enter_for_the_box,
    refusal,
    scan_box,
)
from gui.ops import run_op
from resources.i18n import _


class HandoverDialog(QDialog):
    """``ref``: open on a chosen person's card (the lookup, the list of cards waiting)."""

    shown_card = Signal(object)  # the CardInfo on screen (tests, screenshots)
    delivered = Signal(object)  # the CardInfo handed over
    refused = Signal(str)  # the refusal's words

    def __init__(self, service: StationService, parent: QWidget | None = None,
                 ref: str | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.service = service
        self.info: CardInfo | None = None
        self._asked = 0  # the latest look-up: an older answer arriving late is dropped
        self.setWindowTitle(_("Hand a card over"))
        self.resize(820, 600)
        self.box = scan_box("handoverBox")
        find = QPushButton(_("Find"))
        find.setObjectName("handoverFind")
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(find)

        self.portrait = QLabel()
        self.portrait.setObjectName("handoverPortrait")
        self.portrait.setFixedSize(*PORTRAIT)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setWordWrap(True)
        self.portrait.setStyleSheet("border: 1px solid #999; background: #f4f4f4;")
        self.name = QLabel()
        self.name.setObjectName("handoverName")
        self.name.setWordWrap(True)
        self.name.setStyleSheet("font-size: 17pt; font-weight: bold;")  # over the app's 11pt
        self.fields = {k: QLabel() for k in ("birth", "pid", "village", "slip", "arrived",
                                             "phone")}  # fmt: skip
        for key, widget in self.fields.items():
            widget.setObjectName(f"handover_{key}")
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts = QFormLayout()
        facts.addRow(self.name)
        facts.addRow(_("Date of birth:"), self.fields["birth"])
        facts.addRow(_("ID number:"), self.fields["pid"])
        facts.addRow(_("Village:"), self.fields["village"])
        facts.addRow(_("Phone:"), self.fields["phone"])
        facts.addRow(_("Slip number:"), self.fields["slip"])
        facts.addRow(_("Card arrived:"), self.fields["arrived"])
        person = QHBoxLayout()
        person.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignTop)
        person.addSpacing(12)
        person.addLayout(facts, 1)

        self.message = QLabel()
        self.message.setObjectName("handoverMessage")
        self.message.setWordWrap(True)
        self.arrive_button = QPushButton(_("Record that this card has arrived"))
        self.arrive_button.setObjectName("handoverArrive")
        self.arrive_button.setVisible(False)
        self.confirm = QPushButton(_("Confirm the card was handed over"))
        self.confirm.setObjectName("handoverConfirm")
        close = QPushButton(_("Close"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.arrive_button)
        bottom.addStretch(1)
        bottom.addWidget(self.confirm)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(person, 1)
        self.how = self._how_box()
        layout.addWidget(self.how)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.box.returnPressed.connect(self.look_up)
        find.clicked.connect(self.look_up)
        self.confirm.clicked.connect(self.hand_over)
        self.arrive_button.clicked.connect(self.record_arrival)
        close.clicked.connect(self.reject)
        keep_enter_for_the_box(self)
        self._clear_person()
        if ref:
            self.box.setText(ref)
            self.look_up()
        self.box.setFocus()

    def _how_box(self) -> QGroupBox:
        box = QGroupBox(_("How the card is handed over"))
        self.places = QButtonGroup(self)
        row = QHBoxLayout()
        for code in ("hq", "home", "post"):
            radio = QRadioButton(label(CARD_PLACES, code))
            radio.setObjectName(f"handoverPlace_{code}")
            self.places.addButton(radio)
            radio.setProperty("code", code)
            row.addWidget(radio)
            if code == "hq":
                radio.setChecked(True)
        row.addStretch(1)
        self.where = QLineEdit()
        self.where.setObjectName("handoverWhere")
        self.where.setMaxLength(300)
        self.where.setPlaceholderText(_("e.g. the person's house, bản Nà Hỳ 2"))
        self.receipt = QLineEdit()
        self.receipt.setObjectName("handoverReceipt")
        self.receipt.setMaxLength(100)
        self.where_label = QLabel(_("Where handed over:"))
        self.receipt_label = QLabel(_("Postal receipt number:"))
        form = QFormLayout()
        form.addRow(self.where_label, self.where)
        form.addRow(self.receipt_label, self.receipt)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addLayout(form)
        self.places.buttonToggled.connect(lambda _b, _on: self._changed())
        self.where.textChanged.connect(lambda _t: self._changed())
        self.receipt.textChanged.connect(lambda _t: self._changed())
        return box

    # --- what is asked ----------------------------------------------------------------------

    def place(self) -> str:
        button = self.places.checkedButton()
        return str(button.property("code")) if button is not None else "hq"

    def note(self) -> str:
        place = self.place()
        return (self.where.text() if place == "home" else
                self.receipt.text() if place == "post" else "").strip()  # fmt: skip

    def _changed(self) -> None:
        place = self.place()
        for widget in (self.where, self.where_label):
            widget.setVisible(place == "home")
        for widget in (self.receipt, self.receipt_label):
            widget.setVisible(place == "post")
        ready = self.info is not None and self.info.status == "card_ready"
        self.how.setEnabled(ready)
        self.confirm.setEnabled(ready and (place == "hq" or bool(self.note())))

    # --- finding the card -------------------------------------------------------------------

    def look_up(self) -> None:
        ref = self.box.text().strip()
        if ref:
            self._look(ref)

    def _look(self, ref: str) -> None:
        self._asked += 1
        asked, service = self._asked, self.service
        self._clear_person()
        coloured(self.message, _("Looking for the card…"), GREY)
        run_op(self, lambda: service.card(ref), lambda r: self._found(asked, r),
               lambda exc: self._not_found(asked, exc))  # fmt: skip

    def _found(self, asked: int, result: tuple[CardInfo, bytes | None]) -> None:
        if asked != self._asked:
            return
        info, jpeg = result
        self.info = info
        self._show_person(info, jpeg)
        self.box.clear()
        if info.status == "card_ready":
            coloured(self.message, _("Compare the portrait with the person, choose how the "
                                      "card is handed over, then confirm."), GREY)  # fmt: skip
        elif info.status == "delivered":
            self._refuse(delivered_text(info))
        elif info.status == "approved":
            self._refuse(_("This card has not arrived yet: record its arrival first.") + " "
                         + _(ADVICE[CardNotArrived]))  # fmt: skip
            self.arrive_button.setVisible(True)
        else:
            self._refuse(_("This enrollment is not approved yet, so its card cannot have "
                           "arrived.") + " " + _(ADVICE[CardNotApproved]))  # fmt: skip
        self._changed()
        self.box.setFocus()
        self.shown_card.emit(info)

    def _not_found(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        if not isinstance(exc, StationError):
            from gui.errors import show_error

            self.message.clear()
            show_error(self, exc)
            return
        self.box.selectAll()  # a typing slip is fixed over, a new scan replaces it
        self.box.setFocus()
        self._refuse(refusal(exc))

    def _refuse(self, text: str) -> None:
        coloured(self.message, text, RED)
        self.refused.emit(text)

    def _show_person(self, info: CardInfo, jpeg: bytes | None) -> None:
        pixmap = QPixmap()
        if jpeg and pixmap.loadFromData(jpeg):
            self.portrait.setPixmap(pixmap.scaled(
                *PORTRAIT, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))  # fmt: skip
        else:
            self.portrait.setText(_("No portrait on file"))
        self.name.setText(info.full_name)
        self.fields["birth"].setText(info.birth_text())
        self.fields["pid"].setText(info.personal_id or "—")
        self.fields["village"].setText(info.village or "—")
        self.fields["phone"].setText(info.phone or "—")
        self.fields["slip"].setText(info.slip_no or "—")
        self.fields["arrived"].setText(day_text(info.arrived_at) or _("not yet"))

    def _clear_person(self) -> None:
        self.info = None
        self.portrait.clear()
        self.portrait.setText(_("Scan the card to see the portrait on file"))
        self.name.setText("")
        for widget in self.fields.values():
            widget.setText("")
        self.arrive_button.setVisible(False)
        self._changed()

    # --- recording --------------------------------------------------------------------------

    def hand_over(self) -> None:
        info = self.info
        if info is None or not self.confirm.isEnabled():
            return
        from gui.wizard.context import writer_pool

        self.confirm.setEnabled(False)
        service, ref, place, note = self.service, card_ref(info), self.place(), self.note()
        run_op(self, lambda: service.deliver_card(ref, place, note or None), self._handed,
               self._hand_failed, pool=writer_pool())  # fmt: skip

    def _handed(self, info: CardInfo) -> None:
        """Done: said in green, and the dialog is ready for the next person."""
        self._clear_person()
        self.where.clear()
        self.receipt.clear()
        place = label(CARD_PLACES, info.delivered_place)
        done = _("Card handed over to {name} ({place}). Scan the next card.")
        coloured(self.message, "✓ " + done.format(name=info.full_name, place=place), GREEN)
        self.box.setFocus()
        self.delivered.emit(info)

    def _hand_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StationError):
            from gui.errors import show_error

            self._changed()
            show_error(self, exc)
            return
        self._refuse(refusal(exc))
        self.confirm.setEnabled(False)  # the card's state changed under us: scan it again

    def record_arrival(self) -> None:
        """The card is in hand but was never recorded as arrived: record it, then show it."""
        info = self.info
        if info is None:
            return
        from gui.wizard.context import writer_pool

        self.arrive_button.setEnabled(False)
        service, ref = self.service, card_ref(info)

        def done(_outcomes: object) -> None:
            self.arrive_button.setEnabled(True)
            self._look(ref)

        def failed(exc: BaseException) -> None:
            self.arrive_button.setEnabled(True)
            self._refuse(refusal(exc))

        run_op(self, lambda: service.cards_arrived([ref]), done, failed, pool=writer_pool())
