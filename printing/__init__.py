"""Printed documents as PDF bytes built in memory (ReportLab): the appointment slip, the
daily tally and the key recovery sheet. No Qt, no database: callers pass the frozen dataclasses
of :mod:`printing.model`; sending the bytes to a printer is gui/'s job (QtPdf + QPrinter).

The builders load ReportLab on first use (PEP 562), so code that only needs the dataclasses
(the tally query, the desk's lists) does not pay ReportLab's import at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from printing.keytext import KeyTextError, format_key_groups, parse_key_groups
from printing.model import (
    PLACES,
    LaptopHead,
    RecoveryData,
    SlipData,
    Station,
    TallyData,
    TallyRow,
)

if TYPE_CHECKING:
    from printing.qr import parse_slip_payload, slip_payload
    from printing.recovery import build_recovery_sheet
    from printing.slip import build_slip
    from printing.tally import build_tally, check_tally
    from printing.workdays import is_working_day, return_date

_LAZY = {
    "parse_slip_payload": "printing.qr",
    "slip_payload": "printing.qr",
    "build_recovery_sheet": "printing.recovery",
    "build_slip": "printing.slip",
    "build_tally": "printing.tally",
    "check_tally": "printing.tally",
    "is_working_day": "printing.workdays",
    "return_date": "printing.workdays",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'printing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "PLACES",
    "KeyTextError",
    "LaptopHead",
    "RecoveryData",
    "SlipData",
    "Station",
    "TallyData",
    "TallyRow",
    "build_recovery_sheet",
    "build_slip",
    "build_tally",
    "check_tally",
    "format_key_groups",
    "is_working_day",
    "parse_key_groups",
    "parse_slip_payload",
    "return_date",
    "slip_payload",
]
