"""How a broken audit chain is reported (the start-up warning and the audit view say the same)."""

from __future__ import annotations

from db.types import VerifyResult
from resources.i18n import _


def broken_message(result: VerifyResult) -> str:
    return _(
        "The audit trail has been changed outside the program: event #{seq} does not verify "
        "({reason}). Run “audit verify” and report it to the district."
    ).format(seq=result.first_broken, reason=result.reason)
