"""Automatic garbage collection stays off while pool work runs (overlapping tasks counted), and
the program's collector collects on the GUI thread."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from gui.app import make_app
from gui.gc_guard import MainThreadCollector, no_collection_here
from gui.ops import run_op

pytestmark = pytest.mark.own_gc


def test_collection_is_paused_while_tasks_overlap_and_back_after() -> None:
    assert gc.isenabled()
    with no_collection_here():
        assert not gc.isenabled()
        with no_collection_here():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other task still runs
    assert gc.isenabled()


def test_a_pool_task_runs_without_automatic_collection(qtbot: Any) -> None:
    from PySide6.QtCore import QObject

    make_app()
    parent = QObject()
    seen: list[bool] = []
    run_op(parent, gc.isenabled, seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [False] and gc.isenabled()


def test_the_programs_collector_collects_on_the_gui_thread(qtbot: Any) -> None:
    app = make_app()
    where: list[str] = []
    gc.callbacks.append(lambda phase, _info: where.append(threading.current_thread().name)
                        if phase == "start" else None)  # fmt: skip
    collector = MainThreadCollector(app, interval_ms=10)
    try:
        assert not gc.isenabled()
        junk = []
        for _ in range(2000):  # cycles past the first threshold
            a: list[Any] = []
            a.append(a)
            junk.append(a)
        del junk
        qtbot.waitUntil(lambda: bool(where), timeout=5000)
        assert set(where) == {threading.main_thread().name}
    finally:
        collector.timer.stop()
        collector.deleteLater()
        gc.callbacks.pop()
        gc.enable()
        import gui.gc_guard as guard

        guard._was_enabled = True
