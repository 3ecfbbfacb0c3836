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

Memory does not grow with the number of new declarations, and each file is read once: a small
import keeps what it read, a large one puts each declaration aside on disk, compressed, and
takes it back a batch at a time to write it. Declarations that replace earlier ones are held
together for their one transaction.
"""

import hashlib
import pickle
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from ..answers import table_index
from ..forms import FormError
from ..forms.documents import FORMATS
from ..forms.records import Declaration
from ..graph import iris
from ..graph.alignments import MappedAlignment, read_alignment
from ..graph.concept_mappings import MappedConcepts, is_mapping_file, read_mapping
from ..graph.corrections import MappedCorrections, ReviewFile, is_review_file, map_corrections, read_review
from ..graph.history import ImportRecord
from ..graph.mapper import form_graphs, map_declaration
from ..graph.self_evaluations import MappedSelfEvaluation, map_self_evaluation
from ..graph.store import Store, StoreError
from .file_reading import read_file
from .reading_worker import InProcess, ReadingWorker

BATCH = 25  # declarations mapped and written together: large enough to be fast, small enough to stay lean
KEEP_IN_MEMORY = 200  # up to this many files, what was read is kept in memory rather than put aside on disk
SUPPORTED = (*FORMATS, ".ttl", ".csv")


class _Shelf:
    """Declarations put aside in a temporary file, compressed, until they are written: taking
    one back costs a tenth of reading its file again, and memory stays that of a batch."""

    def __init__(self):
        self._file = None

    def put(self, declaration: Declaration) -> "_Shelved":
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="goaltrace-import-")
        data = zlib.compress(pickle.dumps(declaration, protocol=pickle.HIGHEST_PROTOCOL), 1)
        offset = self._file.seek(0, 2)
        self._file.write(data)
        return _Shelved(self, offset, len(data))

    def take(self, offset: int, size: int) -> Declaration:
        self._file.seek(offset)
        return pickle.loads(zlib.decompress(self._file.read(size)))  # bytes this process wrote

    def close(self):
        if self._file is not None:
            self._file.close()


@dataclass(frozen=True)
class _Shelved:
    shelf: _Shelf
    offset: int
    size: int

    def take(self) -> Declaration:
        return self.shelf.take(self.offset, self.size)


def _held(declaration: "Declaration | _Shelved") -> Declaration:
    return declaration.take() if isinstance(declaration, _Shelved) else declaration


@dataclass(frozen=True)
class Imported:
    """One file that went in, with what the command line reports of it."""

    path: str
    declaration: Declaration | None  # kept for small imports; None when read again to write
    quads: int
    alignment: MappedAlignment | None = None
    evaluation: MappedSelfEvaluation | None = None
    corrections: MappedCorrections | None = None
    mapping: MappedConcepts | None = None
    department: str = ""
    year: int = 0
    forms: int = 0
    indicators: int = 0
    unmapped: int = 0
    incomplete_at: int | None = None
    unchanged: bool = False  # the store already held exactly this reading: nothing was written


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
    index_note: str = ""  # why the table index was not kept up to date (it did not match the store)

    @property
    def declarations(self) -> int:
        """Declarations, not files: a unit may publish its forms of one year in several files."""
        return len({(item.department, item.year) for item in self.imported
                    if item.alignment is None and item.evaluation is None and item.corrections is None
                    and item.mapping is None and not item.unchanged})

    @property
    def unchanged(self) -> int:
        return sum(1 for item in self.imported if item.unchanged)

    def as_json(self) -> dict:
        files = [{"file": i.path, "outcome": "unchanged" if i.unchanged else "imported",
                  "kind": "alignment" if i.alignment else "self-evaluation" if i.evaluation
                  else "corrections" if i.corrections else "concept-mapping" if i.mapping else "declaration",
                  "department": i.department or None, "year": i.year or None, "forms": i.forms,
                  "indicators": i.indicators, "triples": i.quads, "unmapped_cells": i.unmapped,
                  "incomplete_at_line": i.incomplete_at} for i in self.imported]
        files += [{"file": s.path, "outcome": "skipped", "line": s.line, "reason": s.reason} for s in self.skipped]
        return {"imported_declarations": self.declarations, "files": len(files), "skipped": len(self.skipped),
                "seconds": round(self.elapsed, 3), "outcomes": files}


Progress = Callable[[str, int, int], None]  # (stage: "read" | "written", done, total)


def directory_files(directory: Path, recursive: bool = True) -> list[Path]:
    """The files in a directory and, when `recursive`, in its subdirectories, in name order
    (a folder's files where its name sorts); hidden files and folders (.git, …) passed over."""
    found = directory.rglob("*") if recursive else directory.iterdir()
    return sorted((f for f in found if f.is_file() and not any(part.startswith(".") for part in f.relative_to(directory).parts)),
                  key=lambda f: f.relative_to(directory).parts)


def expand(paths: list[str], recursive: bool = True) -> list[str]:
    """Files as given; a directory stands for every supported file in it and, when
    `recursive`, in its subdirectories (declarations in any format, .ttl alignments, .csv
    review files and concept mapping files: those whose header is one's), in name order."""
    files = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = [str(f) for f in directory_files(p, recursive) if f.suffix.lower() in SUPPORTED
                     and (f.suffix.lower() != ".csv" or is_review_file(f) or is_mapping_file(f))]
            if not found:
                where = "this directory or its subdirectories" if recursive else "this directory"
                raise FormError(path, 1, f"expected declaration files ({', '.join(sorted(FORMATS))}) or .ttl "
                                         f"alignments in {where}, found none")
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
                  reader: ReadingWorker | InProcess | None = None, recursive: bool = True,
                  keep_index: bool = True) -> ImportReport:
    """Read, map and write. Without `keep_going` the first file that cannot be read raises its
    FormError and nothing is written; with it, a file that fails in any way is skipped and
    reported. Files are read by `reader`: a `ReadingWorker` holds each inside its memory and
    time limits (the command line's imports); by default they are read in this process. A
    directory stands for its supported files, its subdirectories' too unless not `recursive`.
    Without `keep_index` the table index is left as it was (then no longer matching the store,
    until `goaltrace index`): what bench/index_cost.py compares."""
    started = time.perf_counter()
    files = expand(paths, recursive)
    run = _Import(store, reader or InProcess(), keep_going, progress)
    run.keep_index = keep_index
    run.read_alignments([path for path in files if path.lower().endswith(".ttl")])
    run.read_csv_files([path for path in files if path.lower().endswith(".csv")])
    # every declaration read once: all of it checked before anything is written
    run.read_documents([path for path in files if not path.lower().endswith((".ttl", ".csv"))],
                       (encoding, partial, year))
    run.check_alignments()
    run.map_reviews()
    run.write()
    run.report.elapsed = time.perf_counter() - started
    return run.report


