"""Every reason the desk offers is a reason the enrollment service records as such."""

from __future__ import annotations

import pytest

from db.enrollment import EXCEPTION_REASONS
from gui.wizard.override import REASONS, service_reason


@pytest.mark.parametrize("choice", [key for key, _code, _prefix in REASONS])
def test_each_choice_maps_to_a_service_code(choice: str) -> None:
    code, note = service_reason(choice, "  ghi chú  ")
    assert code in EXCEPTION_REASONS
    assert note == "ghi chú"
    assert code != "other" or choice == "other"  # no reason hides inside "other"

