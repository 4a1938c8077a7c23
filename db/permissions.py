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
from resources.i18n import N_

OFFICER = frozenset(
    {
        "resident.search",
        "resident.view",
        "resident.add",  # a person not in the register (DC01), flagged for the register keepers
        "enrollment.edit",  # create, save steps, portrait, exceptions, submit, discard, correct
        "slip.print_own",
        "pdf.save",
        "password.change_own",
        "sync.exchange",  # export to / import from the paired station (files encrypted to it)
        "visit.record",  # see the team's home visits, flag residents, record what came of a visit
        "card.handle",  # record cards arriving from the province and handed over (db/cards.py)
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
    "visit.plan",  # put residents on a day's home-visit plan for a team
    "register.clean",  # the register-quality report and its actions (db/quality.py)
    "hub.view",  # the district hub's reports and search (db/hub/)
    "hub.import",  # take communes' bundles at the hub
    "backup",  # an encrypted backup to a folder or a removable drive (db/backup.py)
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
        "station.restore",  # replace the station's database with a backup (db/restore.py)
        "export",
        "key.recovery",
        "audit.view",
        "tally.view",
        "station.pair",  # trust (or stop trusting) another station's keys: field sync
        "sync.exchange",
        "register.clean",
        "hub.view",
        "hub.import",
    }
)
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "officer": OFFICER,
    "supervisor": frozenset(SUPERVISOR),
    "admin": ADMIN,
}
ALL_ACTIONS = frozenset().union(*ROLE_ACTIONS.values())

REFUSALS = {
    "enrollment.review": N_("Only a supervisor can approve or send back an enrollment."),
    "officer.manage": N_("Only an administrator can manage officer accounts."),
    "officer.list": N_("Only a supervisor or an administrator can see the officer accounts."),
    "officer.reset_password": N_("Only a supervisor or an administrator can reset a password."),
    "register.import": N_("Only an administrator can import the population register."),
    "audit.view": N_("Only a supervisor or an administrator can see the audit trail."),
    "tally.view": N_("Only a supervisor or an administrator can see the tallies."),
    "settings.change": N_("Only a supervisor or an administrator can change the settings."),
    "enrollment.edit": N_("This account cannot enroll residents."),
    "resident.add": N_("This account cannot add people to the register."),
    "slip.print_any": N_("An officer can print only the slips of their own enrollments."),
    "key.recovery": N_("Only an administrator can print the key recovery sheet."),
    "export": N_("Only a supervisor or an administrator can export data."),
    "station.pair": N_("Only an administrator can pair or unpair stations."),
    "sync.exchange": N_("This account cannot exchange files with other stations."),
    "visit.record": N_("This account does not make home visits."),
    "visit.plan": N_("Only a supervisor can plan home visits."),
    "card.handle": N_("This account does not hand out cards."),
    "register.clean": N_("Only a supervisor or an administrator can clean the register."),
    "hub.view": N_("Only a supervisor or an administrator of the hub can see its reports."),
    "hub.import": N_("Only a supervisor or an administrator of the hub can take bundles."),
    "backup": N_("Only a supervisor or an administrator can back the station up."),
    "station.restore": N_("Only an administrator can restore the station from a backup."),
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
        raise PermissionDenied(REFUSALS.get(action))


def require_slip(actor: Actor, enrollment_officer_id: int | None) -> None:
    """Officers print their own enrollments' slips; supervisors any."""
    if can(actor, "slip.print_any"):
        return
    require(actor, "slip.print_own")
    if enrollment_officer_id != actor.officer_id:
        raise PermissionDenied(REFUSALS["slip.print_any"])
