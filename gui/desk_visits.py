"""The desk's "home visits today" (issue 14): this station's team's visits of the day that have
no outcome yet — on a mobile laptop, the plan the work packet brought. "Start enrolling" opens
the wizard on an enrollment linked to the visit (at home when the team took the machines: the
visit closes itself when it is submitted); "Record the outcome…" is for everything else
(brought to the office, refused, not found, a new day…). Hidden when there is nothing today.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import VISIT_MODES, label
from db.service import StationService
from db.types import EnrollmentInfo, VisitInfo
from gui.ops import run_op
from gui.visit_outcome import visit_line
from resources.i18n import _, ngettext


class TodaysVisits(QWidget):
    resume_requested = Signal(str)  # the enrollment just started from a visit
    shown = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("todaysVisits")
        self.service: StationService | None = None
        self.items: list[VisitInfo] = []
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("visitsToday")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(120)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.start_button = QPushButton(_("Start enrolling"))
        self.start_button.setObjectName("visitStart")
        self.outcome_button = QPushButton(_("Record the outcome…"))
        self.outcome_button.setObjectName("visitOutcomeDesk")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.outcome_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self.start)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.list.itemActivated.connect(lambda _i: self.start())
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.setVisible(False)
        self._busy = False

    def refresh(self, service: StationService) -> None:
        self.service = service
        if not service.allowed("visit.record"):
            self.setVisible(False)
            return
        run_op(self, service.todays_visits, self._show, lambda _exc: self.setVisible(False))

    def _show(self, found: list[VisitInfo]) -> None:
        self.items = found
        n = len(found)
        self.title.setText(ngettext("Home visits today: {n} person",
                                    "Home visits today: {n} people", n).format(n=n))
        self.list.clear()
        for v in found:
            item = QListWidgetItem(f"{visit_line(v)} — {label(VISIT_MODES, v.mode)}")
            item.setToolTip("; ".join(x for x in (v.note, v.resident_note, v.phone) if x))
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
        self.setVisible(bool(found))
        self._enable()
        self.shown.emit()

    def _enable(self) -> None:
        chosen = self.selected()
        has = chosen is not None and not self._busy
        self.start_button.setText(_("Hand the card over…") if chosen is not None
                                  and chosen.mode == "deliver" else _("Start enrolling"))
        self.start_button.setEnabled(has)
        self.outcome_button.setEnabled(has)

    def selected(self) -> VisitInfo | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def start(self) -> None:
        v, service = self.selected(), self.service
        if v is None or v.uuid is None or service is None or self._busy:
            return
        if v.mode == "deliver":  # the card goes to them: the handover, portrait beside
            from gui.card_handover import HandoverDialog

            dialog = HandoverDialog(service, self, ref=v.card_slip)
            home = dialog.findChild(QRadioButton, "handoverPlace_home")
            if home is not None:  # the team is at the person's home
                home.setChecked(True)
            dialog.delivered.connect(lambda _info: self.refresh(service))
            dialog.exec()
            return
        from gui.wizard.context import writer_pool

        self._busy = True
        self._enable()
        uuid = v.uuid
        run_op(self, lambda: service.start_visit_enrollment(uuid), self._started, self._failed,
               pool=writer_pool())  # fmt: skip

    def _started(self, info: EnrollmentInfo) -> None:
        self._busy = False
        self._enable()
        self.resume_requested.emit(info.uuid)

    def _failed(self, exc: BaseException) -> None:
        from gui.errors import show_error

        self._busy = False
        self._enable()
        show_error(self, exc)

    def record_outcome(self) -> None:
        v, service = self.selected(), self.service
        if v is None or service is None:
            return
        from gui.visit_outcome import VisitOutcomeDialog

        dialog = VisitOutcomeDialog(service, v, self)
        dialog.recorded.connect(lambda _info: self.refresh(service))
        dialog.exec()
