"""Review files: the rows `goaltrace review` wrote, filled in by a person and imported again,
each file as its own named graph of corrections.

A review file is a CSV file recognised by its header (`COLUMNS`, in any order). Each row names
an indicator row by the SHA-256 of the source file it was read from, its place (line, or
page/table/row) and its name as read; a person fills in the corrected columns that are wrong,
or writes ``ok`` in ``note``, and their name in ``reviewer``. Rows left blank are not reviewed.

Like an alignment, a review file adds corrections and nothing else: each reviewed row becomes
a `gt:Correction` beside the row it corrects, never a change to what the form says. A
correction applies while the row is read from the same bytes, at the same line, under the same
name; once the source changes it is stale (`goaltrace validate` reports it) and the reading
shows again. Anything that cannot be a correction (an unknown column, a place the source does
not have, a value that does not parse, a source this store does not hold) is refused with the
file and line.
"""

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..forms.catalogue import LEVEL1, LEVEL2, level1_named, level2_named
from ..forms.comparators import SYMBOL, comparator_named
from ..forms.errors import FormError, shown
from ..forms.text import fold
from ..forms.values import format_number, parse_number
from ..rendering.spreadsheet import runs_as_formula
from . import iris
from .namespaces import GT, ID, PROV, RDF, RDFS, XSD

READING = ["level1", "level2", "indicator", "comparator", "value", "unit", "weight"]
CORRECTED = [f"corrected_{column}" for column in READING]
COLUMNS = [
    "source_sha256", "source_file", "place", "department", "year", "project", "review", "reviewed_by",
    "source_text", *READING, *CORRECTED, "reviewer", "note",
]  # fmt: skip
MAX_BYTES = 64 << 20  # a review file of a million rows is far smaller
_SHA256 = re.compile(r"[0-9a-f]{64}")
_BY_SYMBOL = {symbol: name for name, symbol in SYMBOL.items()}
_BOOLEAN = ox.NamedNode(f"{XSD}boolean")
_DECIMAL = ox.NamedNode(f"{XSD}decimal")
_INTEGER = ox.NamedNode(f"{XSD}integer")


@dataclass(frozen=True)
class ReviewRow:
    """One reviewed row of a review file: where it points and what the person wrote."""

    line: int  # in the review file
    sha256: str
    place: str
    indicator: str  # the name as read: with the digest and the place it names the row
    corrected: dict[str, str]  # column (without corrected_) → what the person wrote
    reviewer: str
    note: str
    ok: bool


@dataclass(frozen=True)
class ReviewFile:
    path: str
    name: str  # the file's name: its graph is named by it, so importing it again replaces it
    digest: str
    rows: tuple[ReviewRow, ...]

    @property
    def iri(self) -> str:
        return f"{ID}corrections/{iris.segment(self.name)}"


@dataclass(frozen=True)
class MappedCorrections:
    """A review file's graph; `applied` counts the rows corrected and confirmed."""

    iri: str
    quads: list[ox.Quad]
    corrected: int = 0
    confirmed: int = 0
    indicators: tuple[str, ...] = field(default=())

    @property
    def graphs(self) -> dict[str, list[ox.Quad]]:
        return {self.iri: self.quads}


