"""What an import found and did, and a file that passed its checks (shared by the merge at
headquarters and the laptop's apply, so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import PairedStation
from db.sync import container


@dataclass
class Checked:
    header: container.Header
    sha256: str
    peer: PairedStation
    box_private: bytes
