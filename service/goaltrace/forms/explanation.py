"""How each line of a file was read, as plain lines of text for `goaltrace import --explain`."""

from .records import Declaration


def explain_lines(path: str, text: str, declaration: Declaration) -> list[str]:
    """Each source line with what the reader made of it: the form, table, column or field."""
    notes: dict[int, list[str]] = {}
    for line, what in declaration.explanation:
        notes.setdefault(line, []).append(what)
    lines = text.split("\n")
    out = [f"{path}: {declaration.department} {declaration.year}"
           + (f", incomplete from line {declaration.incomplete_at}" if declaration.incomplete_at else "")]
    for number, line in enumerate(lines, 1):
        shown = line.rstrip("\r").replace("\t", " ⇥ ")
        if not shown.strip():
            continue
        out.append(f"{number:5}  {shown[:100]}")
        for what in notes.get(number, ["(nothing read here: page furniture or blank cells)"]):
            out.append(f"       → {what}")
    return out
