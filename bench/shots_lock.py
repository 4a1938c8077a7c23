"""Screens of the idle lock's notice (bench/screenshots.py runs it)."""

from __future__ import annotations

from typing import Any


def shots(app: Any, db: Any, window: Any, shot: Any, settle: Any) -> None:
    lock = window.idle_lock
    window.lookup.box.setText("giang a")
    lock.timer.setInterval(31_000)
    lock.restart()
    lock.warn_timer.start(0)
    settle(600)
    shot("36-idle-lock-warning")
    lock.restart()
