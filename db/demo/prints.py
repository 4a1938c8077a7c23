"""The demo station's fingerprints: a dozen synthetic prints shipped as WSQ files.

Why shipped rather than made when the demo opens: a synthetic print takes ~0.2 s to grow
(capture/fingerprint/synth.py), and the demo's few hundred enrollments would each need ten.
The files are made once by ``python -m db.demo.prints`` (the simulated scanner's impressions,
scored by the real score) and reused round-robin; their names carry their scores.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from resources import path as resource_path

FOLDER = resource_path("demo_prints")
COUNT = 12
_NAME = re.compile(r"print-(\d+)-q(\d+)\.wsq")


@lru_cache(maxsize=1)
def demo_prints() -> tuple[tuple[bytes, int], ...]:
    """(WSQ bytes, score) of each shipped print, in a fixed order."""
    found = []
    for file in sorted(FOLDER.glob("print-*.wsq")):
        m = _NAME.fullmatch(file.name)
        if m:
            found.append((file.read_bytes(), int(m[2])))
    return tuple(found)


def write(folder: Path = FOLDER, count: int = COUNT) -> list[Path]:
    """Make the prints (the simulator's impressions of twelve fingers) and save them."""
    from capture.fingerprint import storage
    from capture.fingerprint.quality import assess_finger
    from capture.fingerprint.simulator import impression

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("print-*.wsq"):
        old.unlink()
    written = []
    for i in range(count):
        image = impression(seed=100 + i // 10, finger=1 + i % 10, attempt=1)
        data, fmt = storage.encode(image)
        assert fmt == "wsq"
        score = assess_finger(storage.decode(data, fmt)).score
        out = folder / f"print-{i:02d}-q{score}.wsq"
        out.write_bytes(data)
        written.append(out)
    return written


if __name__ == "__main__":
    for p in write():
        print(p.name, p.stat().st_size, "bytes")
    sys.exit(0)
