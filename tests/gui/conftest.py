"""Fixtures of the desk tests (a register, an officer, a fake camera, dialogs answered)."""

import gc
from collections.abc import Iterator

import pytest

from tests.gui.desk_fixtures import actor, camera, no_dialogs, quick_fingers, register, scanner

__all__ = ["actor", "camera", "no_dialogs", "quick_fingers", "register", "scanner"]


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As the program does (gui/gc_guard.MainThreadCollector): no automatic collection while
    a GUI test runs, and a collection on the GUI thread after it. A worker's pause alone was
    not enough: the moment it switched collection back on, its own next allocation could
    collect a widget's cycle on the worker thread (a segfault in test_override_dialog)."""
    from gui import gc_guard

    if request.node.get_closest_marker("own_gc"):  # tests of gui/gc_guard.py itself
        import time

        deadline = time.monotonic() + 10  # an earlier test's pool tasks finish first
        while gc_guard._running and time.monotonic() < deadline:
            time.sleep(0.01)
        gc.enable()
        yield
        gc.collect()
        return
    was = gc.isenabled()
    with gc_guard._lock:
        gc_guard._was_enabled = False  # the workers' pause must not switch it back on
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        with gc_guard._lock:
            gc_guard._was_enabled = was
            if was and gc_guard._running == 0:  # else the last task still running does it
                gc.enable()
