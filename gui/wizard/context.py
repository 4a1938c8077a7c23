"""What every wizard step shares: the station, the officer, the enrollment, and the one writer.

All calls into the core that the desk makes are here, so that the permission checks and the
audit trail of the services (issue 5) are passed the signed-in officer in one place, and so the
steps stay thin. Database writes go through a single-thread pool (SQLite likes one writer, and
a step's save must land before the submit that follows it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool

from db import enrollment as enr
from db.actor import Actor
from db.residents import ResidentDetail
from db.station import StationDB
from gui.ops import run_op

if TYPE_CHECKING:
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
    db: StationDB
    actor: Actor
    camera_factory: Callable[[], CameraSource]
    place: str = "hq"
    resident: ResidentDetail | None = None  # None: a new person (DC01) until details are saved
    info: enr.EnrollmentInfo | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uuid(self) -> str:
        assert self.info is not None, "no enrollment yet"
        return self.info.uuid

    def write(
        self,
        parent: QObject,
        op: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        run_op(parent, op, on_success, on_failure, pool=writer_pool())

    def read(
        self,
        parent: QObject,
        op: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        run_op(parent, op, on_success, on_failure)


def as_actor(fn: Callable[..., Any], actor: Actor, *args: Any, **kwargs: Any) -> Any:
    """Call a core service as the signed-in officer.

    Services that check a role and write the audit trail take ``actor=``; read-only helpers
    (lookups of a draft, a resident) do not, and are called as they are.
    """
    import inspect

    if "actor" in inspect.signature(fn).parameters:
        kwargs["actor"] = actor
    return fn(*args, **kwargs)
