"""What a reader makes of each line: the explanation `import --explain` shows, and the cells
it could not map, which are kept rather than dropped."""

from dataclasses import dataclass, field

from .errors import FormError


@dataclass(frozen=True)
class UnmappedCell:
    """A non-blank cell the reader did not map to any field, kept with its place."""

    line: int
    text: str
    context: str  # where it stood: "before the first form", "indicator table, column 备注", …


@dataclass
class Reading:
    """A reader's notes on one file: line → what each cell was read as."""

    path: str
    partial: bool = False
    places: dict[int, str] = field(default_factory=dict)  # line → place in a document
    notes: dict[int, list[str]] = field(default_factory=dict)
    unmapped: list[UnmappedCell] = field(default_factory=list)
    tolerant: bool = False  # a whole document: a cell that cannot be read is kept, not fatal

    def note(self, line: int, what: str):
        self.notes.setdefault(line, []).append(what)

    def withdraw(self, line: int, what: str, why: str):
        """A note taken back: what was first read on this line was dropped after all (a row the
        text stops inside), so the explanation says so rather than claim it."""
        notes = self.notes.get(line, [])
        if what in notes:
            notes[notes.index(what)] = f"{what} — not read: {why}"

    def keep(self, line: int, text: str, context: str):
        """A cell read as nothing known: kept in the graph as an unmapped cell."""
        self.unmapped.append(UnmappedCell(line, text.strip(), context))
        self.note(line, f"kept as an unmapped cell ({context}): {text.strip()}")

    def doubt(self, line: int, message: str, cell: str, context: str):
        """A cell that cannot be read as its column expects: fatal in a single form, kept raw
        with the finding in a whole document, where one odd cell must not stop the rest."""
        if not self.tolerant:
            self.fail(line, message)
        self.note(line, f"needs review: {message}")
        self.unmapped.append(UnmappedCell(line, cell.strip(), context))

    def fail(self, line: int, message: str):
        raise FormError(self.path, line, message, self.places.get(line))
