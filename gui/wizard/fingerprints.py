"""Step 3: ten fingers in the order of the rules, each scored as it is taken.

The plan (capture/fingerprint/fingers.capture_plan): four right fingers flat, four left, the
two thumbs — as three 4-4-2 slaps when the scanner takes slaps — then, when the station's
setting asks for them, ten rolled prints. The scanner waits for the finger by itself
(gui.scanner_worker runs it in its own thread); each attempt is scored and every finger's
best attempt is stored at once (db/fingerprints.py keeps the best), so a crash resumes at the
next finger with the taken ones kept.

A finger below the threshold is taken again by itself, up to the station's number of attempts
(3: MOSIP's and Simprints' practice), each attempt's score shown with what to do ("Vân tay mờ:
ấn mạnh hơn…"). Then the officer decides: keep the best with a warning (Ctrl+G), or record a
condition (Ctrl+K; a whole hand: Ctrl+H) — the enrollment then waits for the supervisor. A
scanner that is unplugged or not found offers to reconnect (F7) or to read the scanner tool's
image folder (F8); nothing taken is lost. Under 6 no fingerprints are taken (DESIGN §6).

A print kept below the threshold after the attempts is, on resume, a kept print (the officer
had moved on or was deciding); it stays marked in the table and the review, and can be retaken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from capture.fingerprint.fingers import (
    CONDITION_NAMES,
    FINGER_NAMES,
    LEFT,
    RIGHT,
    Impression,
    Placement,
    capture_plan,
    hand_of,
)
from capture.fingerprint.quality import FingerQuality
from capture.fingerprint.scanner import (
    DeviceInfo,
    FingerLifted,
    ScanCancelled,
    ScannerDisconnected,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
)
from db.labels import IMPRESSIONS, label
from db.types import EnrollmentInfo, FingerprintInfo, NewPrint
from db.vntime import NO_BIOMETRICS_BELOW, surely_under, today_local
from gui.file_dialogs import choose_folder
from gui.hand_diagram import HandDiagram, grey_pixmap
from gui.scanner_worker import ScannerController, Taken
from gui.wizard import finger_condition
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from resources.i18n import N_, _, language, ngettext
from resources.problems import describe

log = logging.getLogger(__name__)

PRINT_SIZE = 300
RESULTS = {"todo": N_("Not taken yet"), "failed": N_("Not yet passed"),
           "low": N_("Kept below the threshold"), "good": N_("Passed")}  # fmt: skip
"""The table's words for where a finger stands (a condition reads as its own name)."""
Key = tuple[int, str]  # (finger, "flat" | "rolled")


def group_of(impression: str) -> str:
    return "rolled" if impression == Impression.ROLLED else "flat"


def instruction(p: Placement) -> str:
    """What the officer tells the person, for one placement."""
    if p.is_slap and p.fingers == (1, 6):
        return _("Place both thumbs flat on the scanner")
    if p.is_slap:
        return (_("Place the four fingers of the right hand flat on the scanner")
                if p.fingers[0] in RIGHT else
                _("Place the four fingers of the left hand flat on the scanner"))  # fmt: skip
    name = _(FINGER_NAMES[p.fingers[0]])
    if p.impression is Impression.ROLLED:
        return _("Roll the {finger} from one side of the nail to the other").format(finger=name)
    return _("Place the {finger} flat on the scanner").format(finger=name)


