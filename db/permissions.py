"""Who may do what: the role → action table, checked by the core services themselves.

Why in the core and not in the GUI: the command line, the GUI and any later sync job call the
same services, so a rule written here holds everywhere; hiding a button is only a courtesy.

The administrator is deliberately *not* a super-supervisor: the person who creates accounts
must not also approve enrollments (otherwise one person could invent an officer and approve
its work). A commune where one person is both gets two accounts.
"""

from __future__ import annotations

from db.actor import SYSTEM, Actor
from db.errors import PermissionDenied

OFFICER = frozenset(
    {
        "resident.search",
        "resident.view",
        "enrollment.edit",  # create, save steps, portrait, exceptions, submit, discard, correct
        "slip.print_own",
        "pdf.save",
        "password.change_own",
    }
)
SUPERVISOR = OFFICER | {
    "enrollment.review",  # approve / send back, exceptions and corrections included
    "slip.print_any",
    "tally.view",
    "audit.view",
    "officer.list",
    "officer.reset_password",  # officers' passwords only (see accounts.reset_password)
    "settings.change",
    "export",
}
ADMIN = frozenset(
    {
        "resident.search",
        "resident.view",
        "password.change_own",
        "pdf.save",
        "station.setup",
        "settings.change",
        "officer.list",
        "officer.manage",
        "officer.reset_password",
        "register.import",
        "backup",
        "export",
        "key.recovery",
        "audit.view",
        "tally.view",
    }
)
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "officer": OFFICER,
    "supervisor": frozenset(SUPERVISOR),
    "admin": ADMIN,
}
ALL_ACTIONS = frozenset().union(*ROLE_ACTIONS.values())

REFUSALS = {
    "enrollment.review": "only a supervisor can approve or send back an enrollment",
    "officer.manage": "only an administrator can manage officer accounts",
    "register.import": "only an administrator can import the population register",
    "audit.view": "only a supervisor or an administrator can see the audit trail",
    "tally.view": "only a supervisor or an administrator can see the tallies",
    "settings.change": "only a supervisor or an administrator can change the settings",
    "enrollment.edit": "this account cannot enroll residents",
    "slip.print_any": "an officer can print only the slips of their own enrollments",
}


def can(actor: Actor, action: str) -> bool:
    """Whether ``actor`` may do ``action``. The program itself (SYSTEM) may do anything."""
    if action not in ALL_ACTIONS:
        raise ValueError(f"unknown action: {action}")
    if actor == SYSTEM:
        return True
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def require(actor: Actor, action: str) -> None:
    """Raise :class:`PermissionDenied` (a sentence without personal data) unless allowed."""
    if not can(actor, action):
        raise PermissionDenied(REFUSALS.get(action, "your role does not allow this action"))


def require_slip(actor: Actor, enrollment_officer_id: int | None) -> None:
    """Officers print their own enrollments' slips; supervisors any."""
    if can(actor, "slip.print_any"):
        return
    require(actor, "slip.print_own")
    if enrollment_officer_id != actor.officer_id:
        raise PermissionDenied(REFUSALS["slip.print_any"])
