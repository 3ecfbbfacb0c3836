"""Numbers and target values as written in cells.

A target cell may carry its unit and a qualifier: ``"268村居（社区）"``, ``"覆盖63社区"``,
``"5万份"``, ``"600元/人"``, ``"800万"``. `parse_target` splits such a cell into number, unit
and qualifier and keeps the raw text; it never raises.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from .text import fold
from .units import LABELS, unit_labelled

_NUMBER = r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[-+]?\.[0-9]+"
_NUMBER_ONLY = re.compile(rf"^(?:{_NUMBER})$")
_TARGET = re.compile(rf"^(?P<pre>[^0-9]*?)\s*(?P<num>{_NUMBER})\s*(?P<post>.*)$")


@dataclass(frozen=True)
class Target:
    """A target value (指标值): number + unit (+ qualifier), and the cell as written."""

    text: str  # the value cell, raw
    number: Decimal | None  # None for a qualitative target
    unit: str | None = None  # folded unit label, from the cell or the unit column
    qualifier: str | None = None  # words around the number: 覆盖, 村居(社区)
    unit_text: str | None = None  # the separate unit cell, raw, where the form has one


def parse_number(text: str) -> Decimal | None:
    """A plain number (amount, weight): ``"1,598.17"`` → 1598.17; anything else → None."""
    folded = fold(text).replace(" ", "")
    if not _NUMBER_ONLY.match(folded):
        return None
    try:
        return Decimal(folded.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def format_number(number: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 20, 19.8, 0.05."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def _split_unit(rest: str) -> tuple[str | None, str | None]:
    """Text after the number → (unit, qualifier): the longest known unit first."""
    compact = rest.replace(" ", "")
    if not compact:
        return None, None
    for label in LABELS:
        if compact == label:
            return label, None
        if compact.startswith(label) and unit_labelled(label).classifier:
            if compact[len(label):].startswith("/"):
                return compact, None  # 人/次, 个/年: a compound unit
            return label, compact[len(label):]
    return compact, None


_DATE = re.compile(r"^(?:(?:每年|当年|年内)?[0-9]{1,2}\s*月(?:[0-9]{1,2}\s*日)?(?:底|末|前|中旬|上旬|下旬)?\S*|[0-9]{4}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?|[0-9]{4}[-/][0-9]{1,2}(?:[-/][0-9]{1,2})?)"
                   r"\s*(?:底|末|前|之前|以前|内|中旬|上旬|下旬|年底|年末|全年|完成)*$")
# A standard tag after a value: 90%(计划标准), 100%（行业标准）.
_STANDARD = re.compile(r"[(（]\s*(?:计划|历史|行业|其他)标准\s*[)）]\s*$")


def is_date(text: str) -> bool:
    """A target that is a date or deadline (2023年底, 2021年7月, 2022-12-31), not a quantity."""
    return bool(_DATE.match(fold(text)))


# Units written with a superscript or as one character (㎡, m³), which folding would turn into a
# second number (m2).
_SUPERSCRIPT_UNIT = re.compile(r"(㎡|㎥|㎞|㎏|k?m[²³])\s*$")


def parse_target(text: str, unit_text: str | None = None) -> Target:
    if "%%" in text or "％％" in text:  # a percent sign typed twice
        target = parse_target(re.sub(r"[%％]{2,}", "%", text), unit_text)
        return replace(target, text=text)
    superscript = _SUPERSCRIPT_UNIT.search(text) if not (unit_text and unit_text.strip()) else None
    if superscript:
        target = parse_target(text[: superscript.start()])
        if target.number is not None and target.unit is None:
            return replace(target, text=text, unit=superscript.group(1))
    folded = fold(text)
    unit_cell = fold(unit_text).replace(" ", "") if unit_text and unit_text.strip() else None
    standard = _STANDARD.search(folded)
    if standard:
        folded = folded[: standard.start()].strip()
    match = _TARGET.match(folded)
    if match is None or is_date(folded) or len(re.findall(_NUMBER, folded)) > 1:
        return Target(text, None, unit_cell, folded or None, unit_text)
    number = Decimal(match["num"].replace(",", ""))
    pre = match["pre"].replace(" ", "") or None
    post = match["post"].strip()
    tag = standard.group(0).strip() if standard else None
    if unit_cell:
        words = [part for part in (pre, post.replace(" ", ""), tag) if part]
        return Target(text, number, unit_cell, " ".join(words) or None, unit_text)
    unit, tail = _split_unit(post)
    if len(pre or "") >= 6 or len(re.sub(r"[(（][^)）]*[)）]", "", tail or "")) >= 5:
        return Target(text, None, None, folded or None, unit_text)  # a sentence with a number in it
    words = [part for part in (pre, tail, tag) if part]
    return Target(text, number, unit, " ".join(words) or None, unit_text)