class _Import:
    """One import's files as they are read, checked and written, and its report and record."""

    def __init__(self, store: Store, reader: "ReadingWorker | InProcess", keep_going: bool, progress: Progress | None):
        self.store, self.reader, self.keep_going, self.progress = store, reader, keep_going, progress
        self.record = ImportRecord()
        self.report = ImportReport()
        self.alignments: list[tuple[str, MappedAlignment]] = []
        self.reviews: list[tuple[str, ReviewFile]] = []  # review files, corrections to rows read before
        self.mappings: list[tuple[str, MappedConcepts]] = []  # curated concept mapping files
        self.read: list[tuple[str, str, Declaration | _Shelved, Imported]] = []  # (path, iri, declaration, summary)
        self.evaluations: list[tuple[str, MappedSelfEvaluation]] = []  # year-end self-evaluations, few and small
        self.corrections: list[tuple[str, MappedCorrections]] = []
        self.shelf: _Shelf | None = None
        self.keep_index = True

    def skip_or_raise(self, path: str, error: Exception):
        _skip_or_raise(self.report, path, error, self.keep_going)

    def read_alignments(self, turtle: list[str]):
        """Curated alignments (.ttl), each read whole."""
        for path, outcome in zip(turtle, self.reader.each(read_alignment, [(path,) for path in turtle])):
            try:
                if isinstance(outcome, FormError):
                    raise outcome
                self.alignments.append((path, outcome))
                self.record.files.append((path, _digest(path)))
            except Exception as error:  # noqa: BLE001 - with keep_going a file that fails in any way is skipped
                self.skip_or_raise(path, error)

    def read_csv_files(self, paths: list[str]):
        """Review files and concept mapping files; any other CSV is refused."""
        for path in paths:
            try:
                if is_mapping_file(path):
                    self.mappings.append((path, _checked_mapping(self.store, path, self.mappings)))
                    self.record.files.append((path, _digest(path)))
                    continue
                if not is_review_file(path):
                    raise FormError(path, 1, "expected a review file written by goaltrace review (its header names "
                                             "source_sha256, place, …, corrected_value, reviewer, note) or a concept "
                                             "mapping file (indicator, concept, curator, note), found another CSV")
                review = read_review(path)
                other = next((p for p, r in self.reviews if r.iri == review.iri), None)
                if other:
                    raise FormError(path, 1, f"expected review files named apart (each file's name names its graph), "
                                             f"found {review.name} twice: {other} and {path}")
                self.reviews.append((path, review))
                self.record.files.append((path, review.digest))
            except Exception as error:  # noqa: BLE001 - with keep_going a file that fails in any way is skipped
                self.skip_or_raise(path, error)

    def read_documents(self, documents: list[str], options: tuple):
        """Every declaration and self-evaluation, read once; past KEEP_IN_MEMORY files what was
        read is put aside on disk until it is written."""
        self.shelf = None if len(documents) <= KEEP_IN_MEMORY else _Shelf()
        declared: dict[str, str] = {}  # form graph → the file of this import that declares it
        jobs = [(path, *options) for path in documents]
        for n, (path, outcome) in enumerate(zip(documents, self.reader.each(read_file, jobs)), 1):
            try:
                if isinstance(outcome, FormError):
                    raise outcome
                if outcome.declaration is None:  # a file of self-evaluations
                    self._take_evaluations(path, outcome)
                    continue
                declaration = outcome.declaration
                forms = form_graphs(declaration)
                _in_one_file(path, declaration, forms, declared)
                if self.keep_going:  # a declaration that cannot be mapped is skipped now, not found half-way through writing
                    map_declaration(declaration)
            except Exception as error:  # noqa: BLE001 - with keep_going a file that fails in any way is skipped
                self.skip_or_raise(path, error)
            else:
                self.record.files.append((path, outcome.digest))
                declared |= dict.fromkeys(forms, path)
                kept = self.shelf.put(declaration) if self.shelf else declaration
                self.read.append((path, iris.declaration(declaration.department, declaration.year), kept,
                                  _summary(path, declaration)))
            finally:
                if self.progress:
                    self.progress("read", n, len(documents))

    def _take_evaluations(self, path: str, outcome):
        mapped_here = []
        for read_one in outcome.evaluations:
            evaluation = map_self_evaluation(read_one, outcome.digest)
            if any(evaluation.iri == other.iri for _, other in [*self.evaluations, *mapped_here]):
                raise FormError(path, 1, f"expected one self-evaluation per unit, year and project, found "
                                         f"{evaluation.iri} twice")
            mapped_here.append((path, evaluation))
        self.evaluations += mapped_here
        self.record.files.append((path, outcome.digest))

    def check_alignments(self):
        """Every entity an alignment links exists in the declaration it names."""
        checked = []
        for path, alignment in self.alignments:
            try:
                _check_entities(self.store, path, alignment, self.read)
            except FormError as error:
                self.skip_or_raise(path, error)
            else:
                checked.append((path, alignment))
        self.alignments = checked

    def map_reviews(self):
        """Every row a review file corrects exists, read from the bytes it names."""
        if not self.reviews:
            return
        named = {row.sha256 for _, review in self.reviews for row in review.rows}
        rows_of = _source_rows(self.store, named, self.read, self.record)
        taken = _corrected_elsewhere(self.store)
        for path, review in self.reviews:
            try:
                mapped_here = map_corrections(review, rows_of, {i: f for i, (g, f) in taken.items() if g != review.iri})
            except FormError as error:
                self.skip_or_raise(path, error)
            else:
                self.corrections.append((path, mapped_here))
                taken |= {i: (review.iri, review.name) for i in mapped_here.indicators}

    def write(self):
        """New declarations in bulk, then in one transaction the declarations that replace earlier
        ones, the layers (alignments, self-evaluations, corrections, mappings) and the end of the
        bulk write: a reader sees all of them old or all new. What the store already holds
        exactly is not written, and not put on record."""
        keeper = table_index.Keeper(self.store) if self.keep_index else None  # before anything is written
        held = set(self.store.declarations())
        fresh = [item for item in self.read if item[1] not in held]
        bulk = fresh if len(fresh) > 1 else []  # one new declaration goes in with the rest
        counts = self._write_bulk(bulk)
        rest = list(self._mapped([item for item in self.read if not bulk or item[1] in held]))
        same = {path for path, m in rest if m.iri in held and _holds(self.store, m.graphs, self.store.replaced_graphs(m))}
        layers = [*self.alignments, *self.evaluations, *self.corrections, *self.mappings]
        same_layers = {a.iri for _, a in layers if _holds(self.store, a.graphs)}
        counts |= {path: len(m.quads) for path, m in rest}
        rest = [(path, m) for path, m in rest if path not in same]
        changed = {kind: [a for _, a in items if a.iri not in same_layers]
                   for kind, items in (("alignments", self.alignments), ("evaluations", self.evaluations),
                                       ("corrections", self.corrections), ("mappings", self.mappings))}
        self._put_on_record(held, same, changed, {path for path, a in layers if a.iri not in same_layers})
        layer_quads = [q for items in changed.values() for a in items for q in (*a.quads, *self.store.graph_quads(a.iri))]
        if rest or any(changed.values()) or bulk:
            self.store.replace([m for _, m in rest], [a for items in changed.values() for a in items],
                               finishing=list(dict.fromkeys(iri for _, iri, _, _ in bulk)), record=self.record.quads())
            written_here = list(dict.fromkeys(iri for path, iri, _, _ in self.read if path not in same))
            if changed["evaluations"] or written_here:  # outcomes and declared targets, linked where both are now known
                from ..answers.outcomes import link

                link(self.store, [e.iri for e in changed["evaluations"]], written_here)
        if self.progress and rest:
            self.progress("written", len(bulk) + len(rest), len(self.read))
        self.store.flush()
        written = {iri for path, iri, _, _ in self.read if path not in same} | table_index.declarations_in(layer_quads)
        names = table_index.curated_names(layer_quads)
        if keeper and (written or names):  # the table index's rows of exactly what was written, after the store's commit
            self.report.index_note = keeper.written(written, names)
        if self.shelf:
            self.shelf.close()
        self._fill_report(counts, same, same_layers)

    def _mapped(self, batch):
        """The batch's declarations mapped, those put aside taken back."""
        for path, _, declaration, _ in batch:
            yield path, map_declaration(_held(declaration))

    def _write_bulk(self, bulk: list) -> dict[str, int]:
        """New declarations, written BATCH at a time under the store's bulk marks (undone on
        failure); the number of quads of each file."""
        counts: dict[str, int] = {}
        if not bulk:
            return counts
        self.store.begin_bulk(list(dict.fromkeys(iri for _, iri, _, _ in bulk)))
        try:
            for start in range(0, len(bulk), BATCH):
                batch = list(self._mapped(bulk[start:start + BATCH]))
                self.store.add_bulk([q for _, m in batch for q in m.quads])
                counts |= {path: len(m.quads) for path, m in batch}
                if self.progress:
                    self.progress("written", start + len(batch), len(self.read))
        except (StoreError, FormError):
            try:
                self.store.repair()  # a file changed between reading and writing, or the disk failed
            except (StoreError, OSError):
                pass  # the store is out of reach: the marks stay, and its next writable open repairs
            raise
        return counts

    def _put_on_record(self, held: set[str], same: set[str], changed: dict[str, list], layer_paths: set[str]):
        """The import's record: declarations added and replaced, the layers that changed, and
        the files that changed something."""
        record = self.record
        record.added = list(dict.fromkeys(iri for _, iri, _, _ in self.read if iri not in held))
        record.replaced = list(dict.fromkeys(iri for path, iri, _, _ in self.read if iri in held and path not in same))
        record.alignments = [a.iri for a in changed["alignments"]]
        record.evaluations = [e.iri for e in changed["evaluations"]]
        record.corrections = [c.iri for c in changed["corrections"]]
        record.mappings = [m.iri for m in changed["mappings"]]
        kept = layer_paths | {path for path, _, _, _ in self.read if path not in same}
        record.files = [(path, digest) for path, digest in record.files if path in kept]

    def _fill_report(self, counts: dict[str, int], same: set[str], same_layers: set[str]):
        report = self.report
        for path, _, declaration, summary in self.read:
            kept = declaration if isinstance(declaration, Declaration) else None
            report.imported.append(Imported(**{**summary.__dict__, "declaration": kept, "quads": counts[path],
                                               "unchanged": path in same}))
        report.imported += [Imported(path, None, len(a.quads), a, unchanged=a.iri in same_layers)
                            for path, a in self.alignments]
        report.imported += [Imported(path, None, len(e.quads), evaluation=e, unchanged=e.iri in same_layers)
                            for path, e in self.evaluations]
        report.imported += [Imported(path, None, len(c.quads), corrections=c, unchanged=c.iri in same_layers)
                            for path, c in self.corrections]
        report.imported += [Imported(path, None, len(m.quads), mapping=m, unchanged=m.iri in same_layers)
                            for path, m in self.mappings]


