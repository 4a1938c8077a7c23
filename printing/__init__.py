"""Printed documents as PDF bytes built in memory (ReportLab): the appointment slip, the
daily tally and the key recovery sheet. No Qt, no database: callers pass the frozen dataclasses
of :mod:`printing.model`; sending the bytes to a printer is gui/'s job (QtPdf + QPrinter).
"""

from __future__ import annotations

from printing.keytext import KeyTextError, format_key_groups, parse_key_groups
from printing.model import PLACES, RecoveryData, SlipData, Station, TallyData, TallyRow
from printing.qr import parse_slip_payload, slip_payload
from printing.recovery import build_recovery_sheet
from printing.slip import build_slip
from printing.tally import build_tally, check_tally
from printing.workdays import is_working_day, return_date

__all__ = [
    "PLACES",
    "KeyTextError",
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
