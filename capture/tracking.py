"""``FaceTracker``: the live preview's quality checks, one frame after another.

Consecutive preview frames show the same face in nearly the same place, so the tracker looks
for it only around where it was (a small region at one size range) instead of searching the
whole frame at every size and, in bedridden mode, in four rotations. The cost of a frame then
no longer depends on how small the face is or how busy the background.

What a cold search gives that tracking does not is the *other* faces: a second person stepping
into the picture. The tracker makes a full count on the first frame, every ``recount_every``
frames and whenever it loses the face; in between it follows the other faces it counted, each
in its own neighbourhood. A newcomer is therefore reported at most ``recount_every`` frames
late (about half a second at 15 frames/s); the still that is saved is assessed cold
(:func:`capture.quality.assess` with the last preview report as hint), so it is never affected.

One tracker per camera worker thread; it is not thread-safe (it keeps the last face).
"""

from __future__ import annotations

import logging

import numpy as np

from capture.quality import assess_detailed
from capture.report import Box, Mode, QualityReport

log = logging.getLogger(__name__)

RECOUNT_EVERY = 8


class FaceTracker:
    """Assess preview frames one after another, looking for the face where it was last."""

    def __init__(self, mode: Mode | str = Mode.NORMAL, recount_every: int = RECOUNT_EVERY) -> None:
        if recount_every < 1:
            raise ValueError("recount_every must be at least 1")
        self._mode = Mode(mode)
        self.recount_every = recount_every
        self._last: QualityReport | None = None
        self._others: tuple[Box, ...] = ()
        self._since_count = 0

    @property
    def mode(self) -> Mode:
        return self._mode

    @mode.setter
    def mode(self, mode: Mode | str) -> None:
        """Switching between normal and bedridden starts afresh (other rotations matter)."""
        if Mode(mode) is not self._mode:
            self._mode = Mode(mode)
            self.reset()

    @property
    def last(self) -> QualityReport | None:
        """The report of the last frame (the hint for the next one, or for the still)."""
        return self._last

    def reset(self) -> None:
        """Forget the face: the next frame is searched cold (new person, camera switched)."""
        self._last = None
        self._others = ()
        self._since_count = 0

    def assess(self, frame: np.ndarray) -> QualityReport:
        """The report for this frame; same checks and thresholds as :func:`assess`."""
        recount = self._last is None or self._since_count + 1 >= self.recount_every
        others = None if recount else self._others
        report, det = assess_detailed(frame, self._mode, self._last, others)
        if det is None or report.face is None:
            self.reset()
            return report
        subject = report.face.box
        self._others = tuple(
            f.box for f in det.faces if f.box != subject and (f.refined or f.eyes_plausible)
        )
        self._since_count = 0 if det.full_count else self._since_count + 1
        self._last = report
        return report
