"""Import declarations: read every file first, then write them all in one step.

If any file cannot be read, nothing is written: the store stays exactly as it was.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from .forms import FormError, read_declaration
from .forms.records import Declaration
from .graph.mapper import map_declaration
from .graph.store import Store


@dataclass(frozen=True)
class Imported:
    path: str
    declaration: Declaration
    quads: int


def expand(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for the ``.txt`` files in it, in name order."""
    files = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix == ".txt" and f.is_file())
            if not found:
                raise FormError(path, 1, "expected .txt declaration files in this directory, found none")
            files.extend(found)
        else:
            files.append(path)
    return files


def import_files(store: Store, paths: list[str], encoding: str = "utf-8") -> tuple[list[Imported], float]:
    """Read, map and write; raises FormError (nothing written) or StoreError."""
    started = time.perf_counter()
    declarations = [read_declaration(path, encoding) for path in expand(paths)]
    seen: dict[tuple[str, int], str] = {}
    for declaration in declarations:
        identity = (declaration.department, declaration.year)
        if identity in seen:
            raise FormError(
                declaration.source.path, declaration.department_form.line,
                f"expected one file per unit and year, found {declaration.department} {declaration.year} "
                f"already declared by {seen[identity]}",
            )
        seen[identity] = declaration.source.path
    mapped = [map_declaration(d) for d in declarations]
    store.replace(mapped)
    store.flush()
    elapsed = time.perf_counter() - started
    return [Imported(d.source.path, d, len(m.quads)) for d, m in zip(declarations, mapped)], elapsed
