"""One gettext catalogue for the GUI and the printed documents.

Message ids are English; the Vietnamese catalogue is the default language. Catalogues are
compiled to ``.mo`` by ``make`` (``python -m resources.i18n compile``); when a ``.mo`` is
missing or older than its ``.po`` the ``.po`` is compiled in memory, so a fresh checkout works.
Use ``_("Found {count} people").format(count=n)`` — named fields, never f-strings inside ``_()``.
"""

from __future__ import annotations

import functools
import gettext
import io
import sys
import threading
from pathlib import Path

from resources import path

DOMAIN = "messages"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
TRANSLATIONS_DIR = path("translations")

_lock = threading.Lock()
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _mo_bytes_from_po(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def load(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang`` (English falls back to the message ids)."""
    po = _po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        return gettext.GNUTranslations(io.BytesIO(_mo_bytes_from_po(po)))
    return gettext.NullTranslations()


@functools.lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, loaded once (for text in a language other than the
    current one, such as both languages of a JSON report)."""
    return load(lang)


def set_language(lang: str) -> None:
    """Switch the whole program's language (GUI and documents)."""
    global _current, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    with _lock:
        _current = catalogue(lang)
        _language = lang


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def translate_joined(text: str, sep: str = "; ") -> str:
    """Translate each part of a joined list of messages (e.g. review flags)."""
    return sep.join(_(part) for part in text.split(sep))


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def compile_all() -> list[Path]:
    """Compile every ``.po`` to ``.mo`` beside it (used by make)."""
    written = []
    for lang in LANGUAGES:
        po = _po_path(lang)
        if po.exists():
            mo = po.with_suffix(".mo")
            mo.write_bytes(_mo_bytes_from_po(po))
            written.append(mo)
    return written


set_language(DEFAULT_LANGUAGE)

if __name__ == "__main__":  # pragma: no cover - build helper
    if sys.argv[1:] == ["compile"]:
        for p in compile_all():
            print(f"compiled {p}")
    else:
        print("usage: python -m resources.i18n compile")
        sys.exit(2)
