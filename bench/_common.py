"""Shared helpers for the bench scripts: a throwaway station that never touches the user's
keyring, and percentile printing."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def isolated_keyring() -> None:
    """Benches use the key-file path with a fixed passphrase, never the real keyring."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    os.environ.setdefault("ENROLLMENT_STATION_PASSPHRASE", "bench-passphrase")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)
