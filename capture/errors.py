"""Domain errors of the capture engine.

Each is a :class:`resources.problems.Problem`: an English message id with named fields, shown
translated by the GUI and the CLI through ``describe(exc)`` (the one gettext catalogue).
"""

from __future__ import annotations

from resources.i18n import N_
from resources.problems import Problem


class CaptureError(Problem):
    """Base class: anything the capture engine reports as an expected failure."""

    message = N_("The picture cannot be used.")


class ImageReadError(CaptureError):
    """A photo file could not be read (missing, empty, not an image, truncated, too large)."""

    message = N_("The photo file cannot be read.")


class FrameSourceError(CaptureError):
    """A frame source could not be opened or used."""

    message = N_("The camera cannot be used.")


class CameraDisconnected(FrameSourceError):
    """The camera stopped delivering frames (unplugged, driver hang); close and reopen it."""

    message = N_("The camera stopped sending pictures (unplugged?): check the cable and reopen it.")


class PortraitError(CaptureError):
    """No portrait can be made from this frame (no face was found)."""

    message = N_("No face in this frame: no portrait can be made.")
