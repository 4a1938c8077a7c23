"""Documents whose footer says "trang 2/5": the page count is known only once every page is
laid out, so the pages are kept until the document is saved and the footers drawn then.

Why not two passes: a list of a few hundred people takes as long to lay out as it takes; a
canvas that holds its pages' drawing until the end costs nothing more (the classic ReportLab
recipe). Everything stays in memory, like :func:`printing.blocks.render`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printing.blocks import PageCallback, render
from printing.fonts import REGULAR
from resources.i18n import _

#: The footer's text for (page, pages).
Footer = Callable[[int, int], str]
FOOTER_SIZE = 7.5


def page_of(page: int, pages: int) -> str:
    """ "trang 2/5" ("page 2/5")."""
    return _("page {page}/{pages}").format(page=page, pages=pages)


def _canvas_maker(footer: Footer, width: float, margin: float) -> Callable[..., Canvas]:
    class Numbered(Canvas):
        """Keeps each finished page's state; draws the footers once the count is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # what showPage does, unstubbed

        def save(self) -> None:
            pages = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(REGULAR, FOOTER_SIZE)
                self.drawRightString(width - margin, margin / 2,
                                     footer(self.getPageNumber(), pages))  # fmt: skip
                self.restoreState()
                super().showPage()
            super().save()

    return Numbered


def render_numbered(flowables: list[Flowable], pagesize: tuple[float, float], margin: float,
                    title: str, footer: Footer,
                    on_page: PageCallback | None = None) -> bytes:  # fmt: skip
    """As :func:`printing.blocks.render`, with ``footer(page, pages)`` at the foot of every
    page, right-aligned in the bottom margin."""
    return render(flowables, pagesize, margin, title, on_page,
                  canvasmaker=_canvas_maker(footer, pagesize[0], margin))
