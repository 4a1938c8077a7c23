"""Python's garbage collector kept off the worker threads.

Why: the cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. If that is a pool thread (gui/ops.py) and the cycle holds a Qt object made on the GUI
thread — a dialog closed a moment ago, a widget of a screen just left — the object is destroyed
on the wrong thread and the process dies (a segfault with "Garbage-collecting" in a worker's
stack). So: while background work runs, automatic collection is paused (a count, since several
tasks overlap); and in the program, automatic collection is replaced by a timer on the GUI
thread that collects when the thresholds say so (the PyQt/PySide recipe).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

_lock = threading.Lock()
_running = 0
_was_enabled = True


@contextlib.contextmanager
def no_collection_here() -> Iterator[None]:
    """Around work on a pool thread: no automatic collection starts while it runs."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
        gc.disable()  # always: someone may have switched it on while other tasks ran
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()


class MainThreadCollector(QObject):
    """Collects on the GUI thread, generation by generation as the thresholds say."""

    def __init__(self, parent: QObject, interval_ms: int = 500) -> None:
        super().__init__(parent)
        global _was_enabled
        self.thresholds = gc.get_threshold()
        with _lock:
            _was_enabled = False  # the workers' pause must not switch it back on
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return
