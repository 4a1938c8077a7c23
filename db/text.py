"""Vietnamese text handling: NFC input, folding for search, collation for lists.

Why by hand: NFD does not decompose ``đ``, FTS5's ``remove_diacritics`` does not fold it, and
Vietnamese collation (a < ă < â, tones as a second level) is not what Python's ``sorted`` or
SQLite's BINARY give. A sort key is computed once per resident and stored, so lists sort in SQL.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tone marks (second level of the collation), in the traditional order:
# ngang (none) < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Vowel/consonant modifiers that make a distinct letter (first level).
_MODIFIERS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve ă, circumflex â ê ô, horn ơ ư
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Primary order of the Vietnamese alphabet; letters outside it sort after, by code point.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_PRIMARY = {letter: index + 0x30 for index, letter in enumerate(_ALPHABET)}


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[0x7F] = None


def nfc(value: str) -> str:
    """NFC, ``Ð`` (U+00D0, looks like Đ) as ``Đ``, no control characters (debris of old
    exports), and runs of white space as one space."""
    if not value.isprintable():
        value = value.translate(_CONTROL)
    if not value.isascii():
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if "Ð" in value or "ð" in value:
            value = value.replace("Ð", "Đ").replace("ð", "đ")
    return " ".join(value.split())


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Lowercase ASCII skeleton of one word: 'Sếnh' → 'senh', 'Đức' → 'duc'."""
    decomposed = unicodedata.normalize("NFD", word.translate(_FOLD_EXTRA).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Search form of a text: lowercase, no diacritics, đ→d, punctuation as spaces."""
    folded = " ".join(fold_word(w) for w in value.split())
    return _NON_WORD.sub(" ", folded).strip()


def tokens(value: str) -> list[str]:
    """Folded words of a text (what the search index holds)."""
    return fold(value).split()


def header_key(value: str) -> str:
    """Key to match a column header in any case, with or without diacritics."""
    return fold(value).replace(" ", "")


def tone_normal(value: str) -> str:
    """Lowercase NFC text with the tone placement normalised (hoà = hòa, thuỷ = thủy).

    Used to rank exact-diacritic matches above folded ones; the tone mark is moved to the
    end of the word, where placement no longer matters for comparison.
    """
    out = []
    for word in nfc(value).lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONES)
        base = "".join(ch for ch in decomposed if ch not in _TONES)
        out.append(unicodedata.normalize("NFC", base) + tones)
    return " ".join(out)


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str]:
    """(primary, secondary) collation strings for one word."""
    primary: list[str] = []
    secondary: list[str] = []
    for ch in word.lower():
        if ch in ("đ", "Đ"):
            primary.append(chr(_PRIMARY["đ"]))
            secondary.append("0")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _MODIFIERS:
                letter = unicodedata.normalize("NFC", base + mark)
            elif mark in _TONES:
                tone = _TONES[mark]
        code = _PRIMARY.get(letter)
        primary.append(chr(code) if code is not None else chr(0x100 + ord(letter)))
        secondary.append(str(tone))
    return "".join(primary), "".join(secondary)


@lru_cache(maxsize=65536)
def sort_key(full_name: str) -> str:
    """Collation key for Vietnamese lists: given name, then middle names, then family name.

    Compares the letters of all words first (a < ă < â, d < đ, o < ô < ơ, u < ư), then tones.
    The result is a plain string, so SQLite's BINARY collation (and PostgreSQL's "C") sorts it
    correctly: words are joined by U+0002 and the letters end with U+0001, below every letter
    (U+0030 on); never U+0000, which PostgreSQL text cannot hold (migration 0011 rewrote the
    keys made before).
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    keys = [_word_key(w) for w in ordered]
    return "\x02".join(k[0] for k in keys) + "\x01" + "\x02".join(k[1] for k in keys)
