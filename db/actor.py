"""Who is acting: the signed-in officer, passed to every core service that checks a role or
writes the audit trail. Plain data, so the GUI and the CLI hold it without a Session."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("officer", "supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    officer_id: int | None  # None only for the station's own automatic work (SYSTEM)
    username: str
    full_name: str
    role: str  # officer | supervisor | admin

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role: {self.role}")


# The program itself (demo seeding, migrations): never a person; audited as "system".
SYSTEM = Actor(None, "system", "Hệ thống", "admin")
