"""Thẻ căn cước → Thẻ chờ trả: the cards that arrived and wait for their holder (issue 17).

By village, with phone numbers (someone calls or the village head is told) and the day each
card came; those enrolled at home are marked (their card goes back to them). Printed as the
notice list (danh sách thông báo) or the handover register (sổ trả thẻ, for signatures or
thumbprints) for what is shown — built off the UI thread like the coverage sheet, and saved
only through the audited preview. A row opens the handover of that card.

The recording screens are gui/card_arrival.py and gui/card_handover.py; the menu that opens all
three is gui/card_menu.py.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.labels import PLACES, label
from db.service import StationService
from db.types import CardInfo
from db.vntime import today_local
from gui.card_words import RED, card_ref, coloured, day_text, refusal
from gui.ops import run_op
from resources.i18n import _, ngettext


def _columns() -> list[str]:
    return [_("Village"), _("Full name"), _("Date of birth"), _("Phone"), _("Slip number"),
            _("Card arrived"), _("Enrolled at")]  # fmt: skip


def cells(c: CardInfo) -> list[str]:
    return [c.village or "", c.full_name, c.birth_text(), c.phone or "", c.slip_no,
            day_text(c.arrived_at), label(PLACES, c.enrolled_place)]  # fmt: skip


#: What each print button makes: the sheet's title on screen and the file name offered.
SHEETS = {"waiting": "the-cho-tra", "handover": "so-tra-the"}


class WaitingDialog(QDialog):
    shown = Signal(object)  # list[CardInfo] on screen (tests, screenshots)
    built = Signal(bytes)

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.cards: list[CardInfo] = []
        self.setWindowTitle(_("Cards waiting to be handed over"))
        self.resize(1100, 640)
        self.village = QComboBox()
        self.village.setObjectName("waitingVillage")
        self.village.setMinimumContentsLength(18)
        self.home_only = QCheckBox(_("Only people enrolled at home"))
        self.home_only.setObjectName("waitingHomeOnly")
        reload = QPushButton(_("Refresh"))
        reload.setObjectName("waitingReload")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Village:")))
        top.addWidget(self.village)
        top.addWidget(self.home_only)
        top.addStretch(1)
        top.addWidget(reload)
        self.summary = QLabel()
        self.summary.setObjectName("waitingSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(_columns()))
        self.table.setObjectName("waitingTable")
        self.table.setHorizontalHeaderLabels(_columns())
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setToolTip(_("Double-click a person to hand their card over."))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.handover_button = QPushButton(_("Hand this card over…"))
        self.handover_button.setObjectName("waitingHandover")
        self.notice_button = QPushButton(_("Print the notice list…"))
        self.notice_button.setObjectName("waitingPrintNotice")
        self.register_button = QPushButton(_("Print the handover register…"))
        self.register_button.setObjectName("waitingPrintRegister")
        self.plan_button = QPushButton(_("Plan taking them home…"))
        self.plan_button.setObjectName("waitingPlanHome")
        self.plan_button.setToolTip(_("Put the people shown (or chosen) on a home-visit plan "
                                      "that takes their card to them"))  # fmt: skip
        self.plan_button.setVisible(service.allowed("visit.plan"))
        close = QPushButton(_("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.handover_button)
        buttons.addWidget(self.plan_button)
        buttons.addStretch(1)
        self.public = QCheckBox(_("To post in the village (numbers cut)"))
        self.public.setObjectName("waitingPublic")
        self.public.setToolTip(_("The notice list shows only the last digits of ID and phone "
                                 "numbers, for a list posted or read out in the village"))
        buttons.addWidget(self.public)
        buttons.addWidget(self.notice_button)
        buttons.addWidget(self.register_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        reload.clicked.connect(self.refresh)
        self.village.currentIndexChanged.connect(lambda _i: self._fill())
        self.home_only.toggled.connect(lambda _on: self._fill())
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.hand_over())
        self.handover_button.clicked.connect(self.hand_over)
        self.plan_button.clicked.connect(self.plan_home)
        self.notice_button.clicked.connect(lambda: self._print("waiting"))
        self.register_button.clicked.connect(lambda: self._print("handover"))
        close.clicked.connect(self.reject)
        self.refresh()

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every card waiting once (an audited read); the filters only choose rows."""
        self.summary.setStyleSheet("")
        self.summary.setText(_("Loading…"))
        run_op(self, self.service.cards_waiting, self._loaded, self._failed)

    def _loaded(self, found: list[CardInfo]) -> None:
        self.cards = found
        chosen = self.chosen_village()
        villages = dict.fromkeys(c.village for c in found if c.village)  # the core's order
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(_("All villages"), None)
        for v in villages:
            self.village.addItem(v, v)
        index = self.village.findData(chosen) if chosen else 0
        self.village.setCurrentIndex(max(index, 0))
        self.village.blockSignals(False)
        self._fill()

    def chosen_village(self) -> str | None:
        v = self.village.currentData()
        return str(v) if v else None

    def shown_cards(self) -> list[CardInfo]:
        village, home = self.chosen_village(), self.home_only.isChecked()
        return [c for c in self.cards if (village is None or c.village == village)
                and (not home or c.enrolled_place == "home")]  # fmt: skip

    def _fill(self) -> None:
        shown = self.shown_cards()
        self.table.clearSelection()  # a row of the old filter is another person now
        self.table.setRowCount(len(shown))
        for row, c in enumerate(shown):
            for col, text in enumerate(cells(c)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        n, total = len(shown), len(self.cards)
        self.summary.setStyleSheet("")
        if total == 0:
            self.summary.setText(_("No card is waiting: every card that arrived has been handed "
                                   "over."))  # fmt: skip
        else:
            self.summary.setText(ngettext("{n} card waiting", "{n} cards waiting", n).format(n=n)
                                 + (" " + _("(of {total})").format(total=total)
                                    if n != total else ""))  # fmt: skip
        for button in (self.notice_button, self.register_button, self.plan_button):
            button.setEnabled(bool(shown))
        self._selection()
        self.shown.emit(shown)

    def _selection(self) -> None:
        self.handover_button.setEnabled(self.selected() is not None)

    def selected(self) -> CardInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        shown = self.shown_cards()
        return shown[min(rows)] if rows and min(rows) < len(shown) else None

    def _failed(self, exc: BaseException) -> None:
        coloured(self.summary, refusal(exc), RED)

    # --- from the list ----------------------------------------------------------------------

    def hand_over(self) -> None:
        card = self.selected()
        if card is None:
            return
        from gui.card_handover import HandoverDialog

        dialog = HandoverDialog(self.service, self, ref=card_ref(card))
        dialog.exec()
        self.refresh()

    def plan_home(self) -> None:
        """The cards of people who cannot come (enrolled at home, most of them) go to them: a
        delivery visit plan of the person chosen, or of everyone shown."""
        from gui.visits_dialog import Candidate, VisitsDialog

        chosen = self.selected()
        cards = [chosen] if chosen is not None else self.shown_cards()
        people = [Candidate(c.resident_uuid, c.full_name, c.birth_text(), c.village or "", "",
                            "search") for c in cards if c.resident_uuid and not c.copy]
        VisitsDialog(self.service, self, people, mode="deliver").exec()

    def _print(self, kind: str) -> None:
        """The notice list ("waiting") or the handover register ("handover") of the rows shown
        (printing/cards.py), built on a worker thread."""
        service, cards, village = self.service, self.shown_cards(), self.chosen_village()
        public = self.public.isChecked()
        if not cards:
            return
        for button in (self.notice_button, self.register_button):
            button.setEnabled(False)

        def op() -> bytes:
            from printing.cards import build_card_list

            return build_card_list(service.card_list_sheet(kind, cards, village,
                                                           public=public))  # fmt: skip

        run_op(self, op, lambda pdf: self._built(kind, pdf), self._print_failed)

    def _built(self, kind: str, pdf: bytes) -> None:
        from gui.print_preview import show_audited_preview

        self._fill()
        title = _("Cards waiting: notice list") if kind == "waiting" else \
            _("Card handover register")  # fmt: skip
        name = f"{SHEETS[kind]}-{today_local().isoformat()}.pdf"
        show_audited_preview(self, self.service, pdf, title, name, what="cards", entity_id=kind)
        self.built.emit(pdf)

    def _print_failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self._fill()
        show_error(self, exc)

