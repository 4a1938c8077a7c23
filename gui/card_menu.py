"""The Thẻ căn cước menu: cards that arrived from the province, handing a card over, the cards
waiting (issue 17) — for the roles that hand cards out (``card.handle``: officers and
supervisors, not the administrator). Worked out again when the user changes at the lock
screen, as the Supervision menu is (gui/station_menus.py); hiding is a courtesy only, the
service refuses anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from db.service import StationService
from resources.i18n import _

#: Free in the whole window (the wizard's keys are F5–F8 and Ctrl+O/B/P/G/H/K, the lock Ctrl+L).
SHORTCUTS = {"arrival": "Ctrl+Shift+A", "handover": "Ctrl+Shift+H", "waiting": "Ctrl+Shift+W"}


class CardMenu:
    def __init__(self, window: QMainWindow, service_of: Callable[[], StationService],
                 before: QAction | None = None) -> None:  # fmt: skip
        """``before``: the menu it is put in front of (else at the end of the bar)."""
        self.window, self.service_of = window, service_of
        bar = window.menuBar()
        self.menu = QMenu(_("&Cards"), bar)
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        self.arrival = self._add(_("Record cards &arrived…"), self.open_arrival, "arrival")
        self.handover = self._add(_("&Hand a card over…"), self.open_handover, "handover")
        self.waiting = self._add(_("Cards &waiting…"), self.open_waiting, "waiting")
        self.refresh()

    def _add(self, text: str, slot: Callable[[], object], key: str) -> QAction:
        action = QAction(text, self.menu)
        action.setShortcut(QKeySequence(SHORTCUTS[key]))
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def refresh(self) -> None:
        """Shown only to a role that hands cards out (the shortcuts follow the menu)."""
        ok = self.service_of().allowed("card.handle")
        self.menu.menuAction().setVisible(ok)
        for action in self.menu.actions():
            action.setEnabled(ok)

    @property
    def visible(self) -> bool:
        return self.menu.menuAction().isVisible()

    def open_arrival(self) -> None:
        from gui.card_arrival import ArrivalDialog

        ArrivalDialog(self.service_of(), self.window).exec()

    def open_handover(self) -> None:
        from gui.card_handover import HandoverDialog

        HandoverDialog(self.service_of(), self.window).exec()

    def open_waiting(self) -> None:
        from gui.cards_dialog import WaitingDialog

        WaitingDialog(self.service_of(), self.window).exec()