class FingerprintStep(WizardStep):
    name = "fingerprints"
    title = N_("Fingerprints")
    pause_ms = 700  # the result stays on screen this long before the next placement (tests: 0)

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__(ctx)
        self.threshold = 40
        self.max_attempts = 3
        self.rolled = False
        self.plan: list[Placement] = capture_plan(slaps=False, rolled=False)
        self.rows: dict[Key, FingerprintInfo] = {}
        self.tries: dict[Key, list[int]] = {}
        self.accepted: set[Key] = set()  # kept below the threshold on the officer's word
        self.current: Placement | None = None
        self.exempt = False  # under 6: no fingerprints
        self.active = False
        self.writes = 0  # stores in flight
        self.lifted_once = False

        self.scanner = ScannerController(self._factory, self)
        self.scanner.opened.connect(self._opened)
        self.scanner.open_failed.connect(self._no_scanner)
        self.scanner.state.connect(self._state)
        self.scanner.preview.connect(self._preview)
        self.scanner.captured.connect(self._captured)
        self.scanner.capture_failed.connect(self._capture_failed)

        self.heading = QLabel()
        self.heading.setObjectName("fingerInstruction")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold; color: #0b3d91;")
        self.hands = HandDiagram()
        self.print_view = QLabel()
        self.print_view.setObjectName("printView")
        self.print_view.setFixedSize(PRINT_SIZE, PRINT_SIZE)
        self.print_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_view.setStyleSheet("border: 1px solid #999; background: #fafafa;")
        self.score = QLabel()
        self.score.setObjectName("fingerScore")
        self.score.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.score.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setObjectName("fingerReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("font-size: 12pt; color: #8a3b00;")
        self.status = QLabel()
        self.status.setObjectName("scannerStatus")
        self.status.setWordWrap(True)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("fingerTable")
        self.table.setHorizontalHeaderLabels(
            [_("Finger"), _("How"), _("Score"), _("Attempts"), _("Result")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.clicked.connect(slot)
            return b

        self.capture_button = button(_("Scan (F5)"), "scan", self.capture_now)
        self.retake_button = button(_("Take the chosen finger again (F6)"), "retakeFinger",
                                    self.retake_selected)  # fmt: skip
        self.keep_button = button(_("Keep the best print (Ctrl+G)"), "keepBest", self.keep_best)
        self.condition_button = button(_("Finger cannot be taken… (Ctrl+K)"), "fingerCondition",
                                       self.record_condition)  # fmt: skip
        self.hand_button = button(_("Whole hand cannot be taken… (Ctrl+H)"), "handCondition",
                                  self.record_hand)  # fmt: skip
        self.reconnect_button = button(_("Reconnect the scanner (F7)"), "reconnectScanner",
                                       self.reconnect)  # fmt: skip
        self.folder_button = button(_("Use the scanner's image folder… (F8)"), "scannerFolder",
                                    self.use_folder)  # fmt: skip
        self.keep_button.hide()

        left = QVBoxLayout()
        left.addWidget(self.hands)
        left.addWidget(self.print_view, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addStretch(1)
        middle = QVBoxLayout()
        middle.addWidget(self.score)
        middle.addWidget(self.reasons)
        middle.addWidget(self.status)
        actions = QGridLayout()
        for i, b in enumerate((self.capture_button, self.keep_button, self.condition_button,
                               self.hand_button, self.retake_button, self.reconnect_button,
                               self.folder_button)):  # fmt: skip
            actions.addWidget(b, i // 2, i % 2)
        middle.addLayout(actions)
        middle.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(middle, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.heading)
        outer.addLayout(body, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # --- the contract -------------------------------------------------------------------

    def shortcuts(self) -> list[tuple[str, Callable[[], object]]]:
        return [("F5", self.capture_now), ("F6", self.retake_selected),
                ("Ctrl+G", self.keep_best), ("Ctrl+K", self.record_condition),
                ("Ctrl+H", self.record_hand), ("F7", self.reconnect),
                ("F8", self.use_folder)]  # fmt: skip

    def load(self, info: EnrollmentInfo | None) -> None:
        settings = self.ctx.service.settings()
        self.threshold = settings.fingerprint_threshold
        self.max_attempts = settings.fingerprint_attempts
        self.rolled = settings.fingerprint_rolled == "yes"
        self.rows, self.tries, self.accepted = {}, {}, set()
        for p in info.fingerprints if info else ():
            key = (p.finger, group_of(p.impression))
            self.rows[key] = p
            self.tries[key] = list(p.attempt_scores)
            if p.condition is None and (p.quality or 0) < self.threshold \
                    and p.attempts >= self.max_attempts:  # fmt: skip
                self.accepted.add(key)  # kept below the threshold (see the module docstring)
        r = self.ctx.resident
        self.exempt = r is not None and surely_under(NO_BIOMETRICS_BELOW, r.birth_date,
                                                     r.birth_year, today_local())  # fmt: skip
        self.plan = capture_plan(slaps=False, rolled=self.rolled)
        self._refresh()

    def save(self) -> dict[str, Any]:
        return {"taken": sorted(f"{f}:{g}" for (f, g) in self.rows),
                "exempt": self.exempt}  # fmt: skip

    def validate(self) -> list[str]:
        if self.exempt:
            return []
        if self.writes:
            return [_("The last print is still being saved: a moment…")]
        left = self.untaken()
        if not left:
            return []
        return [ngettext("{n} finger still to take: scan it, or record why it cannot be taken.",
                         "{n} fingers still to take: scan them, or record why they cannot be "
                         "taken.", len(left)).format(n=len(left))]  # fmt: skip

    def busy(self) -> bool:
        return self.writes > 0

    def save_op(self) -> Callable[[], Any] | None:
        """The prints are stored as they are taken; the step's own record is written only once
        every finger is done, so a draft left half-way resumes here, not at the review."""
        if self.untaken() and not self.exempt:
            return None
        return super().save_op()

    def entered(self) -> None:
        self.active = True
        if self.exempt:
            self.heading.setText(_("Under 6 years old: no fingerprints are taken."))
            self.status.setText(_("Press Enter to go on."))
            return
        info = self.ctx.info
        if info is not None and info.portrait is not None and info.portrait.bedridden:
            self.reasons.setText(_("Lying down: put the scanner on the bed, any way round; "
                                   "the prints are turned upright."))  # fmt: skip
        if not self.scanner.is_open:
            self.status.setText(_("Looking for the fingerprint scanner…"))
            self.scanner.open()
        else:
            self._next()

    def left(self) -> None:
        self.active = False
        self.scanner.close()

    # --- state ----------------------------------------------------------------------------

    def _factory(self) -> Any:
        factory = self.ctx.scanner_factory
        if factory is None:
            raise ScannerNotFound()
        return factory()

    def done(self, key: Key) -> bool:
        row = self.rows.get(key)
        if row is None:
            return False
        return (row.condition is not None or (row.quality or 0) >= self.threshold
                or key in self.accepted)  # fmt: skip

    def exhausted(self, key: Key) -> bool:
        return not self.done(key) and len(self.tries.get(key, [])) >= self.max_attempts

    def pending(self, p: Placement) -> list[int]:
        g = group_of(p.impression)
        return [f for f in p.fingers if not self.done((f, g))]

    def untaken(self) -> list[Key]:
        return [(f, group_of(p.impression)) for p in self.plan for f in self.pending(p)]

    def _refresh(self) -> None:
        """The hands, the table and the buttons from what is known now."""
        g = group_of(self.current.impression) if self.current else "flat"
        states = {finger: self.state_of((finger, g)) for finger in RIGHT + LEFT}
        self.hands.show_state(states, self.current.fingers if self.current else ())
        self._fill_table()
        stuck = self._stuck()
        kept = {f for f, g in self.rows if self.current and g == group_of(self.current.impression)}
        self.keep_button.setVisible(bool(set(stuck) & kept))  # a finger never seen: a condition
        self.retake_button.setEnabled(bool(self.rows))

    def state_of(self, key: Key) -> str:
        """Where a finger stands (the hand diagram's colours, the table's words): todo, failed
        (tried, not passed yet), low (kept below the threshold), good, condition."""
        row = self.rows.get(key)
        if row is None:
            return "failed" if self.tries.get(key) else "todo"
        if row.condition:
            return "condition"
        if (row.quality or 0) >= self.threshold:
            return "good"
        return "low" if key in self.accepted else "failed"

    def _fill_table(self) -> None:
        keys = [(f, group_of(p.impression), p.impression) for p in self.plan for f in p.fingers]
        selected = self.selected_key()
        self.table.setRowCount(len(keys))
        for i, (finger, g, impression) in enumerate(keys):
            row = self.rows.get((finger, g))
            tries = self.tries.get((finger, g), [])
            state = self.state_of((finger, g))
            result = (_(CONDITION_NAMES[row.condition]) if row is not None and row.condition
                      else _(RESULTS[state]))  # fmt: skip
            score = "" if row is None or row.quality is None else str(row.quality)
            if row is not None and row.device_score is not None:
                score += " " + _("(scanner: {n})").format(n=row.device_score)
            cells = (_(FINGER_NAMES[finger]), label(IMPRESSIONS, row.impression if row else
                     impression.value), score, " ".join(map(str, tries)), result)  # fmt: skip
            for j, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, f"{finger}:{g}")
                self.table.setItem(i, j, cell)
            if selected == (finger, g):
                self.table.selectRow(i)

    def selected_key(self) -> Key | None:
        items = self.table.selectedItems()
        if not items:
            return None
        finger, g = str(items[0].data(Qt.ItemDataRole.UserRole)).split(":")
        return int(finger), g

    def _stuck(self) -> list[int]:
        """Fingers of the current placement out of attempts, waiting for the officer."""
        if self.current is None:
            return []
        g = group_of(self.current.impression)
        return [f for f in self.current.fingers if self.exhausted((f, g))]

    # --- the scanner ------------------------------------------------------------------------

    def _opened(self, info: DeviceInfo) -> None:
        self.plan = capture_plan(slaps=info.offers_slaps, rolled=self.rolled)
        name = " ".join(x for x in (info.model, info.serial) if x) or info.backend
        self.status.setText(_("Scanner: {name}").format(name=name))
        self._show_scanner_trouble(False)
        if self.active:
            self._next()

    def _no_scanner(self, exc: BaseException) -> None:
        self.status.setText(describe(exc))
        self.heading.setText(_("No fingerprint scanner: reconnect it (F7) or use the scanner's "
                               "image folder (F8)."))  # fmt: skip
        self._show_scanner_trouble(True)

    def _show_scanner_trouble(self, trouble: bool) -> None:
        self.reconnect_button.setStyleSheet("font-weight: bold;" if trouble else "")
        self.folder_button.setStyleSheet("font-weight: bold;" if trouble else "")

    def _next(self) -> None:
        """Go to the first placement with fingers still to take and start scanning."""
        if not self.active:
            return
        self.current = next((p for p in self.plan if self.pending(p)), None)
        self._refresh()
        if self.current is None:
            self.heading.setText(_("All fingers are taken. Press Enter to go on."))
            return
        self.heading.setText(instruction(self.current))
        if self._stuck():
            self._ask_decision()
            return
        self._start()

    def _start(self) -> None:
        if self.current is None or not self.active:
            return
        g = group_of(self.current.impression)
        skip = [f for f in self.current.fingers
                if (row := self.rows.get((f, g))) is not None and row.condition]  # fmt: skip
        if not self.scanner.is_open:
            self.scanner.open()
            return
        self.scanner.capture(self.current, skip=skip)

    def _state(self, state: str) -> None:
        texts = {ScanState.WAITING: _("Waiting for the finger…"),
                 ScanState.READING: _("Reading: hold still…"),
                 ScanState.LIFTED: _("Finger lifted: place it again.")}  # fmt: skip
        if state in texts:
            self.score.setText(texts[ScanState(state)])

    def _preview(self, image: np.ndarray) -> None:
        self._show_print(image)

    def _show_print(self, image: np.ndarray) -> None:
        pixmap = grey_pixmap(image).scaled(PRINT_SIZE - 4, PRINT_SIZE - 4,
                                           Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        self.print_view.setPixmap(pixmap)

    def capture_now(self) -> None:
        """F5: scan again now (after a timeout, an error or to try once more)."""
        if self.exempt or self.scanner.busy:
            return
        if self.current is None:
            self._next()
            return
        self._start()

    def _captured(self, taken: Taken) -> None:
        placement = taken.placement
        g = group_of(placement.impression)
        prints: list[NewPrint] = []
        lines: list[str] = []
        for finger in self.pending(placement):
            key = (finger, g)
            got = taken.fingers.get(finger)
            tries = self.tries.setdefault(key, [])
            if got is None:
                tries.append(0)
                lines.append(_("{finger}: not found on the glass").format(
                    finger=_(FINGER_NAMES[finger])))
                continue
            tries.append(got.quality.score)
            impression = placement.impression.value
            prints.append(NewPrint(finger, impression, got.data, got.image_format,
                                   got.quality.score, got.device_score, len(tries), tuple(tries),
                                   taken.device))  # fmt: skip
            lines.append(self._verdict(finger, got.quality, len(tries)))
        if taken.fingers:  # the worst finger of the slap: what the officer has to act on
            self._show_print(min(taken.fingers.values(), key=lambda t: t.quality.score).image)
        self.score.setText("\n".join(lines[:1]) if len(lines) == 1 else _("Slap scored"))
        self.reasons.setText("\n".join(lines) if len(lines) > 1 else self._reasons_of(taken))
        if prints:
            self._store(prints)
        else:
            self._after_attempt()

    def _verdict(self, finger: int, quality: FingerQuality, attempt: int) -> str:
        passed = quality.score >= self.threshold
        text = _("{finger}: {score} points, attempt {n} of {max} — {verdict}").format(
            finger=_(FINGER_NAMES[finger]), score=quality.score, n=attempt, max=self.max_attempts,
            verdict=_("passed") if passed else _("not passed"))  # fmt: skip
        if not passed and quality.reasons:
            text += " · " + quality.reasons[0].text(language())
        return text

    @staticmethod
    def _reasons_of(taken: Taken) -> str:
        """Each reason of a single finger's print, one a line."""
        found = next(iter(taken.fingers.values()), None)
        return "" if found is None else "\n".join(
            "• " + r.text(language()) for r in found.quality.reasons)

    def _store(self, prints: list[NewPrint]) -> None:
        service, uuid = self.ctx.service, self.ctx.uuid
        self._write(lambda: service.record_prints(uuid, prints), self._after_attempt)

    def _write(self, op: Callable[[], Any], then: Callable[[], None],
               forget: Key | None = None) -> None:  # fmt: skip
        """One store of the step through the wizard's writer: what the core keeps (the best
        print, a condition) replaces the page's rows; ``forget``: the finger cleared."""
        self.writes += 1

        def done(result: Any) -> None:
            self.writes -= 1
            if forget is not None:
                self.rows.pop(forget, None)
                self.tries.pop(forget, None)
                self.accepted.discard(forget)
            for info in result if isinstance(result, tuple) else ():
                self.rows[(info.finger, group_of(info.impression))] = info
            then()

        def failed(exc: BaseException) -> None:
            from gui.errors import show_error

            self.writes -= 1
            self.status.setText(describe(exc))
            show_error(self, exc)

        self.ctx.write(self, op, done, failed)

    def _after_attempt(self) -> None:
        self._refresh()
        if self.current is None or not self.active:
            return
        if self._stuck():
            self._ask_decision()
            return
        QTimer.singleShot(self.pause_ms, self, self._next)  # context: never after the page goes

    def _ask_decision(self) -> None:
        stuck = self._stuck()
        names = ", ".join(_(FINGER_NAMES[f]) for f in stuck)
        self.heading.setText(
            _("Not passed after {n} attempts: {fingers}. Keep the best print (Ctrl+G) or record "
              "why the finger cannot be taken (Ctrl+K).").format(n=self.max_attempts,
                                                                 fingers=names))  # fmt: skip
        self._refresh()

    def _capture_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ScanCancelled) or not self.active:
            return
        if isinstance(exc, ScannerDisconnected | ScannerNotFound):
            self._no_scanner(exc)
            return
        self.score.setText(describe(exc))
        if isinstance(exc, FingerLifted) and not self.lifted_once:
            self.lifted_once = True
            QTimer.singleShot(self.pause_ms, self, self._start)
            return
        self.lifted_once = False
        if isinstance(exc, ScanTimeout):
            self.reasons.setText(_("Press F5 to scan again when the person is ready."))
        else:
            self.reasons.setText(_("Press F5 to try again."))

    # --- the officer's decisions -----------------------------------------------------------

    def keep_best(self) -> None:
        """Ctrl+G: keep the best prints of the fingers out of attempts (with a warning)."""
        stuck = self._stuck()
        if not stuck or self.current is None:
            return
        g = group_of(self.current.impression)
        for finger in stuck:
            if (finger, g) in self.rows:
                self.accepted.add((finger, g))
        self.status.setText(_("Kept below the threshold: the supervisor will see the score."))
        self._next()

    def record_condition(self) -> None:
        """Ctrl+K: a condition for fingers of the current placement (or the chosen row)."""
        if self.exempt:
            return
        if self.current is not None:
            fingers, g = list(self.current.fingers), group_of(self.current.impression)
            ticked = self._stuck() or (fingers if len(fingers) == 1 else [])
        elif (key := self.selected_key()) is not None:
            fingers, g, ticked = [key[0]], key[1], [key[0]]
        else:
            return
        self._ask_condition(fingers, g, ticked)

    def record_hand(self) -> None:
        """Ctrl+H: the whole hand of the current placement (a hand that cannot open)."""
        if self.exempt:
            return
        p = self.current
        if p is None:
            return
        hand: tuple[int, ...] = RIGHT if hand_of(p.fingers[0]) == "right" else LEFT
        if p.fingers == (1, 6):
            hand = RIGHT + LEFT
        self._ask_condition(list(hand), group_of(p.impression), list(hand))

    def _ask_condition(self, fingers: list[int], g: str, ticked: list[int]) -> None:
        self.scanner.cancel()
        tried = [f for f in fingers if self.tries.get((f, g))]
        answer = finger_condition.ask(fingers, ticked=ticked, tried=tried, parent=self)
        if answer is None:
            self._wait_then_next()  # cancelled: scan on
            return
        chosen, condition, note = answer
        impression = self._impression_for(g)
        attempts = max((len(self.tries.get((f, g), [])) for f in chosen), default=0)
        scores = tuple(s for f in chosen for s in self.tries.get((f, g), []))
        service, uuid = self.ctx.service, self.ctx.uuid
        self._write(lambda: service.record_finger_condition(
            uuid, chosen, impression, condition, note, attempts=attempts,
            attempt_scores=scores), self._wait_then_next)  # fmt: skip

    def _impression_for(self, g: str) -> str:
        if g == "rolled":
            return Impression.ROLLED.value
        return Impression.SLAP.value if self.current and self.current.is_slap else "flat"

    def _wait_then_next(self) -> None:
        """Once the cancelled capture has come back, go on to the next placement."""
        if self.scanner.busy:
            QTimer.singleShot(50, self, self._wait_then_next)
            return
        self._next()

    def retake_selected(self) -> None:
        """F6: forget the chosen finger's print or condition and take it again."""
        key = self.selected_key()
        if key is None or key not in self.rows or self.exempt:
            return
        self.scanner.cancel()
        row = self.rows[key]
        service, uuid = self.ctx.service, self.ctx.uuid
        self._write(lambda: service.clear_finger(uuid, row.finger, row.impression),
                    self._wait_then_next, forget=key)  # fmt: skip

    # --- another scanner ----------------------------------------------------------------------

    def reconnect(self) -> None:
        """F7: open the station's scanner again (after an unplug)."""
        if self.exempt:
            return
        self.scanner.use(self._factory)
        self.status.setText(_("Looking for the fingerprint scanner…"))
        self.scanner.open()

    def use_folder(self) -> None:
        """F8: read the prints the scanner vendor's tool saves into a folder."""
        if self.exempt:
            return
        folder = choose_folder(self, _("The folder where the scanner saves its images"))
        if not folder:
            return
        from capture.fingerprint.backends import folder_scanner

        self.scanner.use(lambda: folder_scanner(folder))
        self.status.setText(_("Looking for the fingerprint scanner…"))
        self.scanner.open()

    def shutdown(self) -> None:
        self.left()
