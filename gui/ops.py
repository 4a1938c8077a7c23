"""Background work for the GUI: run a function off the UI thread, get the result back on it.

The op never touches widgets; callbacks run on the GUI thread (queued signal). Like Anki's
QueryOp: ``run_op(parent, op, on_success, on_failure)``. Without ``on_failure`` the failure is
shown to the officer (``show_error``): no background failure goes unseen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, op: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.op = op
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        from gui.gc_guard import no_collection_here

        with no_collection_here():  # a cycle holding a widget must not die on this thread
            try:
                result = self.op()
            except Exception as exc:  # delivered to on_failure on the GUI thread
                self.relay.failed.emit(exc)
            else:
                self.relay.done.emit(result)


_live: set[_Relay] = set()  # keep relays alive until their task reports


def run_op(
    parent: QObject,
    op: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``op()`` on a pool thread; call ``on_success(result)`` or ``on_failure(exc)`` later
    on the thread of ``parent`` (the GUI thread)."""
    relay = _Relay()
    relay.moveToThread(parent.thread())
    _live.add(relay)

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _live.discard(relay)
        relay.deleteLater()
        if not shiboken6.isValid(parent):
            return  # the window that asked is gone (closed mid-search): nobody to tell
        if callback is not None:
            callback(value)

    relay.done.connect(lambda value: finish(on_success, value))
    relay.failed.connect(lambda exc: finish(on_failure or _shown(parent), exc))
    (pool or QThreadPool.globalInstance()).start(_Task(op, relay))


def _shown(parent: QObject) -> Callable[[BaseException], None]:
    """The default failure handler: the sentence in a dialog, the traceback in the log."""

    def show(exc: BaseException) -> None:
        from PySide6.QtWidgets import QWidget

        from gui.errors import show_error

        show_error(parent if isinstance(parent, QWidget) else None, exc)

    return show
