"""Text normalisation shared by the form readers.

Forms extracted from PDFs mix full-width and half-width punctuation (（ vs (, ：vs :, ％ vs %)
and scatter spaces. `fold` gives the form used for *matching*; raw text is always kept
beside it.
"""

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # cells repeat across forms: labels, level names, units
def fold(text: str) -> str:
    """NFKC-normalise and collapse whitespace: the form used to recognise labels and values."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A label key: folded, without any spaces or trailing colons (`其中: 财政拨款` → `其中:财政拨款`)."""
    return fold(text).replace(" ", "").rstrip(":")
