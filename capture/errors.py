"""Domain errors of the capture engine.

The GUI maps these to plain-language dialogs; the CLI maps them to exit statuses. Messages are
English (for logs and the CLI); the ``vi`` attribute carries the Vietnamese text for officers.
"""

from __future__ import annotations


class CaptureError(Exception):
    """Base class: anything the capture engine reports as an expected failure."""

    def __init__(self, message: str, vi: str | None = None) -> None:
        super().__init__(message)
        self.vi = vi or message


class ImageReadError(CaptureError):
    """A photo file could not be read (missing, empty, not an image, truncated, too large)."""


class FrameSourceError(CaptureError):
    """A frame source could not be opened or used."""


class CameraDisconnected(FrameSourceError):
    """The camera stopped delivering frames (unplugged, driver hang); close and reopen it."""


class PortraitError(CaptureError):
    """No portrait can be made from this frame (no face was found)."""