def _in_one_file(path: str, declaration: Declaration, forms: dict[str, str], declared: dict[str, str]):
    """A form of a declaration is read from one file of the import: FormError where another
    file already gave it."""
    twice = next((name for graph, name in forms.items() if graph in declared), None)
    if twice is not None:
        other = declared[next(graph for graph in forms if graph in declared)]
        raise FormError(path, declaration.line,
                        f"expected each form of {declaration.department} {declaration.year} in one file, "
                        f"found {twice} in this file and in {other}")


def _check_entities(store: Store, path: str, alignment: MappedAlignment, read: list):
    """An alignment links only what its declaration holds (as this import leaves it), and its
    links are not themselves entities of the declaration."""
    incoming = next((item for item in read if item[1] == alignment.declaration), None)
    if incoming is not None:
        subjects = {q.subject.value for q in map_declaration(_held(incoming[2])).quads if isinstance(q.subject, ox.NamedNode)}
        exists = subjects.__contains__
    else:
        def exists(iri: str) -> bool:
            return store.mentions(iri)
        if not exists(alignment.declaration):
            raise FormError(path, 1, f"expected the aligned declaration {alignment.declaration} in the store or in "
                                     "this import, found neither")
    for entity, line in alignment.entities:
        if not exists(entity):
            raise FormError(path, line, f"{entity} does not exist in the declaration {alignment.declaration}")
    for node, line in alignment.nodes:
        if exists(node):
            raise FormError(path, line, f"the link {node} is an entity of the declaration: a link needs an IRI of its own")


