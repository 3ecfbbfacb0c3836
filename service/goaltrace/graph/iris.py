"""Deterministic, readable IRIs for everything a declaration contains.

The same form always yields the same IRIs, so importing it twice changes nothing. Names are
kept in Chinese (IRIs allow it): ``…/id/秀山土家族苗族自治县司法局/2023/project/法律援助``.
"""

import re

from .namespaces import GTF, ID

# Characters that may not appear in an IRI path segment, or that would split one.
# The named graph of what declarations share: units, budget years, people. A graph is a set,
# so describing the same unit from many declarations never repeats a triple.
REGISTRY = f"{ID}registry"
IMPORTS = f"{ID}imports"  # declarations an unfinished bulk import is writing
HISTORY = f"{ID}history"  # every import on record: its files, time, version and declarations

_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`/?#%\[\]]+")


_ASCII_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")


def _allowed(char: str) -> bool:
    """May this character stand as itself in an IRI path segment (RFC 3987 ipchar)?"""
    code = ord(char)
    if code < 0x80:
        return char in _ASCII_ALLOWED
    return (0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
            or (0x10000 <= code <= 0xDFFFD and (code & 0xFFFF) <= 0xFFFD)
            or 0xE1000 <= code <= 0xEFFFD)  # ucschar skips U+E0000–E0FFF (tag characters)


def segment(name: str) -> str:
    """A readable path segment for a name: spaces and reserved characters become '-', and any
    character an IRI may not hold (U+FFFD, a private-use one, …) is percent-encoded."""
    cleaned = _UNSAFE.sub("-", name.strip()).strip("-")
    encoded = "".join(c if _allowed(c) else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in cleaned)
    return encoded or "unnamed"


def organisation(name: str) -> str:
    return f"{ID}org/{segment(name)}"


def unit_of(department: str, name: str) -> str:
    """An organisation named inside a declaration (主管部门, 实施单位), scoped by the declarer."""
    return f"{ID}org/{segment(department)}/unit/{segment(name)}"


def person(department: str, name: str) -> str:
    return f"{ID}org/{segment(department)}/person/{segment(name)}"


def division(code: str) -> str:
    """An administrative division by its GB/T 2260 code: …/id/division/500241."""
    return f"{ID}division/{code}"


def budget_year(year: int) -> str:
    return f"{ID}year/{year}"


def declaration(department: str, year: int) -> str:
    return f"{ID}{segment(department)}/{year}"


def source_file(sha256: str) -> str:
    return f"urn:sha256:{sha256}"


def concept(key: str) -> str:
    """A framework concept: catalogue levels, comparators, sources, spending types, units."""
    return f"{GTF}{key}"


def review_reason(code: str) -> str:
    """A reason for review (gtf:review-reasons), by its code (forms.review.REASONS)."""
    return f"{GTF}review/{code}"


def unit(key: str) -> str:
    return f"{GTF}unit-{key}"


class DeclarationIRIs:
    """IRIs of the parts of one declaration."""

    def __init__(self, department: str, year: int):
        self.base = declaration(department, year)

    def department_form(self) -> str:
        return f"{self.base}/form/department"

    def project_form(self, slug: str) -> str:
        return f"{self.base}/form/project/{slug}"

    def goal(self, number: int) -> str:
        return f"{self.base}/goal/{number}"

    def project(self, slug: str) -> str:
        return f"{self.base}/project/{slug}"

    def project_goal(self, slug: str) -> str:
        return f"{self.base}/project/{slug}/annual-goal"

    def department_indicator(self, ordinal: int) -> str:
        return f"{self.base}/indicator/{ordinal}"

    def project_indicator(self, slug: str, ordinal: int) -> str:
        return f"{self.base}/project/{slug}/indicator/{ordinal}"

    def department_fund(self, spending: str, source: str) -> str:
        return f"{self.base}/funds/{spending}-{source}"

    def contribution(self, slug: str, goal: int, basis: str) -> str:
        return f"{self.base}/project/{slug}/supports/goal-{goal}/{basis}"

    def project_fund(self, slug: str, source: str) -> str:
        return f"{self.base}/project/{slug}/funds/{source}"

    def data_set(self, kind: str) -> str:
        """One of the declaration's Data Cube data sets: department-funds, project-funds, dimension-shares."""
        return f"{self.base}/dataset/{kind}"


def project_slugs(names: list[str | None]) -> list[str]:
    """One slug per project, unique within the declaration: a repeated name gets -2, -3, …"""
    slugs, seen = [], {}
    for position, name in enumerate(names, 1):
        base = segment(name) if name else f"project-{position}"
        seen[base] = seen.get(base, 0) + 1
        slugs.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return slugs
