"""Fixtures of the desk tests (a register, an officer, a fake camera, dialogs answered)."""

from tests.gui.desk_fixtures import actor, camera, no_dialogs, quick_fingers, register, scanner

__all__ = ["actor", "camera", "no_dialogs", "quick_fingers", "register", "scanner"]
