"""The program's version and build date (Trợ giúp → Giới thiệu, ``main.py --version``).

The version is the installed package's (its metadata: one number, kept in pyproject.toml),
read from pyproject.toml itself when the checkout is not installed. The build date exists only
in the frozen build: packaging/enrollment-station.spec writes ``build_info.json`` beside this
module inside the bundle, so an officer reading the About dialog and a support call can tell
which build a station runs. From a checkout there is none: "development build".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from resources import path

DISTRIBUTION = "enrollment-station"
#: Written into the bundle at build time (packaging/enrollment-station.spec), never committed.
BUILD_INFO = "build_info.json"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class BuildInfo:
    """What the build wrote: when (UTC, ISO 8601) and from which commit (may be empty)."""

    built: str
    commit: str = ""


def version() -> str:
    """The program's version: the package metadata, else pyproject.toml, else "unknown"."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:
        return _pyproject_version(path().parent / "pyproject.toml")


def _pyproject_version(pyproject: Path) -> str:
    import tomllib

    try:
        with pyproject.open("rb") as fh:
            found = tomllib.load(fh).get("project", {}).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        return UNKNOWN
    return str(found) if found else UNKNOWN


def build_info() -> BuildInfo | None:
    """The frozen build's record of itself; None when run from source (or the file is bad)."""
    try:
        data = json.loads(path(BUILD_INFO).read_text("utf-8"))
        return BuildInfo(built=str(data["built"]), commit=str(data.get("commit", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def describe() -> str:
    """One line for ``--version`` and logs: English, like every command-line flag's output."""
    info = build_info()
    if info is None:
        return f"{DISTRIBUTION} {version()} (development build)"
    commit = f", commit {info.commit}" if info.commit else ""
    return f"{DISTRIBUTION} {version()} (built {info.built}{commit})"
