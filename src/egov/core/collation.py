"""Vietnamese alphabetical order (thứ tự chữ cái tiếng Việt) for lists people read.

Python's and the databases' default order put "Đ" after "Z" and "Ă", "Â", "Ê"… after every
plain letter. A Vietnamese reader expects the alphabet

    a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y

(with f, j, w, z of foreign names in their Latin places), then, between words that spell the same,
the tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng; then lower case before upper
case. ``sort_key`` gives a string of digits whose plain character order is that order, so the same
key sorts a Python list (``sorted(units, key=lambda u: sort_key(u.name))``) and, stored in a
column, orders a query on SQLite and on PostgreSQL whatever the database's collation (a string of
digits compares the same under every collation).

A small hand-written key rather than PyICU: the platform needs one language's order, and ICU would
add a compiled dependency (and the ICU headers) to every installation for it.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# The vowel marks that make a letter of its own, on their base letter (NFD).
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
_WITH_MARK = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô"}
_WITH_MARK |= {("o", "+"): "ơ", ("u", "+"): "ư"}
# Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_PRIMARY = {letter: 12 + index for index, letter in enumerate(ALPHABET)}  # 12..45
DIGITS = frozenset("0123456789")
_END = "00"  # ends a level: a shorter word sorts before a longer one it begins


def _letters(text: str) -> Iterable[tuple[str, int, bool]]:
    """(letter, tone, upper case) for each character of ``text``, marks folded into letters."""
    decomposed = unicodedata.normalize("NFD", text)
    index = 0
    while index < len(decomposed):
        char = decomposed[index]
        index += 1
        marks = []
        while index < len(decomposed) and unicodedata.combining(decomposed[index]):
            marks.append(decomposed[index])
            index += 1
        base = char.lower()
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                base = _WITH_MARK.get((base, _LETTER_MARKS[mark]), base)
        yield base, tone, char != char.lower()


def _primary(letter: str) -> str:
    if letter in _PRIMARY:
        return f"{_PRIMARY[letter]:02d}"
    if not letter.isalnum():
        return "01"  # spaces and punctuation: before any number or letter
    return f"99{ord(letter):07d}"  # other scripts: after the alphabet, by code point


def _primary_level(letters: list[tuple[str, int, bool]]) -> str:
    # A number counts as one, by its value: "Phường 2" before "Phường 10".
    out, index = [], 0
    while index < len(letters):
        if letters[index][0] in DIGITS:
            end = index
            while end < len(letters) and letters[end][0] in DIGITS:
                end += 1
            number = "".join(letter for letter, _tone, _upper in letters[index:end]).lstrip("0")
            out.append(f"02{len(number):02d}{number}")
            index = end
        else:
            out.append(_primary(letters[index][0]))
            index += 1
    return "".join(out)


def sort_key(text: str | None) -> str:
    """A string of digits that orders ``text`` in Vietnamese alphabetical order."""
    letters = list(_letters(" ".join((text or "").split())))
    primary = _primary_level(letters)
    tones = "".join(str(tone) for _letter, tone, _upper in letters)
    cases = "".join("1" if upper else "0" for _letter, _tone, upper in letters)
    return primary + _END + tones + _END + cases


def sorted_vi(items: Iterable[T], key: Callable[[T], str | None] = str) -> list[T]:
    """``items`` in Vietnamese alphabetical order of ``key(item)`` (the item itself by default)."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def sort_model_choices(field) -> None:
    """Shows a model choice field's options in Vietnamese alphabetical order of their labels
    (its queryset stays what validates the answer). Call it after setting the queryset."""
    options = [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset]
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = empty + sorted_vi(options, key=lambda option: option[1])
