"""How each line of a file was read, as plain lines of text for `goaltrace import --explain`."""

from .grid import Row
from .records import Declaration, SelfEvaluation


def explain_lines(path: str, rows: list[Row], declaration: "Declaration | SelfEvaluation") -> list[str]:
    """Each source line (a document's row, with its place) beside what the reader made of it:
    the form, table, column or field — for a declaration or a self-evaluation."""
    notes: dict[int, list[str]] = {}
    for line, what in declaration.explanation:
        notes.setdefault(line, []).append(what)
    out = [f"{path}: {declaration.department} {declaration.year}"
           + (f", incomplete from line {declaration.incomplete_at}" if declaration.incomplete_at else "")]
    for row in rows:
        if row.blank:
            continue
        shown = row.text.replace("\t", " ⇥ ")
        out.append(f"{row.number:5}  {shown[:100]}" + (f"   [{row.place}]" if row.place else ""))
        for what in notes.get(row.number, ["(nothing read here: page furniture or blank cells)"]):
            out.append(f"       → {what}")
    return out