def _source_rows(store: Store, named: set[str], read: list, record: ImportRecord):
    """rows_of(sha256): the indicator rows of the source with that digest as this import leaves
    the store (a declaration this import reads, or one the store holds that it does not
    replace), or None where there will be no such source."""
    from ..answers import review
    from ..graph.store import MEMORY

    digests = dict(record.files)
    names = {Path(path).name for path, _, _, _ in read}
    forms = {graph for _, _, declaration, _ in read if isinstance(declaration, Declaration) for graph in form_graphs(declaration)}
    unread = {iri for _, iri, declaration, _ in read if isinstance(declaration, _Shelved)}  # put aside: judged by declaration
    held = review.rows_by_source(store, named - {digests.get(path) for path, _, _, _ in read})
    here: list[Store] = []  # the declarations of this import reviewed, as it will write them

    def rows_of(sha256: str) -> list[dict] | None:
        item = next((item for item in read if digests.get(item[0]) == sha256), None)
        if item is not None:
            declaration = _held(item[2])
            if not here:
                here.append(Store.open(MEMORY))
            here[0].engine.extend(map_declaration(declaration).quads)
            return review.source_rows(here[0], sha256) or None
        rows = held.get(sha256)
        if not rows or rows[0]["source_file"] in names or rows[0]["declaration"] in unread \
                or any(row["form"] in forms for row in rows):  # none, or replaced by this import
            return None
        return rows

    return rows_of


