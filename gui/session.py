"""The signed-in officer's service, shared by the parts of the main window.

Why a holder and not the window itself: the lookup, the desk, the wizard and the idle lock each
need "the service now" (a supervisor may take over at the lock screen), and handing them a
bound method of the window would tie every part back to it in a reference cycle.
"""

from __future__ import annotations

from db.service import StationService


class Session:
    """``session()`` is the current service; ``session.service = new`` after a take-over."""

    def __init__(self, service: StationService) -> None:
        self.service = service

    def __call__(self) -> StationService:
        return self.service
