"""Import declarations and alignments: read every file, then write, in bounded memory.

All or nothing by default: every file is read first, and if any cannot be read nothing is
written and the store stays exactly as it was. With `keep_going`, a file that fails in any way
(refused, past a limit, its reading worker crashed) is skipped with its reason and the others
are imported.

Declarations new to the store go in through the store's bulk path a batch at a time, between
marks that let a crashed import be undone; declarations that replace earlier ones, the
alignments and the end of the bulk write go in one last transaction, so that a reader sees a
re-imported corpus all old or all new. A crash part-way leaves the store as it was before (the
bulk part is undone when the store is next opened for writing).

Memory does not grow with the number of new declarations: a small import keeps what it read,
a large one keeps only each file's summary and reads the files again, a batch at a time, to
write them. Declarations that replace earlier ones are held together for their one transaction.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .file_reading import read_file
from .forms import FormError
from .forms.documents import FORMATS
from .forms.records import Declaration
from .graph import iris
from .graph.alignments import MappedAlignment, read_alignment
from .graph.history import ImportRecord
from .graph.mapper import form_graphs, map_declaration
from .graph.self_evaluations import MappedSelfEvaluation, map_self_evaluation
from .graph.store import Store, StoreError
from .reading_worker import InProcess, ReadingWorker

BATCH = 25  # declarations mapped and written together: large enough to be fast, small enough to stay lean
KEEP_IN_MEMORY = 200  # up to this many files, what was read is kept rather than read again
SUPPORTED = (*FORMATS, ".ttl")


@dataclass(frozen=True)
class Imported:
    """One file that went in, with what the command line reports of it."""

    path: str
    declaration: Declaration | None  # kept for small imports; None when read again to write
    quads: int
    alignment: MappedAlignment | None = None
    evaluation: MappedSelfEvaluation | None = None
    department: str = ""
    year: int = 0
    forms: int = 0
    indicators: int = 0
    unmapped: int = 0
    incomplete_at: int | None = None


@dataclass(frozen=True)
class Skipped:
    path: str
    line: int
    reason: str
    shown: str = ""  # the error's own line, when it has one (a limit: FILE: place: limit, found)

    def __str__(self) -> str:
        return self.shown or f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    imported: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def declarations(self) -> int:
        """Declarations, not files: a unit may publish its forms of one year in several files."""
        return len({(item.department, item.year) for item in self.imported
                    if item.alignment is None and item.evaluation is None})

    def as_json(self) -> dict:
        files = [{"file": i.path, "outcome": "imported",
                  "kind": "alignment" if i.alignment else "self-evaluation" if i.evaluation else "declaration",
                  "department": i.department or None, "year": i.year or None, "forms": i.forms,
                  "indicators": i.indicators, "triples": i.quads, "unmapped_cells": i.unmapped,
                  "incomplete_at_line": i.incomplete_at} for i in self.imported]
        files += [{"file": s.path, "outcome": "skipped", "line": s.line, "reason": s.reason} for s in self.skipped]
        return {"imported_declarations": self.declarations, "files": len(files), "skipped": len(self.skipped),
                "seconds": round(self.elapsed, 3), "outcomes": files}


Progress = Callable[[str, int, int], None]  # (stage: "read" | "written", done, total)


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


def open_store(location: str | None, read_only: bool = False) -> Store:
    """The store at `location` (see `Store.open`); with none, the bundled Xiushan declaration
    and its alignments in memory, read by the importer as any file is."""
    if location is not None:
        return Store.open(location, read_only=read_only)
    store = Store.open(None)
    store.location = "bundled data"
    import_files(store, [str(f) for f in (*resources.bundled_forms(), *resources.alignment_files())])
    return store


def import_files(store: Store, paths: list[str], encoding: str = "utf-8", partial: bool = False,
                 year: int | None = None) -> tuple[list[Imported], float]:
    """Import all or nothing; raises FormError (nothing written) or StoreError."""
    report = import_corpus(store, paths, encoding=encoding, partial=partial, year=year)
    return report.imported, report.elapsed


def import_corpus(store: Store, paths: list[str], *, encoding: str = "utf-8", partial: bool = False,
                  year: int | None = None, keep_going: bool = False, progress: Progress | None = None,
                  reader: ReadingWorker | InProcess | None = None) -> ImportReport:
    """Read, map and write. Without `keep_going` the first file that cannot be read raises its
    FormError and nothing is written; with it, a file that fails in any way is skipped and
    reported. Files are read by `reader`: a `ReadingWorker` holds each inside its memory and
    time limits (the command line's imports); by default they are read in this process."""
    started = time.perf_counter()
    reader = reader or InProcess()
    record = ImportRecord()
    report = ImportReport()
    files = expand(paths)
    documents = [path for path in files if not path.lower().endswith(".ttl")]
    keep = len(documents) <= KEEP_IN_MEMORY

    alignments = []
    turtle = [path for path in files if path.lower().endswith(".ttl")]
    for path, outcome in zip(turtle, reader.each(read_alignment, [(path,) for path in turtle])):
        try:
            if isinstance(outcome, FormError):
                raise outcome
            alignments.append((path, outcome))
            record.files.append((path, _digest(path)))
        except Exception as error:  # noqa: BLE001 - with keep_going a file that fails in any way is skipped
            _skip_or_raise(report, path, error, keep_going)

    # -- read every declaration once: all of it checked before anything is written ---------
    read: list[tuple[str, str, Declaration | None, Imported]] = []  # (path, iri, kept declaration, summary)
    evaluations: list[tuple[str, MappedSelfEvaluation]] = []  # year-end self-evaluations, few and small
    declared: dict[str, str] = {}  # form graph → the file of this import that declares it
    jobs = [(path, encoding, partial, year) for path in documents]
    for n, (path, outcome) in enumerate(zip(documents, reader.each(read_file, jobs)), 1):
        try:
            if isinstance(outcome, FormError):
                raise outcome
            if outcome.declaration is None:  # a file of self-evaluations
                mapped_here = []
                for read_one in outcome.evaluations:
                    evaluation = map_self_evaluation(read_one, outcome.digest)
                    if any(evaluation.iri == other.iri for _, other in [*evaluations, *mapped_here]):
                        raise FormError(path, 1, f"expected one self-evaluation per unit, year and project, found "
                                                 f"{evaluation.iri} twice")
                    mapped_here.append((path, evaluation))
                evaluations += mapped_here
                record.files.append((path, outcome.digest))
                continue
            declaration = outcome.declaration
            identity = (declaration.department, declaration.year)
            forms = form_graphs(declaration)
            twice = next((name for graph, name in forms.items() if graph in declared), None)
            if twice is not None:
                other = declared[next(graph for graph in forms if graph in declared)]
                raise FormError(path, declaration.line,
                                f"expected each form of {declaration.department} {declaration.year} in one file, "
                                f"found {twice} in this file and in {other}")
            if keep_going:  # a declaration that cannot be mapped is skipped now, not found half-way through writing
                map_declaration(declaration)
        except Exception as error:  # noqa: BLE001 - with keep_going a file that fails in any way is skipped
            _skip_or_raise(report, path, error, keep_going)
        else:
            record.files.append((path, outcome.digest))
            declared |= dict.fromkeys(forms, path)
            read.append((path, iris.declaration(*identity), declaration if keep else None, _summary(path, declaration)))
        finally:
            if progress:
                progress("read", n, len(documents))

    # -- every entity an alignment links exists in the declaration it names -----------------
    checked = []
    for path, alignment in alignments:
        try:
            _check_entities(store, path, alignment, read, reader, encoding, partial, year)
        except FormError as error:
            _skip_or_raise(report, path, error, keep_going)
        else:
            checked.append((path, alignment))
    alignments = checked

    # -- write: new declarations in bulk, replaced ones a transaction a batch ---------------
    held = set(store.declarations())
    fresh = [item for item in read if item[1] not in held]
    bulk = fresh if len(fresh) > 1 else []  # one new declaration goes in with the rest
    counts: dict[str, int] = {}
    written = 0

    def mapped(batch):
        """The batch's declarations mapped; those not kept are read again (the worker reads
        the next while this process maps the last)."""
        again = [(path, encoding, partial, year) for path, _, declaration, _ in batch if declaration is None]
        reread = reader.each(read_file, again)
        for path, iri, declaration, _ in batch:
            if declaration is None:
                outcome = next(reread)
                if isinstance(outcome, FormError):
                    raise outcome
                declaration = outcome.declaration
            yield path, map_declaration(declaration)

    if bulk:
        store.begin_bulk(list(dict.fromkeys(iri for _, iri, _, _ in bulk)))
        try:
            for start in range(0, len(bulk), BATCH):
                batch = list(mapped(bulk[start:start + BATCH]))
                store.add_bulk([q for _, m in batch for q in m.quads])
                counts |= {path: len(m.quads) for path, m in batch}
                written += len(batch)
                if progress:
                    progress("written", written, len(read))
        except (StoreError, FormError):
            try:
                store.repair()  # a file changed between reading and writing, or the disk failed
            except (StoreError, OSError):
                pass  # the store is out of reach: the marks stay, and its next writable open repairs
            raise
    # Declarations that replace earlier ones go in together, with the alignments and the end of
    # the bulk write, in one transaction: a reader sees all of them old or all new.
    rest = list(mapped([item for item in read if not bulk or item[1] in held]))
    record.added = list(dict.fromkeys(iri for _, iri, _, _ in read if iri not in held))
    record.replaced = list(dict.fromkeys(iri for _, iri, _, _ in read if iri in held))
    record.alignments = [a.iri for _, a in alignments]
    record.evaluations = [e.iri for _, e in evaluations]
    kept = {path for path, _ in alignments} | {path for path, _, _, _ in read} | {path for path, _ in evaluations}
    record.files = [(path, digest) for path, digest in record.files if path in kept]
    store.replace([m for _, m in rest], [a for _, a in alignments] + [e for _, e in evaluations],
                  finishing=list(dict.fromkeys(iri for _, iri, _, _ in bulk)), record=record.quads())
    if evaluations or read:  # outcomes and declared targets, linked where both are now known
        from .outcomes import link

        link(store, [e.iri for _, e in evaluations], list(dict.fromkeys(iri for _, iri, _, _ in read)))
    counts |= {path: len(m.quads) for path, m in rest}
    if progress and rest:
        progress("written", written + len(rest), len(read))
    store.flush()
    for path, iri, declaration, summary in read:
        report.imported.append(Imported(**{**summary.__dict__, "declaration": declaration, "quads": counts[path]}))
    report.imported += [Imported(path, None, len(a.quads), a) for path, a in alignments]
    report.imported += [Imported(path, None, len(e.quads), evaluation=e) for path, e in evaluations]
    report.elapsed = time.perf_counter() - started
    return report


def _check_entities(store: Store, path: str, alignment: MappedAlignment, read: list, reader, encoding: str,
                    partial: bool, year: int | None):
    """An alignment links only what its declaration holds (as this import leaves it), and its
    links are not themselves entities of the declaration."""
    incoming = next((item for item in read if item[1] == alignment.declaration), None)
    if incoming is not None:
        _, _, declaration, _ = incoming
        declaration = declaration if declaration is not None else \
            reader.run(read_file, incoming[0], encoding, partial, year).declaration
        subjects = {q.subject.value for q in map_declaration(declaration).quads if isinstance(q.subject, ox.NamedNode)}
        exists = subjects.__contains__
    else:
        def exists(iri: str) -> bool:
            return any(True for _ in store.quads(ox.NamedNode(iri), None, None))
        if not exists(alignment.declaration):
            raise FormError(path, 1, f"expected the aligned declaration {alignment.declaration} in the store or in "
                                     "this import, found neither")
    for entity, line in alignment.entities:
        if not exists(entity):
            raise FormError(path, line, f"{entity} does not exist in the declaration {alignment.declaration}")
    for node, line in alignment.nodes:
        if exists(node):
            raise FormError(path, line, f"the link {node} is an entity of the declaration: a link needs an IRI of its own")


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _summary(path: str, declaration: Declaration) -> Imported:
    return Imported(path=path, declaration=None, quads=0, department=declaration.department, year=declaration.year,
                    forms=(1 if declaration.department_form else 0) + len(declaration.projects),
                    indicators=len(declaration.indicators), unmapped=len(declaration.unmapped),
                    incomplete_at=declaration.incomplete_at)


def _skip_or_raise(report: ImportReport, path: str, error: Exception, keep_going: bool):
    """Skip the file with its reason (keep_going), or raise: a FormError always, naming the file
    and what went wrong, whatever the error was."""
    if not isinstance(error, FormError):
        error = FormError(path, 1, f"expected a file goaltrace can import, found one it fails on "
                                   f"({type(error).__name__}: {str(error)[:200] or 'no detail'})")
    if not keep_going:
        raise error
    report.skipped.append(Skipped(error.path, error.line, error.reason, str(error)))
