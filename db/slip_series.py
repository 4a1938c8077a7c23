"""A station's slip series: the code in its slip numbers ("NH" in NH-2026-000123), fixed at
``init`` (db/slipno.py numbers slips with it; db/station.py sets it). Pure: no database."""

from __future__ import annotations

import re

from db.text import fold

CODE_RE = re.compile(r"^[A-Z0-9]{1,8}$")
DEFAULT_CODE = "ES"


def derive_code(commune: str) -> str:
    """Initials of the commune's words, folded to ASCII capitals ("Nà Hỳ" → "NH")."""
    initials = "".join(w[0] for w in fold(commune).split() if w[:1].isalnum()).upper()
    return initials[:8] or DEFAULT_CODE


def valid_series(code: str) -> str:
    """A slip series as given at ``init`` (1–8 capital letters or digits), or InvalidInput."""
    from db.errors import InvalidInput
    from resources.i18n import N_

    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise InvalidInput(N_("A slip series is 1 to 8 capital letters or digits (e.g. NH, "
                              "NHL1)."))  # fmt: skip
    return code


def default_series(commune: str, kind: str) -> str:
    """The commune's initials; a mobile laptop's get "L" ("NHL"), so that it does not share
    the headquarters' numbers. Several laptops of one commune are given their own at ``init``
    (``--slip-series NHL2``): pairing refuses a series the headquarters knows already."""
    code = derive_code(commune)
    return (code[:7] + "L") if kind == "mobile" else code
