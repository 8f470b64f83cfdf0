"""Vietnamese-aware text folding: slugs for URLs and keys for accent-insensitive search."""

from __future__ import annotations

import re
import unicodedata

# "Đ" and "đ" are letters of their own in Unicode, not "D" plus a mark, so NFD keeps them.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased without diacritics, đ as d, spaces collapsed.

    "Phường  Nếnh" -> "phuong nenh". Used to compare names whatever the user typed.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def slugify(text: str) -> str:
    """Return a URL slug: "Phường Nếnh" -> "phuong-nenh", "Đặc khu Côn Đảo" -> "dac-khu-con-dao".

    Letters lose their diacritics, everything that is not a-z or 0-9 becomes one hyphen,
    and hyphens at either end are dropped; an empty result is returned as "".
    """
    return _NOT_ALNUM.sub("-", fold(text)).strip("-")