def _checked_mapping(store: Store, path: str, others: list[tuple[str, MappedConcepts]]) -> MappedConcepts:
    """A mapping file read, each of its names curated in no other mapping file (of the store,
    or of this import)."""
    mapping = read_mapping(path)
    elsewhere = {row["name"].value: row["file"].value for row in store.run("concept-curations")
                 if row["graph"].value != mapping.iri}
    elsewhere |= {name: other.name for _, other in others for name in other.names}
    twice = next((name for name in mapping.names if name in elsewhere), None)
    if twice is not None:
        raise FormError(path, 1, f"expected each indicator name curated in one mapping file, found {twice} "
                                 f"curated in {elsewhere[twice]} too: change it there")
    return mapping


def _corrected_elsewhere(store: Store) -> dict[str, tuple[str, str]]:
    """The rows review files in the store correct (and still apply to): indicator → (graph, file)."""
    return {row["indicator"].value: (row["graph"].value, row["file"].value)
            for row in store.run("corrections") if row["applies"].value == "true"}


def _holds(store: Store, graphs: dict[str, list[ox.Quad]], dropped: set[str] | None = None) -> bool:
    """Whether the store holds exactly these graphs, and writing them would drop no other
    (`dropped`: what the write replaces); the shared registry graph need only hold these quads
    among others."""
    if dropped is not None and not set(dropped) <= set(graphs):
        return False
    for graph, quads in graphs.items():
        if graph == iris.REGISTRY:  # derived from the same reading as the forms' graphs; on a
            # remote store asked quad by quad, so there left to those graphs to decide
            if not store.remote and not all(quad in store.engine for quad in quads):
                return False
        elif set(store.graph_quads(graph)) != set(quads):
            return False
    return True


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
