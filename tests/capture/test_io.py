"""Photo files, frame sources, the portrait crop and the check-photo command."""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path
from typing import ClassVar

import cv2
import numpy as np
import pytest

from capture import cli
from capture.crop import portrait, portrait_image
from capture.detect import rotate
from capture.errors import CameraDisconnected, FrameSourceError, ImageReadError, PortraitError
from capture.imagefile import decode_image, load_image
from capture.quality import assess
from capture.report import Mode
from capture.sources import (
    ImageFileSource,
    VideoFileSource,
    WebcamSource,
    default_api_preference,
    list_cameras,
)


def _jpeg(img: np.ndarray) -> bytes:
    return cv2.imencode(".jpg", img)[1].tobytes()


# --- files ---------------------------------------------------------------------------------


def test_unicode_path_loads(tmp_path: Path, good: np.ndarray) -> None:
    p = tmp_path / "ảnh chân dung Hà Nhì.jpg"
    p.write_bytes(_jpeg(good))
    assert load_image(p).shape == good.shape


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"name,village\nGiang A Se,Huoi Lech\n", "not a photo")],
)
def test_bad_files_have_clear_errors(tmp_path: Path, content: bytes, words: str) -> None:
    p = tmp_path / "x.jpg"
    p.write_bytes(content)
    with pytest.raises(ImageReadError, match=words):
        load_image(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match="no such file"):
        load_image(tmp_path / "absent.jpg")


