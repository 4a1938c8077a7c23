"""Figures for the portrait engine (issue 3): the time of ``assess`` and the calibration table.

    python bench/quality.py              # median/p95 of assess at 640×480 and 1920×1080
    python bench/quality.py --calibrate  # the measurements behind capture/thresholds.py

Single-threaded (``cv2.setNumThreads(1)``) on real faces shipped in matplotlib and skimage
(test-only packages: this script is not part of the runtime).
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

from capture import checks as C
from capture.quality import assess
from capture.report import Mode

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


def timings(frame: np.ndarray, mode: Mode, n: int) -> tuple[float, float]:
    assess(frame, mode)
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        assess(frame, mode)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return statistics.median(ts), ts[int(0.95 * (len(ts) - 1))]


def bench(n: int) -> None:
    cv2.setNumThreads(1)
    print(f"assess() single-threaded, {n} runs per frame (OpenCV {cv2.__version__})")
    print(f"{'frame':<34} {'mode':<10} {'median ms':>9} {'p95 ms':>8}  accepted")
    for name, face in faces().items():
        for size, fill in (((640, 480), 1.0), ((1920, 1080), 1.0)):
            frame = frame_of(face, size, fill)
            for mode in (Mode.NORMAL, Mode.BEDRIDDEN):
                med, p95 = timings(frame, mode, n)
                ok = assess(frame, mode).accepted
                label = f"{name} {size[0]}x{size[1]}"
                print(f"{label:<34} {mode.value:<10} {med:9.1f} {p95:8.1f}  {ok}")


def calibrate() -> None:
    """Each measurement on real faces: sharp, blurred σ=1/2/3, dark, bright, side-lit, far."""
    print(f"{'face':<13} {'case':<10} {'sharp':>7} {'mean':>5} {'dark%':>6} {'brt%':>5} "
          f"{'cheeks':>6} {'IED':>6} {'roll':>5}  found")
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
            mean, dark, bright = C.measure_exposure(grey, box)
            inter, _ = C.measure_lighting(grey, box)
            print(f"{name:<13} {case:<10} {C.measure_sharpness(grey, box):7.0f} {mean:5.2f} "
                  f"{100 * dark:6.1f} {100 * bright:5.1f} {inter:6.2f} "
                  f"{r.face.eye_distance:6.1f} {r.face.roll_deg:5.1f}  rot={r.rotation}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calibrate", action="store_true")
    p.add_argument("-n", type=int, default=60)
    a = p.parse_args()
    if a.calibrate:
        calibrate()
    else:
        bench(a.n)


if __name__ == "__main__":
    main()
