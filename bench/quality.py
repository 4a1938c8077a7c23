"""Figures for the portrait engine (issue 3): the time of ``assess`` and the calibration table.

    python bench/quality.py              # median/p95 of assess at 640×480 and 1920×1080
    python bench/quality.py --mode normal -n 100   # only one mode, more runs
    python bench/quality.py --calibrate  # the measurements behind capture/thresholds.py

Single-threaded (``cv2.setNumThreads(1)``) on real faces shipped in matplotlib and skimage
(test-only packages: this script is not part of the runtime). Two figures per frame:

- ``cold``: ``assess(frame)`` with no hint, a single photo (a still, a file): the whole frame
  is searched at every size (and in bedridden mode in four rotations);
- ``preview``: the steady state of the live preview, ``FaceTracker.assess(frame)`` on
  consecutive frames: the face is looked for near where it was, with a full count every
  ``RECOUNT_EVERY`` frames (those frames are in the figures: they make the p95);
- ``hinted`` (stills only): ``assess(still, mode, hint=report)`` with the report of a 640 px
  preview of the same scene, as the GUI does when the officer presses the shutter.

The issue's targets: preview ≤ 15 ms median at 640×480, a still ≤ 60 ms at 1920×1080 (cold).
Wall time is noisy on a shared machine: the CPU time of the process (``time.process_time``)
is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture import measures as M
from capture.quality import assess
from capture.report import Mode
from capture.tracking import RECOUNT_EVERY, FaceTracker

LIGHT = 228


def faces() -> dict[str, np.ndarray]:
    from matplotlib import cbook
    from skimage import data

    with cbook.get_sample_data("grace_hopper.jpg") as fh:
        gh = cv2.imdecode(np.frombuffer(fh.read(), np.uint8), cv2.IMREAD_COLOR)
    return {"grace_hopper": gh, "astronaut": np.ascontiguousarray(data.astronaut()[:, :, ::-1])}


def frame_of(face: np.ndarray, size: tuple[int, int], fill: float) -> np.ndarray:
    """The photo scaled to ``fill`` of the frame height, centred on a light wall."""
    w, h = size
    s = fill * h / face.shape[0]
    img = cv2.resize(face, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    canvas = np.full((h, w, 3), LIGHT, np.uint8)
    ih, iw = img.shape[:2]
    x0 = (w - iw) // 2
    canvas[h - ih :, x0 : x0 + iw] = img
    return canvas


def _stats(wall: list[float], cpu: list[float]) -> tuple[float, float, float]:
    wall = sorted(wall)
    return statistics.median(wall), wall[int(0.95 * (len(wall) - 1))], statistics.median(cpu)


def timings(frame: np.ndarray, mode: Mode, n: int) -> dict[str, tuple[float, float, float]]:
    """(median ms, p95 ms, median CPU ms) for cold single frames and the tracked preview."""
    out = {}
    assess(frame, mode)  # cascades loaded, caches warm
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        assess(frame, mode)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    out["cold"] = _stats(wall, cpu)
    tracker = FaceTracker(mode)
    tracker.assess(frame)  # the first frame is cold; the steady state follows
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        tracker.assess(frame)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    out["preview"] = _stats(wall, cpu)
    if max(frame.shape[:2]) > 1000:  # a still, with the last preview report as the hint
        h, w = frame.shape[:2]
        preview = cv2.resize(frame, (640, round(640 * h / w)), interpolation=cv2.INTER_AREA)
        hint = assess(preview, mode)
        wall, cpu = [], []
        for _ in range(n):
            t, c = time.perf_counter(), time.process_time()
            assess(frame, mode, hint=hint)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        out["hinted"] = _stats(wall, cpu)
    return out


def bench(n: int, modes: tuple[Mode, ...]) -> None:
    cv2.setNumThreads(1)
    print(
        f"assess() single-threaded, {n} runs per frame (OpenCV {cv2.__version__}); "
        f"preview = FaceTracker, full count every {RECOUNT_EVERY} frames"
    )
    print(
        f"{'frame':<24} {'mode':<10} {'how':<8} {'median ms':>9} {'p95 ms':>7} "
        f"{'cpu ms':>7}  accepted"
    )
    for name, face in faces().items():
        for size in ((640, 480), (1920, 1080)):
            frame = frame_of(face, size, 1.0)
            for mode in modes:
                ok = assess(frame, mode).accepted
                label = f"{name} {size[0]}x{size[1]}"
                for how, (med, p95, cpu) in timings(frame, mode, n).items():
                    print(
                        f"{label:<24} {mode.value:<10} {how:<8} {med:9.1f} {p95:7.1f} "
                        f"{cpu:7.1f}  {ok}"
                    )


def calibrate() -> None:
    """Each measurement on real faces: sharp, blurred σ=1/2/3, dark, bright, side-lit, far."""
    print(
        f"{'face':<13} {'case':<10} {'sharp':>7} {'mean':>5} {'dark%':>6} {'brt%':>5} "
        f"{'cheeks':>6} {'IED':>6} {'roll':>5}  found"
    )
    for name, face in faces().items():
        w = face.shape[1]
        ramp = np.clip(np.linspace(-1.2, 2.2, w), 0.12, 1.0).astype(np.float32)
        cases = {
            "sharp": face,
            "blur σ=1": cv2.GaussianBlur(face, (0, 0), 1),
            "blur σ=2": cv2.GaussianBlur(face, (0, 0), 2),
            "blur σ=3": cv2.GaussianBlur(face, (0, 0), 3),
            "dark": (face * 0.3).astype(np.uint8),
            "bright": np.clip(face * 1.8 + 60.0, 0, 255).astype(np.uint8),
            "side-lit": (face * ramp[None, :, None]).astype(np.uint8),
            "rotated": cv2.rotate(face, cv2.ROTATE_90_CLOCKWISE),
            "far": frame_of(face, (1600, 1200), 0.25),
        }
        for case, img in cases.items():
            r = assess(img, Mode.BEDRIDDEN if case == "rotated" else Mode.NORMAL)
            if r.face is None:
                print(f"{name:<13} {case:<10} {'no face':>7}")
                continue
            upright = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE) if case == "rotated" else img
            grey = cv2.cvtColor(upright, cv2.COLOR_BGR2GRAY)
            box = r.face.box
            mean, dark, bright = M.measure_exposure(grey, box)
            inter, _ = M.measure_lighting(grey, box)
            print(
                f"{name:<13} {case:<10} {M.measure_sharpness(grey, box):7.0f} {mean:5.2f} "
                f"{100 * dark:6.1f} {100 * bright:5.1f} {inter:6.2f} "
                f"{r.face.eye_distance:6.1f} {r.face.roll_deg:5.1f}  rot={r.rotation}"
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calibrate", action="store_true")
    p.add_argument("-n", type=int, default=60)
    p.add_argument("--mode", choices=[m.value for m in Mode], help="only this mode")
    a = p.parse_args()
    if a.calibrate:
        calibrate()
    else:
        bench(a.n, (Mode(a.mode),) if a.mode else tuple(Mode))


if __name__ == "__main__":
    main()
