"""Files the program ships with (fonts, translations, sample register, stylesheet).

A package so that they are found next to the code however it is installed.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a shipped resource file."""
    return ROOT.joinpath(*parts)
