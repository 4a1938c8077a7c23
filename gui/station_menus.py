"""What accounts add to the main window: the Supervision menu, the idle lock, audited lookup,
and the start-up audit check's warning.

One call (:func:`install_station_menus`) after the main window is built, so the window's own
module stays with the enrollment wizard. Menu items a role may not use are disabled — a
courtesy only: the core refuses them anyway (db/permissions.py).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from db import audit, services
from db.actor import Actor
from db.permissions import can
from gui.idle_lock import IdleLock
from gui.ops import run_op
from resources.i18n import _

log = logging.getLogger(__name__)


def install_station_menus(window: QMainWindow, idle_ms: int | None = None) -> IdleLock:
    """Add the menus and the idle lock to ``window`` (needs ``db``, ``actor``, ``lookup``)."""
    db = window.db  # type: ignore[attr-defined]

    def actor() -> Actor:
        return window.actor  # type: ignore[attr-defined, no-any-return]

    lookup = getattr(window, "lookup", None)
    if lookup is not None:
        lookup.searcher = services.AuditedSearcher(db, actor)
        lookup.view_resident = lambda rid: services.view_resident(db, actor(), rid)

    menu = window.menuBar().addMenu(_("S&upervision"))
    items: list[tuple[QAction, str | None]] = []

    def add(text: str, slot: Any, needs: str | None, shortcut: str | None = None) -> QAction:
        action = QAction(text, window)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        menu.addAction(action)
        items.append((action, needs))
        return action

    add(_("&Day review…"), lambda: open_review(window), "enrollment.review")
    add(_("&Audit trail…"), lambda: open_audit(window), "audit.view")
    menu.addSeparator()
    add(_("&Change my password…"), lambda: change_password(window), None)
    window.lock_action = add(_("&Lock the screen"), lambda: lock.lock(), None, "Ctrl+L")  # type: ignore[attr-defined]

    def refresh_roles(*_args: Any) -> None:
        for action, needs in items:
            action.setEnabled(needs is None or can(actor(), needs))

    lock = IdleLock(window, idle_ms)
    lock.unlocked.connect(refresh_roles)
    refresh_roles()
    window.idle_lock = lock  # type: ignore[attr-defined]
    check_audit_on_start(window)
    return lock


def open_review(window: QMainWindow) -> None:
    from gui.review import DayReviewDialog

    DayReviewDialog(window.db, window.actor, window).exec()  # type: ignore[attr-defined]


def open_audit(window: QMainWindow) -> None:
    from gui.audit_view import AuditDialog

    AuditDialog(window.db, window.actor, window).exec()  # type: ignore[attr-defined]


def change_password(window: QMainWindow) -> None:
    from gui.signin import ChangePasswordDialog

    ChangePasswordDialog(window.db, window.actor, parent=window).exec()  # type: ignore[attr-defined]


def broken_message(result: audit.VerifyResult) -> str:
    return _(
        "The audit trail has been changed outside the program: event #{seq} does not verify "
        "({reason}). Run “audit verify” and report it to the district."
    ).format(seq=result.first_broken, reason=result.reason)


def check_audit_on_start(window: QMainWindow) -> None:
    """Run the cheap start-up check in the background; warn a supervisor if it fails."""
    db = window.db  # type: ignore[attr-defined]

    def done(result: audit.VerifyResult) -> None:
        window.audit_check = result  # type: ignore[attr-defined]
        if result.ok:
            return
        log.error("audit trail broken at event %s (%s)", result.first_broken, result.reason)
        if can(window.actor, "audit.view"):  # type: ignore[attr-defined]
            QMessageBox.warning(window, _("Audit trail"), broken_message(result))
        else:
            window.statusBar().showMessage(_("The audit trail needs a supervisor's attention."))

    run_op(window, lambda: audit.startup_check(db), done)
