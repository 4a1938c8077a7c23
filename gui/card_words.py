"""The words the card screens share (gui/card_arrival.py, gui/card_handover.py,
gui/cards_dialog.py): a card's line and days, a refusal of the core with what to do, the scan
box, and Enter kept for it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton

from db.errors import CardAlreadyDelivered, CardNotApproved, CardNotArrived, CardNotFound
from db.labels import CARD_PLACES, label
from db.types import CardInfo
from db.vntime import local_date
from gui.errors import describe
from resources.i18n import N_, _

RED, GREEN, GREY = "#b00020", "#1b5e20", "#555555"
PORTRAIT = (240, 320)  # a face the size of the one across the desk (3:4, as captured)

#: What to do after each refusal of the core (db/cards.py; its classes are not the GUI's to
#: import, so they are known here by name).
ADVICE: dict[type[Exception], str] = {
    CardNotFound: N_("Check the number, or find the person in the lookup: the card may be "
                       "for another commune."),
    CardNotApproved: N_("The supervisor must approve the enrollment first; keep the card "
                          "aside meanwhile."),
    CardNotArrived: N_("If the card is in your hands, record its arrival now."),
    CardAlreadyDelivered: N_("Look in the handover register for who received it; a card is "
                               "never handed over twice."),
}  # fmt: skip


def day_text(at: datetime | None) -> str:
    """A moment as the day the officer reads (dd/mm/yyyy, Vietnam's calendar)."""
    return local_date(at).strftime("%d/%m/%Y") if at is not None else ""


def card_ref(info: CardInfo) -> str:
    """The reference that names exactly this card (the slip's QR payload), whatever was typed."""
    from printing.qr import slip_payload

    return slip_payload(info.enrollment_uuid, info.slip_no)


def card_line(info: CardInfo) -> str:
    """``NH-2026-000123 Nguyễn Văn An``: the slip number and the name of the register."""
    return " ".join(x for x in (info.slip_no, info.full_name) if x)


def short_ref(ref: str) -> str:
    """What was scanned, short: a card's QR by its number (the rest a scanner may garble), a
    slip's QR by its slip number."""
    from printing.qr import parse_slip_payload

    try:
        return parse_slip_payload(ref)[1]
    except ValueError:
        return ref.strip().split("|")[0][:40]


def refusal(exc: BaseException) -> str:
    """The core's sentence and what to do about it."""
    advice = next((a for kind, a in ADVICE.items() if isinstance(exc, kind)), None)
    return describe(exc) + (" " + _(advice) if advice else "")


def delivered_text(info: CardInfo) -> str:
    """A card handed over already, in words: when, how, by whom, and what to do."""
    text = _("This card was already handed over on {day}.").format(day=day_text(
        info.delivered_at))  # fmt: skip
    how = ", ".join(x for x in (label(CARD_PLACES, info.delivered_place), info.delivered_note)
                    if x)  # fmt: skip
    if how:
        text += " " + _("How: {how}.").format(how=how)
    if info.delivered_by:
        text += " " + _("Handed over by {officer}.").format(officer=info.delivered_by)
    return text + " " + _(ADVICE[CardAlreadyDelivered])


def keep_enter_for_the_box(dialog: QDialog) -> None:
    """Enter ends a scan: it must never press a button of the dialog (Qt's default button)."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


def scan_box(name: str) -> QLineEdit:
    box = QLineEdit()
    box.setObjectName(name)
    box.setMaxLength(1000)  # a card's QR text is ~150 characters
    box.setPlaceholderText(_("Scan the card or the slip, or type the slip number or ID "
                             "number, then Enter"))  # fmt: skip
    box.setClearButtonEnabled(True)
    box.setStyleSheet("font-size: 13pt; padding: 4px;")  # the box the officer's eyes go to
    return box


def coloured(widget: QLabel, text: str, colour: str) -> None:
    widget.setText(text)
    widget.setStyleSheet(f"color: {colour};")
