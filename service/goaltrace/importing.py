"""Import declarations: read every file first, then write them all in one step.

If any file cannot be read, nothing is written: the store stays exactly as it was.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from .forms import FormError, read_declaration
from .forms.records import Declaration
from .graph.alignments import MappedAlignment, read_alignment
from .graph.mapper import map_declaration
from .graph.store import Store


@dataclass(frozen=True)
class Imported:
    path: str
    declaration: Declaration | None
    quads: int
    alignment: MappedAlignment | None = None


def expand(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for the ``.txt`` and ``.ttl`` files in it, in name order."""
    files = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix in (".txt", ".ttl") and f.is_file())
            if not found:
                raise FormError(path, 1, "expected .txt declaration or .ttl alignment files in this directory, found none")
            files.extend(found)
        else:
            files.append(path)
    return files


def import_files(store: Store, paths: list[str], encoding: str = "utf-8") -> tuple[list[Imported], float]:
    """Read, map and write; raises FormError (nothing written) or StoreError."""
    started = time.perf_counter()
    files = expand(paths)
    alignments = [(path, read_alignment(path)) for path in files if path.endswith(".ttl")]
    declarations = [read_declaration(path, encoding) for path in files if not path.endswith(".ttl")]
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
    store.replace(mapped, [a for _, a in alignments])
    store.flush()
    elapsed = time.perf_counter() - started
    imported = [Imported(d.source.path, d, len(m.quads)) for d, m in zip(declarations, mapped)]
    imported += [Imported(path, None, len(a.quads), a) for path, a in alignments]
    return imported, elapsed
