"""One gettext catalogue for the GUI and the printed documents.

Message ids are English; the Vietnamese catalogue is the default language. Catalogues are
compiled to ``.mo`` by ``make`` (``python -m resources.i18n compile``); when a ``.mo`` is
missing or older than its ``.po`` the ``.po`` is compiled in memory, so a fresh checkout works.
Use ``_("Found {count} people").format(count=n)`` — named fields, never f-strings inside ``_()``.
A count in a sentence takes ``ngettext("{count} person", "{count} people", n).format(count=n)``:
English needs both forms, Vietnamese has one (``msgstr[0]``); never "person(s)".

Qt's own texts (standard buttons, the file dialog, message boxes, context menus) are not in
this catalogue: PySide6 ships no Vietnamese Qt translation, so ``translations/qt/qtbase_vi.ts``
holds ours, compiled to ``.qm`` by the same ``compile`` (Qt's ``lrelease``, from the PySide6
wheel); :func:`qt_messages` reads the ``.ts`` itself when no fresh ``.qm`` is there. The GUI
installs it (gui/app.py) and follows :func:`set_language` through :func:`on_change`.
"""

from __future__ import annotations

import functools
import gettext
import io
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

from resources import path

DOMAIN = "messages"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
TRANSLATIONS_DIR = path("translations")
QT_TRANSLATIONS_DIR = TRANSLATIONS_DIR / "qt"
#: What extraction looks for (tests/test_i18n.py): ``ngettext`` carries two message ids.
KEYWORDS: dict[str, tuple[int, int] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}

_lock = threading.Lock()
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_listeners: list[Callable[[str], None]] = []


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
    """Switch the whole program's language (GUI and documents); listeners hear of it."""
    global _current, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang}")
    with _lock:
        _current = catalogue(lang)
        _language = lang
        listeners = list(_listeners)
    for listener in listeners:
        listener(lang)


def on_change(listener: Callable[[str], None]) -> None:
    """Call ``listener(lang)`` after every :func:`set_language` (once per listener): the GUI
    swaps Qt's own translation with ours, without this module knowing Qt."""
    with _lock:
        if listener not in _listeners:
            _listeners.append(listener)


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` that suits ``n`` in the current language (English:
    one and many; Vietnamese: one form for every count)."""
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


# --- Qt's own texts ---------------------------------------------------------------------------


def qt_source(lang: str) -> Path:
    """Our translation of Qt's own texts into ``lang`` (a Qt Linguist ``.ts`` file)."""
    return QT_TRANSLATIONS_DIR / f"qtbase_{lang}.ts"


def qt_compiled(lang: str) -> Path | None:
    """The compiled ``.qm`` of :func:`qt_source`, if it is there and not older than it."""
    ts = qt_source(lang)
    qm = ts.with_suffix(".qm")
    if qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    return None


def qt_messages(lang: str) -> dict[tuple[str, str, str], str]:
    """(context, source, disambiguation) → translation, read from the ``.ts`` (empty when there
    is none, as for English, Qt's own language). Unfinished entries are left out, as lrelease
    does."""
    ts = qt_source(lang)
    if not ts.exists():
        return {}
    table: dict[tuple[str, str, str], str] = {}
    for context in ElementTree.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete"):
                continue
            source = message.findtext("source") or ""
            comment = message.findtext("comment") or ""
            if translation.text:
                table[(name, source, comment)] = translation.text
    return table


def lrelease() -> Path | None:
    """Qt 6's ``lrelease``: the PySide6 wheel installs ``pyside6-lrelease`` beside Python (a
    system ``lrelease`` may be Qt 5's, which lacks the checks asked for below)."""
    name = "pyside6-lrelease"
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    return Path(found) if found else None


def compile_qt() -> list[Path]:
    """Compile every Qt ``.ts`` to ``.qm`` beside it (used by make); nothing without lrelease
    (the GUI then reads the ``.ts``)."""
    tool = lrelease()
    if tool is None:
        return []
    written = []
    for ts in sorted(QT_TRANSLATIONS_DIR.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        command = [str(tool), "-silent", "-fail-on-invalid", str(ts), "-qm", str(qm)]
        subprocess.run(command, check=True)
        written.append(qm)
    return written


set_language(DEFAULT_LANGUAGE)

if __name__ == "__main__":  # pragma: no cover - build helper
    if sys.argv[1:] == ["compile"]:
        for p in compile_all():
            print(f"compiled {p}")
        qt = compile_qt()
        for p in qt:
            print(f"compiled {p}")
        if not qt:
            print("note: no lrelease found; the program reads Qt's translation from the .ts")
    else:
        print("usage: python -m resources.i18n compile")
        sys.exit(2)
