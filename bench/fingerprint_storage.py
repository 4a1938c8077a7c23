"""Bytes per stored finger (issue 13): WSQ at the library's 0.75 bpp against lossless PNG.

    python bench/fingerprint_storage.py            # 15 prints: 3 patterns × 5 seeds, 500×500
    python bench/fingerprint_storage.py --seeds 20 --size 480 640

Prints from ``tests/capture/other_prints.py`` (the phase-field generator), and from
``capture.fingerprint.synth`` as well when it is there. For each: the bytes of
``storage.encode`` (WSQ), of a PNG at the highest compression, the WSQ round trip's mean
absolute error (grey levels) and its correlation with the original; medians are printed.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from capture.fingerprint import storage  # noqa: E402
from tests.capture import other_prints  # noqa: E402

Maker = Callable[[str, int, tuple[int, int]], np.ndarray]


def _makers() -> dict[str, Maker]:
    makers: dict[str, Maker] = {
        "other_prints": lambda p, s, size: other_prints.make_print(p, seed=s, size=size),
    }
    try:
        synth = importlib.import_module("capture.fingerprint.synth")
    except ImportError:
        return makers
    make = getattr(synth, "make_print", None) or getattr(synth, "synthetic_print", None)
    if make is not None:
        makers["synth"] = lambda p, s, size: make(p, seed=s)
    return makers


def measure(make: Maker, seeds: int, size: tuple[int, int]) -> dict[str, float]:
    wsq_bytes, png_bytes, errors, correlations, enc_ms, dec_ms = [], [], [], [], [], []
    for pattern in other_prints.PATTERNS:
        for seed in range(seeds):
            image = make(pattern, seed, size)
            t0 = time.perf_counter()
            data, fmt = storage.encode(image)
            t1 = time.perf_counter()
            back = storage.decode(data, fmt)
            t2 = time.perf_counter()
            assert fmt == "wsq", fmt
            png = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 9])[1]
            wsq_bytes.append(len(data))
            png_bytes.append(len(png))
            errors.append(float(np.mean(np.abs(back.astype(np.int16) - image))))
            correlations.append(float(np.corrcoef(back.ravel(), image.ravel())[0, 1]))
            enc_ms.append((t1 - t0) * 1000)
            dec_ms.append((t2 - t1) * 1000)
    med = statistics.median
    return {
        "prints": len(wsq_bytes),
        "wsq_bytes": med(wsq_bytes),
        "png_bytes": med(png_bytes),
        "ratio_vs_raw": size[0] * size[1] / med(wsq_bytes),
        "mae": med(errors),
        "correlation": med(correlations),
        "encode_ms": med(enc_ms),
        "decode_ms": med(dec_ms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--size", type=int, nargs=2, default=(500, 500), metavar=("H", "W"))
    args = parser.parse_args()
    cv2.setNumThreads(1)
    size = (args.size[0], args.size[1])
    print(f"{size[0]}×{size[1]} grey, 500 ppi; WSQ at {0.75} bpp (fixed by the wsq wrapper)")
    for name, make in _makers().items():
        r = measure(make, args.seeds, size)
        print(
            f"{name:>12}: {r['prints']:.0f} prints  WSQ median {r['wsq_bytes'] / 1024:.1f} KB "
            f"({r['ratio_vs_raw']:.0f}:1 of raw)  PNG median {r['png_bytes'] / 1024:.1f} KB  "
            f"WSQ round trip: MAE {r['mae']:.2f} grey levels, r = {r['correlation']:.4f}  "
            f"encode {r['encode_ms']:.0f} ms, decode {r['decode_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
