"""The ten fingers, the order the rules take them in, and what can be recorded instead.

Finger positions are ISO/IEC 19794-4 / ANSI-NIST codes: 1 right thumb … 5 right little,
6 left thumb … 10 left little (the data model's ``Fingerprint.finger``).

The order (DESIGN §6, Thông tư 17/2024/TT-BCA): four right fingers flat, four left fingers
flat, the two thumbs; then, when the station asks for rolled prints, each finger rolled from
the right thumb to the right little and the left thumb to the left little. A scanner that
takes slaps takes the flat fingers as a 4-4-2 slap (three placements instead of ten).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from resources.i18n import N_

RIGHT = (1, 2, 3, 4, 5)
LEFT = (6, 7, 8, 9, 10)
FINGERS = RIGHT + LEFT
THUMBS = (1, 6)

FINGER_NAMES: dict[int, str] = {
    1: N_("right thumb"),
    2: N_("right index finger"),
    3: N_("right middle finger"),
    4: N_("right ring finger"),
    5: N_("right little finger"),
    6: N_("left thumb"),
    7: N_("left index finger"),
    8: N_("left middle finger"),
    9: N_("left ring finger"),
    10: N_("left little finger"),
}
"""English message ids (translate with ``_()`` when shown)."""

HAND_NAMES: dict[str, str] = {"right": N_("right hand"), "left": N_("left hand")}


def hand_of(finger: int) -> str:
    """'right' or 'left'."""
    if finger not in FINGERS:
        raise ValueError(f"no such finger: {finger!r}")
    return "right" if finger in RIGHT else "left"


class Impression(StrEnum):
    """How a print was taken (stored with it: a rolled print is not a flat one)."""

    FLAT = "flat"  # one finger pressed flat
    SLAP = "slap"  # flat, cut out of a four-finger (or two-thumb) slap
    ROLLED = "rolled"  # rolled nail to nail


@dataclass(frozen=True)
class Placement:
    """One thing the officer asks the person to put on the glass: a slap or one finger."""

    fingers: tuple[int, ...]
    impression: Impression

    @property
    def is_slap(self) -> bool:
        return self.impression is Impression.SLAP

    @property
    def key(self) -> str:
        """Stable text key ("slap:2,3,4,5", "rolled:1") for drafts and logs."""
        return f"{self.impression.value}:{','.join(str(f) for f in self.fingers)}"


SLAPS = ((2, 3, 4, 5), (7, 8, 9, 10), THUMBS)
"""The 4-4-2 slaps: right four, left four, both thumbs."""
FLAT_ORDER = (2, 3, 4, 5, 7, 8, 9, 10, 1, 6)
ROLLED_ORDER = FINGERS


def capture_plan(*, slaps: bool, rolled: bool) -> list[Placement]:
    """The placements of one enrollment, in the order of the rules."""
    if slaps:
        plan = [Placement(f, Impression.SLAP) for f in SLAPS]
    else:
        plan = [Placement((f,), Impression.FLAT) for f in FLAT_ORDER]
    if rolled:
        plan += [Placement((f,), Impression.ROLLED) for f in ROLLED_ORDER]
    return plan


class Condition(StrEnum):
    """Why a finger has no usable print (recorded with a note; the supervisor reviews it)."""

    MISSING = "missing"  # missing or amputated: permanent
    BANDAGED = "bandaged"  # bandaged or injured: temporary, taken again at the next card
    SCARRED = "scarred"
    FADED = "faded"  # worn ridges, still too faded after the attempts
    CANNOT_PLACE = "cannot_place"  # the hand cannot be opened or placed (paralysis, contracture)


CONDITION_NAMES: dict[str, str] = {
    Condition.MISSING: N_("Missing or amputated"),
    Condition.BANDAGED: N_("Bandaged or injured"),
    Condition.SCARRED: N_("Scarred"),
    Condition.FADED: N_("Too faded after the attempts"),
    Condition.CANNOT_PLACE: N_("Cannot be placed (hand cannot open)"),
}
PERMANENT = frozenset({Condition.MISSING})
