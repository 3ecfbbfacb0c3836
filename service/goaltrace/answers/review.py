"""The review queue: the indicator rows that need a person's look, each with the source file's
SHA-256, its place, the row as published and the reading, and empty columns for the
corrections (`goaltrace review`, the web's /review and /api/review).

A row is in the queue while something about its reading was a guess (`gt:needsReview`, one
reason each) and no correction applies to it: a reviewed row is sure. With `everything`, every
row is listed, reviewed or not. The reading shown is always the one read from the form, so
that the file names each row as the store knows it; a correction is imported from the filled
file (`goaltrace.graph.corrections`)."""

import pyoxigraph as ox

from ..graph.corrections import COLUMNS, CORRECTED, READING
from ..query.named import Reader

__all__ = ["COLUMNS", "CORRECTED", "READING", "queue", "rows_by_source", "source_rows"]

PAGE = 5000  # rows asked for at a time (a reader may cap how many one query returns)
FEW_SOURCES = (
    10  # more sources than this are read in one pass rather than one query each
)


def queue(
    reader: Reader, declaration: str | None = None, everything: bool = False, page: int = PAGE
) -> list[dict[str, str]]:
    """The rows of the review queue (every row with `everything`), of one declaration when
    given, in form order, each a dict of `COLUMNS` (the corrected ones empty); asked `page`
    rows at a time."""
    bindings = {"declaration": ox.NamedNode(declaration)} if declaration else None
    rows = []
    for row in _indicator_rows(reader, bindings, page):
        if not everything and (not row["reasons"] or row["reviewed_by"]):
            continue
        rows.append(
            {
                **{column: row.get(column, "") for column in COLUMNS},
                "review": "; ".join(row["reasons"]),
                **dict.fromkeys((*CORRECTED, "reviewer", "note"), ""),
            }
        )
    return rows


def source_rows(reader: Reader, sha256: str) -> list[dict]:
    """Every indicator row read from the source file with this digest: its IRI, line, place,
    reading and declaration (what a review file's rows are checked against)."""
    return _indicator_rows(reader, {"sha256": ox.Literal(sha256)})


def rows_by_source(reader: Reader, digests: set[str]) -> dict[str, list[dict]]:
    """The indicator rows of each of these source files (by digest): asked source by source
    when they are few, else in one pass over the store."""
    if len(digests) <= FEW_SOURCES:
        return {digest: source_rows(reader, digest) for digest in digests}
    found: dict[str, list[dict]] = {digest: [] for digest in digests}
    for row in _indicator_rows(reader, None):
        if row["source_sha256"] in found:
            found[row["source_sha256"]].append(row)
    return found


def _indicator_rows(reader: Reader, bindings: dict | None, page: int = PAGE) -> list[dict]:
    """The review-queue query's answer, one row per indicator, its reasons gathered."""
    merged: dict[str, dict] = {}
    offset = 0
    while True:
        found = reader.run("review-queue", bindings, page, offset)
        for answer in found:
            cells = {name: term.value for name, term in answer.items()}
            row = merged.get(cells["i"])
            if row is None:
                row = merged[cells["i"]] = {
                    **cells,
                    "iri": cells["i"],
                    "source_sha256": cells["sha256"],
                    "source_file": cells["file"],
                    "line": int(cells["line"]),
                    "reviewed_by": cells.get("reviewer", ""),
                    "reasons": [],
                }
            reason = cells.get("reason_label")
            if reason and reason not in row["reasons"]:
                row["reasons"].append(reason)
        if len(found) < page:
            return list(merged.values())
        offset += page
