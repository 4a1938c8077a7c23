"""``main.py check-finger``: run as a user would (``main(argv)`` in this process), on prints of
the second generator, so the contract is checked whatever score the quality engine gives."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture.fingerprint import cli, quality, storage
from tests.capture.other_prints import make_print
from tests.cli_runner import Ran, run

KEYS = {"score", "passed", "reasons", "features"}


@pytest.fixture(scope="module")
def prints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same good print as PNG, BMP and WSQ, a blank glass, and a file that is no image,
    in a folder with a Vietnamese name."""
    folder = tmp_path_factory.mktemp("cli") / "vân tay"
    folder.mkdir()
    good = make_print("loop", seed=11)
    files = {
        "good.png": cv2.imencode(".png", good)[1].tobytes(),
        "good.bmp": cv2.imencode(".bmp", good)[1].tobytes(),
        "good.wsq": storage.encode(good)[0],
        "blank.png": cv2.imencode(".png", np.full((500, 500), 232, np.uint8))[1].tobytes(),
        "sổ hộ khẩu.png": b"Ho va ten;Ngay sinh\n",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def _report(out: Ran) -> dict[str, object]:
    data = json.loads(out.stdout)
    assert set(data) == KEYS, data
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
    assert isinstance(data["passed"], bool)
    assert out.returncode == (0 if data["passed"] else 1), out
    assert all(isinstance(v, float | int) for v in data["features"].values())
    for reason in data["reasons"]:
        assert set(reason) == {"code", "vi", "en"} and reason["code"] in quality.REASONS
        assert reason["en"] == quality.REASONS[reason["code"]]
        assert reason["vi"] and reason["vi"] != reason["en"]  # from the catalogue
    return data


@pytest.mark.parametrize("name", ["good.png", "good.bmp", "good.wsq"])
def test_a_print_file_is_scored(prints: dict[str, Path], cli_env: dict[str, str],
                                name: str) -> None:  # fmt: skip
    data = _report(run(cli_env, "check-finger", str(prints[name]), "--json"))
    assert data["passed"] == (data["score"] >= quality.DEFAULT_THRESHOLD)


def test_the_three_formats_score_alike(prints: dict[str, Path], cli_env: dict[str, str]) -> None:
    scores = [
        _report(run(cli_env, "check-finger", str(prints[n]), "--json"))["score"]
        for n in ("good.png", "good.bmp", "good.wsq")
    ]
    assert scores[0] == scores[1]  # the same pixels
    assert abs(int(scores[2]) - int(scores[0])) <= 15  # WSQ is lossy but keeps the ridges


def test_blank_glass_fails(prints: dict[str, Path], cli_env: dict[str, str]) -> None:
    out = run(cli_env, "check-finger", str(prints["blank.png"]), "--json")
    data = _report(out)
    assert out.returncode == 1 and data["passed"] is False and data["reasons"]


def test_threshold_decides_the_exit(prints: dict[str, Path], cli_env: dict[str, str]) -> None:
    path = str(prints["good.png"])
    score = _report(run(cli_env, "check-finger", path, "--json"))["score"]
    assert run(cli_env, "check-finger", path, "--threshold", "0").returncode == 0
    blank = str(prints["blank.png"])
    assert run(cli_env, "check-finger", blank, "--threshold", "0").returncode == 0
    out = run(cli_env, "check-finger", path, "--json", "--threshold", "100")
    assert out.returncode == (0 if score == 100 else 1)
    assert _report(out)["passed"] is (score == 100)
    for bad in ("101", "-1", "forty", "40.5"):
        out = run(cli_env, "check-finger", path, "--threshold", bad)
        assert out.returncode == 2 and "--threshold" in out.stderr and not out.stdout


def test_unreadable_file(prints: dict[str, Path], cli_env: dict[str, str],
                         tmp_path: Path) -> None:  # fmt: skip
    bad = str(prints["sổ hộ khẩu.png"])
    out = run(cli_env, "--lang", "en", "check-finger", bad)
    assert out.returncode == 2 and "not a fingerprint image" in out.stderr
    assert "Traceback" not in out.stderr and not out.stdout
    out = run(cli_env, "check-finger", bad, "--json")
    error = json.loads(out.stdout)["error"]
    assert out.returncode == 2 and set(error) == {"vi", "en"} and error["vi"] != error["en"]
    out = run(cli_env, "check-finger", str(tmp_path / "không có.wsq"))
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_table_in_the_current_language(prints: dict[str, Path], cli_env: dict[str, str]) -> None:
    blank = str(prints["blank.png"])
    data = _report(run(cli_env, "check-finger", blank, "--json"))
    first = data["reasons"][0]
    out = run(cli_env, "--lang", "vi", "check-finger", blank)
    assert out.returncode == 1
    assert "KHÔNG ĐẠT" in out.stdout and f"{data['score']}/100" in out.stdout
    assert first["vi"] in out.stdout and first["code"] in out.stdout
    out = run(cli_env, "--lang", "en", "check-finger", blank, "--threshold", "0")
    assert out.returncode == 0 and "PASSED" in out.stdout and "(needed: 0)" in out.stdout
    assert first["en"] in out.stdout


def test_the_help_default_is_the_quality_threshold() -> None:
    assert cli.DEFAULT_THRESHOLD == quality.DEFAULT_THRESHOLD