def test_truncated_jpeg(good: np.ndarray) -> None:
    data = _jpeg(good)
    with pytest.raises(ImageReadError, match="cut short"):
        decode_image(data[: len(data) // 2])


def test_header_claiming_200_megapixels_is_refused(good: np.ndarray) -> None:
    data = bytearray(_jpeg(good))
    i = data.index(b"\xff\xc0")  # baseline SOF0: length, precision, height, width
    data[i + 5 : i + 9] = struct.pack(">HH", 14000, 14500)
    with pytest.raises(ImageReadError, match="too large"):
        decode_image(bytes(data))


def test_50_megapixel_photo_is_decoded_reduced() -> None:
    big = np.full((6144, 8192, 3), 200, np.uint8)  # 50 MP
    img = decode_image(_jpeg(big))
    assert img.shape[0] * img.shape[1] <= 24_000_000 and img.shape[1] == 4096


# --- sources -------------------------------------------------------------------------------


class FakeCapture:
    """A cv2.VideoCapture stand-in that delivers ``frames`` good reads, then nothing."""

    opened: ClassVar[list[tuple[object, int]]] = []

    def __init__(
        self, index: object, api: int, frames: int = 3, frame: np.ndarray | None = None
    ) -> None:
        FakeCapture.opened.append((index, api))
        self.left = frames
        self.frame = frame if frame is not None else np.zeros((48, 64, 3), np.uint8)
        self.props: dict[int, float] = {}
        self.released = False

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.left <= 0:
            return False, None
        self.left -= 1
        return True, self.frame.copy()

    def release(self) -> None:
        self.released = True

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.props.get(prop, 0.0)


def test_webcam_unplugged_is_reported_then_reopens() -> None:
    cam = WebcamSource(1, 1280, 720, capture_factory=FakeCapture, max_failures=3)
    cam.open()
    assert cam.resolution == (1280, 720)
    frames = [cam.read() for _ in range(3)]
    assert all(f is not None for f in frames)
    assert cam.read() is None and cam.read() is None  # misses are not yet a disconnection
    with pytest.raises(CameraDisconnected):
        cam.read()
    cam.close()
    cam.open()  # plugged back in
    assert cam.read() is not None and cam.consecutive_failures == 0
    cam.close()


def test_webcam_that_cannot_open() -> None:
    class Closed(FakeCapture):
        def isOpened(self) -> bool:
            return False

    with pytest.raises(FrameSourceError):
        WebcamSource(0, capture_factory=Closed, api_preferences=(cv2.CAP_ANY,)).open()


def test_api_per_os_and_listing() -> None:
    assert default_api_preference("win32") == cv2.CAP_DSHOW
    assert default_api_preference("linux") == cv2.CAP_V4L2
    assert default_api_preference("darwin") == cv2.CAP_AVFOUNDATION
    cams = list_cameras(2, capture_factory=FakeCapture)
    assert [(c.index, c.width, c.height) for c in cams] == [(0, 64, 48), (1, 64, 48)]


def test_image_file_source(tmp_path: Path, good: np.ndarray) -> None:
    p = tmp_path / "phone.jpg"
    p.write_bytes(_jpeg(good))
    with ImageFileSource(p) as src:
        a, b = src.read(), src.read()
        assert a is not None and b is not None and a.shape == good.shape
    with pytest.raises(FrameSourceError):
        ImageFileSource(tmp_path / "none.jpg").open()


@pytest.fixture(scope="session")
def video(tmp_path_factory: pytest.TempPathFactory, good: np.ndarray) -> Path:
    p = tmp_path_factory.mktemp("video") / "demo.avi"
    frame = cv2.resize(good, (320, 240))
    w = cv2.VideoWriter(str(p), cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    for _ in range(4):
        w.write(frame)
    w.release()
    return p


def test_video_file_runs_out_like_an_unplugged_camera(video: Path) -> None:
    src = VideoFileSource(video, max_failures=2)
    src.open()
    assert sum(src.read() is not None for _ in range(4)) == 4
    assert src.read() is None
    with pytest.raises(CameraDisconnected):
        src.read()
    src.close()
    looped = VideoFileSource(video, loop=True)
    with looped:
        assert all(looped.read() is not None for _ in range(10))


# --- portrait ------------------------------------------------------------------------------


def test_portrait_is_upright_3_by_4_jpeg(good: np.ndarray) -> None:
    r = assess(good)
    data = portrait(good, r)
    assert data[:2] == b"\xff\xd8" and 30_000 <= len(data) <= 80_000
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape[:2] == (640, 480)
    again = assess(img)  # the crop is itself a good portrait: head ≈ 75 % of the height
    assert again.face is not None and again.check("face_count").passed
    head = again.face.head_height / 640
    assert 0.65 <= head <= 0.85


def test_bedridden_portrait_is_upright_and_marked(good: np.ndarray) -> None:
    lying = rotate(good, 90)
    r = assess(lying, Mode.BEDRIDDEN)
    data = portrait(lying, r)
    assert b"mode=bedridden" in data[:200]
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    up = assess(img)
    assert up.rotation == 0 and up.check("orientation").passed


def test_portrait_levels_the_eyes(astronaut: np.ndarray) -> None:
    r = assess(astronaut)
    assert r.face is not None and r.face.eyes_measured and abs(r.face.roll_deg) > 2
    img = portrait_image(astronaut, r)
    again = assess(img)
    assert again.face is not None and again.face.eyes_measured
    assert abs(again.face.roll_deg) < abs(r.face.roll_deg)


def test_no_portrait_without_a_face(chelsea: np.ndarray) -> None:
    with pytest.raises(PortraitError):
        portrait(chelsea, assess(chelsea))


# --- command line --------------------------------------------------------------------------


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=("vi", "en"))
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_cli_accepted_writes_portrait(
    tmp_path: Path, good: np.ndarray, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = tmp_path / "in.jpg", tmp_path / "out.jpg"
    src.write_bytes(_jpeg(good))
    assert _run(["check-photo", str(src), "--json", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accepted"] and report["portrait"] == str(out)
    assert {c["id"] for c in report["checks"]} >= {"face_count", "eyes"}
    assert out.stat().st_size > 20_000


def test_cli_rejected_and_unreadable(
    tmp_path: Path, chelsea: np.ndarray, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "cat.jpg"
    src.write_bytes(_jpeg(chelsea))
    assert _run(["--lang", "en", "check-photo", str(src), "--out", str(tmp_path / "o.jpg")]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "No face" in out and not (tmp_path / "o.jpg").exists()
    bad = tmp_path / "notes.txt"
    bad.write_text("not a photo")
    assert _run(["check-photo", str(bad)]) == 2
    assert _run(["check-photo", str(tmp_path / "missing.jpg"), "--bedridden"]) == 2
