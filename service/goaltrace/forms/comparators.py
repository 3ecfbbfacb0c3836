"""Comparators (指标性质): the relation a target states, as written in the forms."""

from .text import key

# key → symbols and words seen in forms (matched after folding: ＞ becomes >).
COMPARATORS = {
    "ge": ("≥", ">=", "≧", "≮", "大于等于", "不低于", "不少于", "不小于", "大于或等于"),
    "le": ("≤", "<=", "≦", "≯", "小于等于", "不高于", "不超过", "不多于", "不大于", "小于或等于"),
    "eq": ("=", "==", "═", "等于"),
    "gt": (">", "大于", "高于", "多于"),
    "lt": ("<", "小于", "低于", "少于"),
    "qualitative": ("定性", "定性指标"),
}
# The export contract's spelling of each comparator.
SYMBOL = {"ge": ">=", "le": "<=", "eq": "=", "gt": ">", "lt": "<", "qualitative": "qualitative"}
ORDERING = {"ge", "le", "gt", "lt"}

_BY_TEXT = {key(text): name for name, texts in COMPARATORS.items() for text in texts}
# Longest first, so that "≥" is not read as ">" + "=" and "大于等于" not as "大于".
PREFIXES = sorted(_BY_TEXT, key=len, reverse=True)


def comparator_named(text: str) -> str | None:
    return _BY_TEXT.get(key(text))


def split_leading_comparator(text: str) -> tuple[str | None, str]:
    """``"≥90%"`` → ``("ge", "90%")``; text without a leading comparator is returned as is."""
    folded = key(text)
    for prefix in PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return _BY_TEXT[prefix], folded[len(prefix):]
    return None, text


# Characters OCR reads for ≥ where it begins a value: "$90%", "^95%". A lone "2" in a
# comparator column is ≥ too; inside a value a leading 2 is a digit and is never touched.
OCR_GE = ("$", "^", "＄", "》")  # 》: a double angle bracket typed for ≥ (》90%)


def repaired_comparator(cell: str) -> str | None:
    """A comparator cell as OCR damages it: "2", "$" or "^" standing alone for ≥."""
    text = key(cell)
    return "ge" if text in ("2", *OCR_GE) else None


def split_ocr_comparator(text: str) -> tuple[str | None, str]:
    """``"$90%"`` → ``("ge", "90%")``: a certain repair, since no value starts with $, ^ or 》."""
    folded = key(text)
    if folded[:1] in OCR_GE and folded[1:2].isdigit():
        return "ge", folded[1:]
    return None, text


_TRAILING = {"以内": "le", "以下": "le", "及以下": "le", "以上": "ge", "及以上": "ge"}


def split_trailing_comparator(text: str) -> tuple[str | None, str]:
    """``"±3%以内"`` → ``("le", "3%")``, ``"90%以上"`` → ``("ge", "90%")``: a comparator written
    after the value; text without one is returned as is."""
    folded = key(text)
    for suffix in sorted(_TRAILING, key=len, reverse=True):
        rest = folded.removesuffix(suffix).lstrip("±")
        if folded.endswith(suffix) and rest[:1].isdigit():
            return _TRAILING[suffix], rest
    return None, text


_STATED = {"为": "eq", "达到": "eq", "达": "eq", "是": "eq"}
_IN_SENTENCE = sorted([*_BY_TEXT, *_STATED], key=len, reverse=True)


def split_sentence(text: str) -> tuple[str | None, str, str]:
    """A target written as a sentence that ends in its value: ``"应急抢险及时率为100%"`` →
    ``("eq", "100%", "应急抢险及时率为")``, ``"日常养护综合年费用不高于175万元/公里"`` → ``("le",
    "175万元/公里", …)``, ``"…控制数为零"`` → ``("eq", "0", …)``. The words before the comparator
    are returned so the caller can keep them; (None, text, "") where the sentence states no
    comparator right before a number at its end."""
    folded = key(text).rstrip("。.；;")
    for k in range(len(folded) - 1, 0, -1):
        rest = folded[k:]
        if not (rest[:1].isdigit() or rest == "零") or folded[k - 1].isdigit() or folded[k - 1] in ".,":
            continue  # not where the number at the end starts
        words = folded[:k]
        for spelling in _IN_SENTENCE:
            if words.endswith(spelling) and len(words) > len(spelling) and not words[-len(spelling) - 1].isdigit():
                name = _BY_TEXT.get(spelling) or _STATED[spelling]
                if name == "qualitative":
                    break
                return name, "0" if rest == "零" else rest, words
        break
    return None, text, ""