def is_review_file(path: str | Path) -> bool:
    """Whether the file opens with a review file's header (read from its first bytes only)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    first = _decode(head, strict=False).split("\n", 1)[0]
    names = {_plain(name) for name in first.split(",")}
    return {"source_sha256", "corrected_value"} <= names


def read_review(path: str | Path) -> ReviewFile:
    """A review file read and checked on its own (nothing about the store): its header, and
    every reviewed row's digest, reviewer and values."""
    shown_path = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FormError(
            shown_path,
            1,
            f"expected a readable review file, found {error.strerror or error}",
        ) from None
    if len(data) > MAX_BYTES:
        raise FormError(
            shown_path,
            1,
            f"expected a review file of at most {MAX_BYTES >> 20} MiB, found {len(data) >> 20} MiB",
        )
    try:
        text = _decode(data, strict=True)
    except UnicodeDecodeError:
        raise FormError(
            shown_path,
            1,
            "expected a review file in UTF-8 (or GB18030, as Excel saves CSV), found "
            "bytes that are neither",
        ) from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    if not table:
        raise FormError(
            shown_path, 1, "expected a review file's header, found an empty file"
        )
    header = [_plain(name) for name in table[0]]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise FormError(
            shown_path,
            1,
            f"expected the columns of a review file ({', '.join(COLUMNS)}), found the "
            f"unknown column {shown(unknown[0])}",
        )
    missing = [name for name in COLUMNS if name not in header]
    if missing or len(set(header)) != len(header):
        what = f"no column {missing[0]}" if missing else "a column twice"
        raise FormError(
            shown_path, 1, f"expected each column of a review file once, found {what}"
        )
    rows, seen = [], {}
    for number, cells in enumerate(table[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FormError(
                shown_path,
                number,
                f"expected {len(header)} cells as in the header, found {len(cells)}",
            )
        row = dict(zip(header, (_cell(cell) for cell in cells)))
        reviewed = _reviewed(shown_path, number, row)
        if reviewed is None:
            continue
        key = (reviewed.sha256, reviewed.place, reviewed.indicator)
        if key in seen:
            raise FormError(
                shown_path,
                number,
                f"expected each row once, found {reviewed.place} "
                f"({shown(reviewed.indicator)}) again after line {seen[key]}",
            )
        seen[key] = number
        rows.append(reviewed)
    return ReviewFile(
        shown_path, Path(path).name, hashlib.sha256(data).hexdigest(), tuple(rows)
    )


def _reviewed(path: str, line: int, row: dict[str, str]) -> ReviewRow | None:
    """A row a person reviewed (a corrected column filled, or ok in note), checked; None for a
    row left as goaltrace wrote it."""
    corrected = {
        column.removeprefix("corrected_"): row[column]
        for column in CORRECTED
        if row[column]
    }
    ok = row["note"].strip().lower() == "ok"
    if not corrected and not ok:
        return None
    if not row["reviewer"]:
        raise FormError(
            path,
            line,
            "expected the reviewer's name in reviewer beside a correction or ok, found none",
        )
    if corrected and ok:
        raise FormError(
            path, line, "expected either corrected values or ok in note, found both"
        )
    sha256 = row["source_sha256"].lower()
    if not _SHA256.fullmatch(sha256):
        raise FormError(
            path,
            line,
            f"expected the source file's SHA-256 (64 hex digits) in source_sha256, found "
            f"{shown(row['source_sha256'])}",
        )
    if not row["place"] or not row["indicator"]:
        raise FormError(
            path,
            line,
            "expected the place and the indicator as goaltrace review wrote them, found them empty",
        )
    for column, text in corrected.items():
        _parsed(path, line, column, text, row)
    return ReviewRow(
        line,
        sha256,
        row["place"],
        row["indicator"],
        corrected,
        row["reviewer"],
        row["note"],
        ok,
    )


def _parsed(path: str, line: int, column: str, text: str, row: dict[str, str]):
    """A corrected cell as a term's key or value, or a FormError saying what it should be."""
    if column == "level1":
        level = level1_named(text)
        if level is None:
            raise FormError(
                path,
                line,
                f"expected a level 1 of the catalogue ({', '.join(l.label for l in LEVEL1)}) "
                f"in corrected_level1, found {shown(text)}",
            )
        return level.key
    if column == "level2":
        level = level2_named(text)
        if level is None:
            raise FormError(
                path,
                line,
                f"expected a level 2 of the catalogue (such as {LEVEL2[0].label}) in "
                f"corrected_level2, found {shown(text)}",
            )
        return level.key
    if column == "comparator":
        name = _BY_SYMBOL.get(text) or comparator_named(text)
        if name is None:
            raise FormError(
                path,
                line,
                f"expected a comparator ({', '.join(SYMBOL.values())}) in corrected_comparator, "
                f"found {shown(text)}",
            )
        return name
    if column == "weight":
        number = parse_number(text)
        if number is None:
            raise FormError(
                path,
                line,
                f"expected a number in corrected_weight, found {shown(text)}",
            )
        return number
    if column == "value":
        comparator = row["corrected_comparator"] or row["comparator"]
        qualitative = (
            _BY_SYMBOL.get(comparator) or comparator_named(comparator)
        ) == "qualitative"
        number = parse_number(text)
        if number is None and not qualitative:
            raise FormError(
                path,
                line,
                f"expected a number in corrected_value (the comparator is {comparator or '='}), "
                f"found {shown(text)}; for a target in words write qualitative in "
                "corrected_comparator",
            )
        return text if qualitative else number
    return text  # the indicator's name, the unit


def map_corrections(
    review: ReviewFile,
    rows_of: Callable[[str], list[dict] | None],
    taken: dict[str, str],
) -> MappedCorrections:
    """The review file's graph. `rows_of(sha256)` gives the rows of the source with that digest
    as this import leaves the store (`goaltrace.answers.review.source_rows`), or None where the store
    will hold no such source; `taken` names the rows other review files correct (indicator →
    file). Raises FormError at the first row that cannot be a correction."""
    graph = ox.NamedNode(review.iri)
    quads = [
        ox.Quad(ox.NamedNode(review.iri), ox.NamedNode(predicate), obj, graph)
        for predicate, obj in (
            (f"{RDF}type", ox.NamedNode(f"{GT}CorrectionSet")),
            (f"{RDF}type", ox.NamedNode(f"{PROV}Entity")),
            (f"{RDFS}label", ox.Literal(review.name)),
            (f"{GT}sha256", ox.Literal(review.digest)),
        )
    ]
    sources: dict[str, list[dict] | None] = {}
    corrected = confirmed = 0
    indicators = []
    for row in review.rows:
        if row.sha256 not in sources:
            sources[row.sha256] = rows_of(row.sha256)
        target = _reviewed_row(review, row, sources[row.sha256], taken)
        quads.extend(_correction_quads(review, row, target, graph))
        if row.ok:
            confirmed += 1
        else:
            corrected += 1
        indicators.append(target["iri"])
    return MappedCorrections(review.iri, quads, corrected, confirmed, tuple(indicators))


def _reviewed_row(review: ReviewFile, row: ReviewRow, rows: list[dict] | None, taken: dict[str, str]) -> dict:
    """The row of the source a line of the review file corrects (its digest, place and
    indicator as read), or FormError saying why there is none it may correct."""
    if rows is None:
        raise FormError(
            review.path,
            row.line,
            f"expected a source file this store holds, found SHA-256 "
            f"{row.sha256[:12]}…, which no declaration in it was read from: a "
            "review file of another store, or of a source since changed "
            "(write a new one with goaltrace review)",
        )
    at_place = [r for r in rows if r["place"] == row.place]
    if not at_place:
        raise FormError(
            review.path,
            row.line,
            f"expected a row of {rows[0]['source_file']} at {shown(row.place)}, "
            "found none: the place does not exist in that source",
        )
    target = next((r for r in at_place if r["indicator"] == row.indicator), None)
    if target is None:
        raise FormError(
            review.path,
            row.line,
            f"expected the indicator read at {row.place}, "
            f"{shown(at_place[0]['indicator'])}, found {shown(row.indicator)}",
        )
    if target["iri"] in taken:
        raise FormError(
            review.path,
            row.line,
            f"expected a row no other review file corrects, found it corrected "
            f"by {taken[target['iri']]}: correct it there",
        )
    return target


def _correction_quads(review: ReviewFile, row: ReviewRow, target: dict, graph: ox.NamedNode) -> list[ox.Quad]:
    """One line of the review file as a gt:Correction of the row it names, attributed to its
    reviewer: a confirmation (`ok`) or the corrected reading."""
    quads: list[ox.Quad] = []

    def add(subject: str, predicate: str, obj):
        quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), obj, graph))

    node = f"{review.iri}/line/{row.line}"
    add(node, f"{RDF}type", ox.NamedNode(f"{GT}Correction"))
    add(node, f"{GT}correctionIn", graph)
    add(node, f"{GT}corrects", ox.NamedNode(target["iri"]))
    add(node, f"{GT}sourceSha256", ox.Literal(row.sha256))
    add(node, f"{GT}reviewedLine", ox.Literal(str(target["line"]), datatype=_INTEGER))
    add(node, f"{GT}reviewedPlace", ox.Literal(row.place))
    add(node, f"{GT}readName", ox.Literal(row.indicator))
    add(node, f"{GT}reviewFileLine", ox.Literal(str(row.line), datatype=_INTEGER))
    agent = f"{ID}agent/{iris.segment(row.reviewer)}"
    add(node, f"{PROV}wasAttributedTo", ox.NamedNode(agent))
    add(agent, f"{RDF}type", ox.NamedNode(f"{PROV}Person"))
    add(agent, f"{RDFS}label", ox.Literal(row.reviewer))
    if row.ok:
        add(node, f"{GT}confirmedAsRead", ox.Literal("true", datatype=_BOOLEAN))
    else:
        if row.note:
            add(node, f"{RDFS}comment", ox.Literal(row.note))
        quads.extend(_corrected_quads(review, row, target, node, graph))
    return quads


