"""The sentences a person reads about the trips: the freshness line every desk shows and the
summary after an import (shared by the command line and the GUI)."""

from __future__ import annotations

from db.sync.results import ImportResult
from db.sync.status import SyncState
from resources.i18n import _


def freshness_line(st: SyncState) -> str:
    """'chưa gửi về trụ sở: N hồ sơ; lần nhận xác nhận cuối: D ngày trước' (every desk)."""
    if st.last_receipt_at is None:
        return _("not yet sent to headquarters: {n} enrollments; no receipt received yet").format(
            n=st.pending)
    return _("not yet sent to headquarters: {n} enrollments; last receipt: {d} days ago").format(
        n=st.pending, d=st.days_since_receipt)


def import_summary(result: ImportResult) -> str:
    """The plain sentence the officer reads after an import."""
    if result.reason == "replay":
        return _("This file was already imported: nothing changed.")
    if result.kind == "bundle":
        n = result.counts.get("enrollment_added", 0)
        line = _("Received {n} enrollments from {name}").format(n=n, name=result.sender_name)
        if result.cases:
            line += _("; {c} cases for the supervisor to look at").format(c=len(result.cases))
        return line + "."
    if result.kind == "packet":
        return _("Work packet from {name} applied: {r} residents added or updated.").format(
            name=result.sender_name,
            r=result.counts.get("resident_added", 0) + result.counts.get("resident_updated", 0))
    return _("Receipt from {name} applied: {n} enrollments acknowledged.").format(
        name=result.sender_name, n=result.counts.get("enrollment_acknowledged", 0))
