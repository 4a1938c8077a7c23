"""The idle lock: after some minutes without input the window is covered and asks a password.

Why an overlay and not a sign-out: MOSIP's client logs out on idle and the enrollment being
typed is lost (ARCHITECTURE.md, "Lessons from the field"). Here nothing under the cover is
closed, reset or re-created — the search text, the wizard page, the camera preview's state stay
as they were; the cover only hides them and swallows input until the same officer's password
(or a supervisor's, who then takes over the session) is given. Wrong passwords are audited
and count towards the lockout. Thirty seconds before it locks, a notice at the top of the window
counts down, so an officer reading a form aloud is not surprised by the cover.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import StationError
from db.service import StationService
from gui.signin import failure_text
from resources.i18n import _

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.ContextMenu,
    }
)


class LockCover(QFrame):
    """Opaque cover over the whole main window with the unlock form."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockCover { background: #1f2a36; } "
                           "#lockCover QLabel { color: white; } "
                           "#lockCover QLineEdit { padding: 4px; min-height: 24px; }")  # fmt: skip
        box = QFrame(self)
        box.setObjectName("lockBox")
        box.setStyleSheet("#lockBox { background: #2c3b4c; border-radius: 8px; }")
        box.setFixedWidth(520)
        self.title = QLabel()
        self.title.setObjectName("panelTitle")
        self.title.setWordWrap(True)
        self.user = QLineEdit()
        self.user.setObjectName("lockUser")
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        hint = QLabel(
            _("Your work is kept exactly as it was. A supervisor can unlock with their own "
              "password to take over.")
        )  # fmt: skip
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("User name:"), self.user)
        form.addRow(_("Password:"), self.password)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(self.title)
        inner.addWidget(hint)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.hide()


WARN_MS = 30_000  # the notice before the lock


class LockWarning(QLabel):
    """A notice over the top of the window: the lock is near; any input puts it off."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("lockWarning")
        self.setStyleSheet(
            "#lockWarning { background: #fff3c4; color: #5c4400; border: 1px solid #d9b300; "
            "border-radius: 6px; padding: 8px 16px; }"
        )
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        self.setText(
            _("The screen locks in {seconds} s. Move the mouse or press a key to keep working.")
            .format(seconds=seconds)
        )
        self.adjustSize()
        host = self.parentWidget()
        assert host is not None
        self.move((host.width() - self.width()) // 2, 48)
        self.show()
        self.raise_()


class IdleLock(QObject):
    """Watches the application's input; locks ``window`` after the idle interval (setting).

    ``service_of`` is the window's signed-in service; ``unlocked`` carries the service now
    working (the same one, or a supervisor's who took over). ``interval_ms`` overrides the
    setting (tests).
    """

    locked = Signal()
    unlocked = Signal(object)  # the StationService now working

    def __init__(
        self, window: QMainWindow, service_of: Callable[[], StationService],
        interval_ms: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(window)
        self.service_of = service_of
        if interval_ms is None:
            interval_ms = service_of().settings().idle_lock_minutes * 60_000
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.lock)
        self.warning = LockWarning(window)
        self.warn_timer = QTimer(self)  # fires WARN_MS before the lock
        self.warn_timer.setSingleShot(True)
        self.warn_timer.timeout.connect(self._warn)
        self.tick = QTimer(self)  # the countdown, once a second
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._count_down)
        self.cover = LockCover(window)
        self.cover.unlock_button.clicked.connect(self.try_unlock)
        self.cover.password.returnPressed.connect(self.try_unlock)
        self._focus: QWidget | None = None
        window.installEventFilter(self)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.restart()

    def restart(self) -> None:
        """Input came: the idle countdown starts again and any notice goes."""
        self.timer.start()
        self.tick.stop()
        self.warning.hide()
        interval = self.timer.interval()
        if interval > WARN_MS:
            self.warn_timer.start(interval - WARN_MS)
        else:
            self.warn_timer.stop()

    def _warn(self) -> None:
        if not self.is_locked and self.timer.isActive():
            self._count_down()
            self.tick.start()

    def _count_down(self) -> None:
        left = self.timer.remainingTime()
        if self.is_locked or left < 0:
            self.tick.stop()
            self.warning.hide()
            return
        self.warning.show_seconds(max(1, round(left / 1000)))

    @property
    def host(self) -> QMainWindow:
        """The window covered (the parent: no reference of our own to keep it alive)."""
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    @property
    def is_locked(self) -> bool:
        return self.cover.isVisible()

    def _in_cover(self, obj: QObject) -> bool:
        node: QObject | None = obj
        while node is not None:
            if node is self.cover:
                return True
            node = node.parent()
        return False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and obj is self.parent() and self.is_locked:
            self.cover.setGeometry(self.host.rect())
        if kind in INPUT_EVENTS:
            if self.is_locked:
                # Swallow input meant for what lies under the cover (typing, shortcuts, menus).
                return isinstance(obj, QWidget) and not self._in_cover(obj)
            self.restart()  # any input restarts the idle countdown
        return False

    def lock(self) -> None:
        """Cover the window; nothing under it is touched."""
        if self.is_locked:
            return
        service = self.service_of()
        actor = service.actor
        self._focus = QApplication.focusWidget()
        self.timer.stop()
        self.warn_timer.stop()
        self.tick.stop()
        self.warning.hide()
        self.cover.title.setText(
            _("Locked — {name} ({user})").format(name=actor.full_name, user=actor.username)
        )
        self.cover.user.setText(actor.username)
        self.cover.password.clear()
        self.cover.message.clear()
        self.cover.setGeometry(self.host.rect())
        self.cover.show()
        self.cover.raise_()
        self.cover.password.setFocus()
        with contextlib.suppress(StationError):
            service.lock_screen()
        self.locked.emit()

    def try_unlock(self) -> None:
        try:
            new = self.service_of().unlock(self.cover.user.text(), self.cover.password.text())
        except StationError as exc:
            self.cover.message.setText(failure_text(exc))
            self.cover.password.clear()
            self.cover.password.setFocus()
            return
        self.cover.hide()
        if self._focus is not None:
            self._focus.setFocus()
        self.restart()
        self.unlocked.emit(new)
