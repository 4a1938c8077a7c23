"""Roles are enforced in the core: calling services as an officer, supervisor actions fail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db import accounts, audit, review, settings
from db.actor import SYSTEM, Actor
from db.errors import PermissionDenied
from db.permissions import ROLE_ACTIONS, can, require_slip
from db.service import StationService
from db.station import StationDB
from tests.db.enrollment_fixtures import people, received

__all__ = ["people"]


def test_officer_is_refused_supervisor_and_admin_actions(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    duc = actors["officer"]
    e = received(station, people[0], datetime(2026, 3, 12, 2, tzinfo=UTC),
                 officer=duc.officer_id)  # fmt: skip
    refused = [
        lambda: review.approve(station, e.uuid, actor=duc),
        lambda: review.send_back(station, e.uuid, note="x", actor=duc),
        lambda: review.waiting(station, duc),
        lambda: audit.show(station, duc),
        lambda: accounts.list_officers(station, duc),
        lambda: accounts.reset_password(station, duc, "boss", "tạm thời mới"),
        lambda: accounts.create_officer(station, duc, "x.y", "X", "officer", "tạm thời mới"),
        lambda: settings.change(station, duc, "idle_lock_minutes", 1),
        lambda: StationService(station, duc).tally(datetime(2026, 3, 12).date()),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    assert review.approve(station, e.uuid, actor=actors["supervisor"]).status == "approved"


def test_admin_does_not_approve_and_officer_prints_only_own_slips(
    actors: dict[str, Actor],
) -> None:
    assert not can(actors["admin"], "enrollment.review")
    assert can(actors["admin"], "officer.manage")
    assert not can(actors["supervisor"], "officer.manage")
    assert ROLE_ACTIONS["officer"] < ROLE_ACTIONS["supervisor"]
    duc = actors["officer"]
    require_slip(duc, duc.officer_id)
    with pytest.raises(PermissionDenied):
        require_slip(duc, (duc.officer_id or 0) + 1)
    require_slip(actors["supervisor"], None)
    assert can(SYSTEM, "enrollment.review")
