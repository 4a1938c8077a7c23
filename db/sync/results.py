"""What an import found and did, and a file that passed its checks (shared by the merge at
headquarters and the laptop's apply, so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.models import PairedStation
from db.sync import container


@dataclass
class ImportResult:
    kind: str
    sender: str
    sender_name: str
    added: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0
    reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)  # kinds of the cases opened
    receipt: dict[str, Any] | None = None  # HQ: the receipt to write

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sender": self.sender, "sender_name": self.sender_name,
                "added": self.added, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "refused": self.refused, "reason": self.reason, "counts": self.counts,
                "cases": len(self.cases)}  # fmt: skip


@dataclass
class Checked:
    header: container.Header
    sha256: str
    peer: PairedStation
    box_private: bytes
