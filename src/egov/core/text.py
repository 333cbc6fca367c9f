"""Accent-free, case-free text for search across SQLite and PostgreSQL alike."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_search_text(value: str) -> str:
    """'Đăng ký  KHAI SINH' -> 'dang ky khai sinh'."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()
