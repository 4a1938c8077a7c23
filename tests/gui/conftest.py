"""Fixtures of the desk tests (a register, an officer, a fake camera, dialogs answered)."""

import gc
from collections.abc import Iterator

import pytest

from tests.gui.desk_fixtures import actor, camera, no_dialogs, quick_fingers, register, scanner

__all__ = ["actor", "camera", "no_dialogs", "quick_fingers", "register", "scanner"]


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """A test's widgets caught in reference cycles are collected here, on the GUI thread, not
    later by whichever worker thread of the next test allocates first (gui/gc_guard.py)."""
    yield
    gc.collect()
