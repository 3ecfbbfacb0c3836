"""One file read into what an import writes — a declaration, or the self-evaluations it
holds — or explained line by line: the step a reading worker runs for each file.

Names go into IRIs (the unit's in every one), so a name longer than any real unit, project or
person has is refused here, before anything is mapped."""

from dataclasses import dataclass, replace

from ..forms.errors import LimitError
from ..forms.grid import too_many_cells
from ..forms.limits import MAX_FILE_CELLS, MAX_NAME_CHARS, amount
from ..forms.parser import parse_rows, read_rows
from ..forms.records import Declaration, SelfEvaluation
from ..forms.self_evaluation import is_self_evaluation, read_self_evaluations


@dataclass(frozen=True)
class FileRead:
    path: str
    digest: str  # sha256 of the file's bytes
    declaration: Declaration | None = None
    evaluations: tuple[SelfEvaluation, ...] = ()


def read_file(path: str, encoding: str = "utf-8", partial: bool = False, year: int | None = None) -> FileRead:
    """A declaration or self-evaluations file read; a FormError (or LimitError) names what is wrong."""
    rows, digest = _bounded_rows(path, encoding)
    if is_self_evaluation(rows):
        evaluations = tuple(read_self_evaluations(rows, path, partial, year))
        for evaluation in evaluations:
            _check_names(path, [("unit", evaluation.department, 1, None), ("project", evaluation.project, 1, None),
                                ("implementing unit", evaluation.implementing_unit, 1, None)])
        return FileRead(path, digest, evaluations=evaluations)
    declaration = parse_rows(rows, path, digest, partial, year)
    places = dict(declaration.places)
    names = [("unit", declaration.department, declaration.line, places.get(declaration.line))]
    for project in declaration.projects:
        at = places.get(project.line)
        names += [("project", project.name, project.name_line, places.get(project.name_line)),
                  ("responsible person", project.responsible_person, project.line, at),
                  ("supervising unit", project.supervising_unit, project.line, at),
                  ("implementing unit", project.implementing_unit, project.line, at)]
    _check_names(path, names)
    # what --explain shows of each line is half the declaration and no part of the graph:
    # left out of what crosses from the reading worker (explain_file shows it)
    return FileRead(path, digest, replace(declaration, explanation=()))


def explain_file(path: str, encoding: str = "utf-8", partial: bool = False, year: int | None = None) -> list[str]:
    """Each line of the file beside what the reader made of it (`import --explain`)."""
    from ..forms.explanation import explain_lines

    rows, digest = _bounded_rows(path, encoding)
    if is_self_evaluation(rows):
        readings = read_self_evaluations(rows, path, partial, year)
    else:
        readings = [parse_rows(rows, path, digest, partial, year)]
    return list(explain_lines(path, rows, *readings))


def _bounded_rows(path: str, encoding: str):
    """The file's rows, refused when they hold more cells than the form reader should go
    through (a text is refused as it is split; a document here, once its reader is done)."""
    rows, digest = read_rows(path, encoding)
    cells = 0
    for row in rows:
        cells += len(row.cells)
        if cells > MAX_FILE_CELLS:
            raise too_many_cells(row.number, row.place).at(path)
    return rows, digest


def _check_names(path: str, names: list[tuple[str, str | None, int, str | None]]):
    for what, name, line, place in names:
        if name and len(name) > MAX_NAME_CHARS:
            raise LimitError(path, line, f"a {what}'s name may be at most {amount(MAX_NAME_CHARS)} characters "
                                         f"(it goes into IRIs), found {amount(len(name))}: '{name[:30]}…'",
                             place or f"line {line}")
