"""Whether a target was met: the comparator, the annual target and the actual, in one unit.

- ``ge``/``gt``/``le``/``lt``: the actual compared with the target as the comparator says
  (≥ 95 % with an actual of 97 % is met; with 93 %, missed);
- ``eq``: met when the actual equals the target, missed otherwise (an equality target names
  an exact amount: 5 years, 268 villages);
- a qualitative target, or one whose actual has no number: the form's own verdict, a full
  score (得分 = 分值) being met and a lower score missed; without a score, unknown;
- an actual in another unit than the target (万元 against 元, 人 against %): unknown, never a
  guess.
"""

from decimal import Decimal

MET, MISSED, UNKNOWN = "met", "missed", "unknown"
# gt:met as the store holds it ("true", "false"; "unknown" where no verdict), as a word and as a JSON value
MET_WORD = {"true": MET, "false": MISSED, "unknown": UNKNOWN}
MET_VALUE = {"true": True, "false": False, "unknown": "unknown"}
_COMPARE = {
    "ge": lambda actual, target: actual >= target,
    "gt": lambda actual, target: actual > target,
    "le": lambda actual, target: actual <= target,
    "lt": lambda actual, target: actual < target,
    "eq": lambda actual, target: actual == target,
}


def judge(comparator: str | None, target: Decimal | None, target_unit: str | None, actual: Decimal | None,
          actual_unit: str | None, weight: Decimal | None = None, score: Decimal | None = None) -> str:
    if comparator in _COMPARE and target is not None and actual is not None:
        if target_unit and actual_unit and _unit(target_unit) != _unit(actual_unit):
            return UNKNOWN
        return MET if _COMPARE[comparator](actual, target) else MISSED
    return verdict(weight, score)


def verdict(weight: Decimal | None, score: Decimal | None) -> str:
    """The form's own verdict: a full score is met, a lower one missed."""
    if weight is None or score is None or weight <= 0:
        return UNKNOWN
    return MET if score >= weight else MISSED


def _unit(unit: str) -> str:
    return unit.strip().replace("％", "%")
