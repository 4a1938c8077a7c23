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


def test_review_shows_what_the_officer_was_told() -> None:
    from gui.review import quality_lines
    from resources import i18n

    report = {
        "checks": [
            {"id": "face_count", "passed": True, "severity": "fail", "value": 1.0},
            {"id": "exposure", "passed": False, "severity": "fail", "value": 0.17,
             "instruction": {"vi": "Ảnh quá tối", "en": "Too dark"}},
        ]
    }  # fmt: skip
    assert quality_lines(report) == ["✓ face_count = 1.0", "✗ exposure = 0.17 — Ảnh quá tối"]
    try:
        i18n.set_language("en")
        assert quality_lines(report)[1].endswith("— Too dark")
    finally:
        i18n.set_language("vi")