def _corrected_quads(
    review: ReviewFile, row: ReviewRow, target: dict, node: str, graph: ox.NamedNode
) -> list[ox.Quad]:
    values = {
        column: _parsed(
            review.path,
            row.line,
            column,
            text,
            {
                "corrected_comparator": row.corrected.get("comparator", ""),
                "comparator": target["comparator"],
            },
        )
        for column, text in row.corrected.items()
    }
    out = []

    def add(predicate: str, obj):
        out.append(
            ox.Quad(ox.NamedNode(node), ox.NamedNode(f"{GT}{predicate}"), obj, graph)
        )

    if "level1" in values:
        add("correctedLevel1", ox.NamedNode(iris.concept(values["level1"])))
    if "level2" in values:
        add("correctedLevel2", ox.NamedNode(iris.concept(values["level2"])))
    if "indicator" in values:
        add("correctedIndicatorName", ox.Literal(values["indicator"], language="zh"))
    if "unit" in values:
        add("correctedUnit", ox.Literal(values["unit"]))
    if "weight" in values:
        add(
            "correctedWeight",
            ox.Literal(format_number(values["weight"]), datatype=_DECIMAL),
        )
    if "comparator" in values or "value" in values:
        # a corrected target is whole: its comparator, and its value (or the value read)
        comparator = values.get("comparator") or _BY_SYMBOL.get(
            target["comparator"], "eq"
        )
        value = (
            values["value"]
            if "value" in values
            else _read_value(review, row, target, comparator)
        )
        number = parse_number(str(value))
        if (
            "comparator" not in values
            and comparator == "qualitative"
            and number is not None
        ):
            comparator, value = (
                "eq",
                number,
            )  # a number where words were read: a target of =
        if comparator == "qualitative":
            add("correctedComparator", ox.NamedNode(iris.concept("qualitative")))
            if value not in ("", None):
                add("correctedTargetText", ox.Literal(str(value)))
        else:
            add("correctedComparator", ox.NamedNode(iris.concept(comparator)))
            add("correctedValue", ox.Literal(format_number(value), datatype=_DECIMAL))
    return out


def _read_value(review: ReviewFile, row: ReviewRow, target: dict, comparator: str):
    """The value read, kept under a corrected comparator: a number unless it becomes qualitative."""
    if comparator == "qualitative":
        return target["value"]
    number = parse_number(target["value"])
    if number is None:
        raise FormError(
            review.path,
            row.line,
            f"expected a number in corrected_value: the comparator is now "
            f"{SYMBOL[comparator]} and the value read, {shown(target['value'])}, is none",
        )
    return number


def _decode(data: bytes, strict: bool) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if strict:
            return data.decode("gb18030")
        return data.decode("utf-8-sig", errors="replace")


def _plain(name: str) -> str:
    return fold(name).strip().strip('"').lower()


def _cell(text: str) -> str:
    """A cell as goaltrace wrote it: trimmed, and without the ' a CSV export puts before text a
    spreadsheet would run as a formula."""
    text = text.strip()
    return text[1:] if text.startswith("'") and runs_as_formula(text[1:]) else text
