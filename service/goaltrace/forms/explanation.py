"""How each line of a file was read, as plain lines of text for `goaltrace import --explain`."""

from .grid import Row
from .records import Declaration, SelfEvaluation


def explain_lines(path: str, rows: list[Row], *readings: "Declaration | SelfEvaluation") -> list[str]:
    """Each source line (a document's row, with its place) beside what the reader made of it:
    the form, table, column or field — for a declaration, or the self-evaluations a file holds."""
    notes: dict[int, list[str]] = {}
    for line, what in sorted(getattr(rows, "notes", {}).items()):
        notes.setdefault(line, []).extend(what)
    for reading in readings:
        for line, what in reading.explanation:
            if what not in notes.get(line, []):
                notes.setdefault(line, []).append(what)
    out = [f"{path}: {reading.department} {reading.year}"
           + (f", {getattr(reading, 'project', None)}" if len(readings) > 1 and getattr(reading, "project", None) else "")
           + (f", incomplete from line {reading.incomplete_at}" if reading.incomplete_at else "") for reading in readings]
    for row in rows:
        if row.blank:
            continue
        shown = row.text.replace("\t", " ⇥ ")
        out.append(f"{row.number:5}  {shown[:100]}" + (f"   [{row.place}]" if row.place else ""))
        for what in notes.get(row.number, ["(nothing read here: page furniture or blank cells)"]):
            out.append(f"       → {what}")
    return out
