"""Figures for reading a card's QR code through the webcam (issue 17): time per frame, what the
reader needs, and frames from first sight to a read card.

    python bench/card_qr.py              # all three tables
    python bench/card_qr.py -n 200       # more repetitions per frame
    python bench/card_qr.py --sequences 40

Frames are made by tests/capture/card_images.py (segno codes on a card layout, held before a
desk through a simulated webcam; deterministic). Single-threaded (``cv2.setNumThreads(1)``),
as the camera thread shares two cores with the GUI; wall time is noisy on a shared machine,
so the CPU time of the process (``time.process_time``) is printed too.

1. **Time per frame** (``CardReader.read``, 640×480 unless named): each variant of the tests
   ``n`` times; the median and p90 over every variant and repetition (target: ≤ 20 ms median).
2. **What it reads** — by module size: seeded random poses (turned ±20°, tilted, blur σ
   0.4–1.1 px, gain 0.4–1.1) with the code's modules 2.0 to 4.5 px wide, read by this reader
   and, for comparison, by OpenCV's own ``QRCodeDetector`` and ``QRCodeDetectorAruco``
   ``detectAndDecode`` on the whole frame.
3. **Frames from first sight to a read card**: the card comes into view from the side, far
   and small (modules 1.5 px), is brought closer (motion blur while it moves), slows and is
   held (about 3 px, a little shake); also the card first held too close (blurred) and then
   moved back. Each sequence at 30 frames a second, counted from the first frame where the
   code is wholly in the picture to the first read, and from the first frame the card is
   held (a read on that frame counts 1); the median over seeded sequences. The first count is
   mostly how fast the card is brought in (the simulation's choice); the second is the reader.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import cv2
import numpy as np
from _common import median, percentile  # puts the project on sys.path

from capture.card.reader import CardReader, Hint
from tests.capture import card_images as C


def _time(reader: CardReader, frame: np.ndarray, n: int) -> tuple[list[float], list[float]]:
    reader.read(frame)  # warm
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        reader.read(frame)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def per_frame(n: int) -> None:
    reader = CardReader()
    print(f"1. CardReader.read per frame, {n} runs each (OpenCV {cv2.__version__}, 1 thread)")
    print(f"{'variant':<20} {'size':>9} {'median ms':>9} {'p90 ms':>7} {'cpu ms':>7}  hint")
    all_wall, all_cpu = [], []
    for name in [*C.READABLE, *C.UNREADABLE]:
        frame = C.frame(name)
        wall, cpu = _time(reader, frame, n)
        h, w = frame.shape[:2]
        read = reader.read(frame)
        print(f"{name:<20} {w:>4}x{h:<4} {median(wall):9.1f} {percentile(wall, 90):7.1f} "
              f"{median(cpu):7.1f}  {read.hint.value}")  # fmt: skip
        if (w, h) == C.FRAME:
            all_wall += wall
            all_cpu += cpu
    print(f"{'all 640x480':<30} {median(all_wall):9.1f} {percentile(all_wall, 90):7.1f} "
          f"{median(all_cpu):7.1f}  (target: median ≤ 20 ms)")  # fmt: skip


def _random_frames(count: int, lo: float, hi: float, seed: int) -> Iterator[np.ndarray]:
    rng = np.random.default_rng(seed)
    for i in range(count):
        pose = C.aimed(rng.uniform(lo, hi), qr_x=rng.uniform(0.35, 0.65),
                       qr_y=rng.uniform(0.35, 0.65), turn_deg=rng.uniform(-20, 20),
                       tilt=rng.uniform(0, 0.2), tilt_side=rng.uniform(-0.08, 0.08))  # fmt: skip
        yield C.card_frame(pose=pose, seed=1000 + i, blur=rng.uniform(0.4, 1.1),
                           gain=rng.uniform(0.4, 1.1), noise=rng.uniform(1.5, 4))  # fmt: skip


def what_it_reads(count: int) -> None:
    reader = CardReader()
    plain, aruco = cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()

    def opencv(detector: cv2.QRCodeDetector | cv2.QRCodeDetectorAruco, f: np.ndarray) -> bool:
        text, _points, _straight = detector.detectAndDecode(f)
        return bool(text == C.CARD_TEXT)

    print(f"\n2. Codes read out of {count} random poses per module size (640x480)")
    print(f"{'modules':<12} {'this reader':>11} {'cv2 plain':>10} {'cv2 aruco':>10}  "
          f"{'median ms':>9} {'(plain)':>8}")  # fmt: skip
    for lo, hi in ((2.0, 2.5), (2.5, 3.0), (3.0, 3.5), (3.5, 4.5)):
        ours = cv_plain = cv_aruco = 0
        t_ours, t_plain = [], []
        for frame in _random_frames(count, lo, hi, seed=int(lo * 10)):
            grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            t = time.perf_counter()
            ours += reader.read(frame).text == C.CARD_TEXT
            t_ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            cv_plain += opencv(plain, grey)
            t_plain.append((time.perf_counter() - t) * 1000)
            cv_aruco += opencv(aruco, grey)
        print(f"{lo:.1f}-{hi:.1f} px   {ours:>8}/{count} {cv_plain:>7}/{count} "
              f"{cv_aruco:>7}/{count}  {median(t_ours):9.1f} {median(t_plain):8.1f}")  # fmt: skip


def _sequence(seed: int, too_close_first: bool) -> Iterator[tuple[np.ndarray, bool, bool]]:
    """Frames of one approach (see the module's note), whether the code is wholly in view and
    whether the card is held (no longer brought closer or moved back)."""
    rng = np.random.default_rng(seed)
    turn = rng.uniform(-15, 15)
    tilt = rng.uniform(0, 0.15)
    gain = rng.uniform(0.5, 1.0)
    qx, qy = rng.uniform(0.4, 0.6), rng.uniform(0.4, 0.6)
    if too_close_first:  # 8 frames blurred up close, then moved back over 10, then held
        steps = ([(7.0 - 0.1 * i, 6.0, 0.0) for i in range(8)]
                 + [(7.0 - 0.4 * i, 6.0 - 0.5 * i, 12.0) for i in range(10)]
                 + [(3.0 + rng.normal(0, 0.05), 0.8, rng.uniform(0, 2)) for _ in range(30)])
    else:  # 4 frames sliding in from the side, 12 brought closer, then slowing and held
        steps = ([(1.5, 0.7, 25.0)] * 4
                 + [(1.5 + 0.15 * i, 0.7, 18.0 - 1.2 * i) for i in range(12)]
                 + [(3.2 + rng.normal(0, 0.05), 0.7, max(0.0, 4.0 - i) + rng.uniform(0, 1.5))
                    for i in range(30)])  # fmt: skip
    moving = 18 if too_close_first else 16  # frames before the card is held
    for i, (module_px, blur, speed) in enumerate(steps):
        x = qx - (0.06 * (4 - i) if (not too_close_first and i < 4) else 0.0)
        pose = C.aimed(module_px, qr_x=x, qr_y=qy + rng.normal(0, 0.004),
                       turn_deg=turn + rng.normal(0, 0.5), tilt=tilt)  # fmt: skip
        frame = C.card_frame(pose=pose, seed=seed * 100 + i, blur=blur, gain=gain,
                             motion=(speed, rng.uniform(0, 180)))  # fmt: skip
        yield frame, too_close_first or i >= 1, i >= moving


def to_first_read(count: int) -> None:
    print(f"\n3. Frames to a read card (30 frames/s), {count} seeded sequences: from the first "
          "frame with the code in view, and from the first frame the card is held")
    print(f"{'sequence':<30} {'from sight':>10} {'p90':>4} {'from held':>9} {'p90':>4} "
          f"{'unread':>6}  hints on the way")  # fmt: skip
    for label, close in (("far, brought closer, held", False),
                         ("too close, moved back, held", True)):  # fmt: skip
        sight: list[float] = []
        held: list[float] = []
        never = 0
        hints: dict[str, int] = {}
        for seed in range(count):
            reader = CardReader()
            seen = steady = None
            for i, (frame, in_view, still) in enumerate(_sequence(seed, close)):
                seen = i if seen is None and in_view else seen
                steady = i if steady is None and still else steady
                read = reader.read(frame)
                if read.hint is Hint.FOUND:
                    sight.append(i - (seen or 0) + 1)
                    held.append(max(0, i - (steady if steady is not None else i)) + 1)
                    break
                hints[read.hint.value] = hints.get(read.hint.value, 0) + 1
            else:
                never += 1
        shown = ", ".join(f"{k} {v}" for k, v in sorted(hints.items(), key=lambda kv: -kv[1]))
        nan = float("nan")
        print(f"{label:<30} {median(sight) if sight else nan:10.0f} {percentile(sight, 90):4.0f} "
              f"{median(held) if held else nan:9.0f} {percentile(held, 90):4.0f} {never:>6}  "
              f"{shown}")  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=50, help="repetitions per frame (table 1)")
    p.add_argument("--poses", type=int, default=30, help="random poses per size (table 2)")
    p.add_argument("--sequences", type=int, default=20, help="approaches (table 3)")
    a = p.parse_args()
    cv2.setNumThreads(1)
    per_frame(a.n)
    what_it_reads(a.poses)
    to_first_read(a.sequences)


if __name__ == "__main__":
    main()
