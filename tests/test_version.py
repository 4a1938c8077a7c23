"""The version and build date: one number (pyproject.toml) wherever it is read, and the build
date only where the frozen build wrote it (packaging/enrollment-station.spec)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import main
from resources import version
from tests.conftest import ROOT


def _pyproject() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def test_the_version_is_pyprojects_installed_or_not(tmp_path: Path) -> None:
    assert version.version() == _pyproject()
    assert version._pyproject_version(ROOT / "pyproject.toml") == _pyproject()
    assert version._pyproject_version(tmp_path / "none.toml") == version.UNKNOWN


def test_from_source_it_says_development_build(capsys: pytest.CaptureFixture[str]) -> None:
    assert version.build_info() is None
    with pytest.raises(SystemExit) as done:
        main.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == (
        f"enrollment-station {_pyproject()} (development build)"
    )


def test_the_bundles_build_info_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(version, "path", lambda *parts: tmp_path.joinpath(*parts))
    (tmp_path / version.BUILD_INFO).write_text(
        json.dumps({"built": "2026-03-12T01:05:00Z", "commit": "abc1234"}), "utf-8"
    )
    assert version.build_info() == version.BuildInfo("2026-03-12T01:05:00Z", "abc1234")
    assert version.describe().endswith("(built 2026-03-12T01:05:00Z, commit abc1234)")
    (tmp_path / version.BUILD_INFO).write_text("{not json", "utf-8")
    assert version.build_info() is None  # a damaged file reads as a development build
