"""What every wizard step shares: the bound station service, the enrollment, and the one writer.

Every call a step makes into the core goes through ``ctx.service`` (db/service.py), which checks
the officer's role and writes the audit trail. ``service`` follows the window: when a supervisor
takes over at the lock screen, the next write is theirs. Database writes go through a
single-thread pool (SQLite likes one writer, and a step's save must land before the submit that
follows it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool

from db.service import StationService
from db.types import EnrollmentInfo, ResidentDetail
from gui.ops import run_op

if TYPE_CHECKING:
    from capture.fingerprint.scanner import Scanner
    from capture.sources import CameraSource  # cv2 loads only when a camera is opened

_writer: QThreadPool | None = None


def writer_pool() -> QThreadPool:
    """One thread for every database write of the desk, in the order they were asked."""
    global _writer
    if _writer is None:
        _writer = QThreadPool()
        _writer.setMaxThreadCount(1)
        _writer.setObjectName("db-writer")
    return _writer


@dataclass
class WizardContext:
    service_of: Callable[[], StationService]  # the window's current service
    camera_factory: Callable[[], CameraSource]
    place: str = "hq"
    resident: ResidentDetail | None = None  # None: a new person (DC01) until details are saved
    info: EnrollmentInfo | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    scanner_factory: Callable[[], Scanner] | None = None  # None: no scanner (the step says so)

    @property
    def service(self) -> StationService:
        return self.service_of()

    @property
    def uuid(self) -> str:
        assert self.info is not None, "no enrollment yet"
        return self.info.uuid

    def write(
        self,
        parent: QObject,
        op: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        run_op(parent, op, on_success, on_failure, pool=writer_pool())

    def read(
        self,
        parent: QObject,
        op: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        run_op(parent, op, on_success, on_failure)
