"""Import declarations: read every file first, then write.

If any file cannot be read, nothing is written: the store stays exactly as it was. Declarations
new to the store go in through the store's bulk path, a batch at a time; declarations that
replace earlier ones, and the alignments, go in one transaction that also completes the bulk
write. A crash part-way loses the import and leaves the store as it was before (once it is
next opened for writing).
"""

import time
from dataclasses import dataclass
from pathlib import Path

from .forms import FormError, read_declaration
from .forms.documents import FORMATS
from .forms.records import Declaration
from .graph.alignments import MappedAlignment, read_alignment
from .graph import iris
from .graph.mapper import map_declaration
from .graph.store import Store, StoreError

BATCH = 25  # declarations mapped and written together: large enough to be fast, small enough to stay lean


@dataclass(frozen=True)
class Imported:
    path: str
    declaration: Declaration | None
    quads: int
    alignment: MappedAlignment | None = None


SUPPORTED = (*FORMATS, ".ttl")


def expand(paths: list[str]) -> list[str]:
    """Files as given; a directory stands for every supported file in it (declarations in any
    format, .ttl alignments), in name order."""
    files = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.iterdir() if f.suffix.lower() in SUPPORTED and f.is_file())
            if not found:
                raise FormError(path, 1, f"expected declaration files ({', '.join(sorted(FORMATS))}) or .ttl "
                                         "alignments in this directory, found none")
            files.extend(found)
        else:
            files.append(path)
    return files


def import_files(store: Store, paths: list[str], encoding: str = "utf-8", partial: bool = False,
                 year: int | None = None) -> tuple[list[Imported], float]:
    """Read, map and write; raises FormError (nothing written) or StoreError. With `partial`, a
    form whose text stops inside its indicator table is imported up to the cut, marked
    incomplete. `year` is the budget year of a file that states none."""
    started = time.perf_counter()
    files = expand(paths)
    alignments = [(path, read_alignment(path)) for path in files if path.endswith(".ttl")]
    declarations = [read_declaration(path, encoding, partial, year) for path in files if not path.endswith(".ttl")]
    seen: dict[tuple[str, int], str] = {}
    for declaration in declarations:
        identity = (declaration.department, declaration.year)
        if identity in seen:
            raise FormError(
                declaration.source.path, declaration.line,
                f"expected one file per unit and year, found {declaration.department} {declaration.year} "
                f"already declared by {seen[identity]}",
            )
        seen[identity] = declaration.source.path
    held = set(store.declarations())
    iri_of = {id(d): iris.declaration(d.department, d.year) for d in declarations}
    fresh = [d for d in declarations if iri_of[id(d)] not in held]
    bulk = fresh if len(fresh) > 1 else []  # one new declaration goes in with the rest
    counts = _write_bulk(store, bulk, iri_of) if bulk else {}
    mapped = [map_declaration(d) for d in declarations if not bulk or iri_of[id(d)] in held]
    counts |= {m.iri: len(m.quads) for m in mapped}
    store.replace(mapped, [a for _, a in alignments], finishing=[iri_of[id(d)] for d in bulk])
    store.flush()
    elapsed = time.perf_counter() - started
    imported = [Imported(d.source.path, d, counts[iri_of[id(d)]]) for d in declarations]
    imported += [Imported(path, None, len(a.quads), a) for path, a in alignments]
    return imported, elapsed


def _write_bulk(store: Store, declarations: list[Declaration], iri_of: dict[int, str]) -> dict[str, int]:
    """Map and write new declarations a batch at a time; on failure remove what was written."""
    store.begin_bulk([iri_of[id(d)] for d in declarations])
    counts = {}
    try:
        for start in range(0, len(declarations), BATCH):
            batch = [map_declaration(d) for d in declarations[start:start + BATCH]]
            store.add_bulk([q for m in batch for q in m.quads])
            counts |= {m.iri: len(m.quads) for m in batch}
    except StoreError:
        store.repair()
        raise
    return counts
