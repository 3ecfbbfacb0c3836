"""The ``goaltrace`` command line: the same functions the web app serves.

Every command takes ``--store DIR`` or ``--store URL`` (a SPARQL 1.1 endpoint); without it,
the bundled Xiushan 2023 data is used.
"""

import os
import sys
import time
from pathlib import Path

import click

from .answers import exporting
from .forms import FormError
from .graph.endpoint import EndpointError
from .graph.store import MEMORY, Store, StoreError
from .ingest.reading_worker import DEFAULT_MEMORY, DEFAULT_SECONDS, shown_bytes
from .rendering import formats
from .rendering import text as said

_MISSING = {
    "creates": "created if missing",
    "reads": "made by goaltrace import; a missing one is an error, never created",
    "serves": "made by goaltrace import; a missing one is an error, unless --allow-update, which creates it",
}


def store_option(command=None, *, missing: str = "reads"):
    """The --store option, its help saying what the command does to a store that is not there:
    `missing` is "creates" (import), "reads" (every command that only reads) or "serves"."""
    def add(command):
        return click.option(
            "--store", "store_location", metavar="DIR|URL", default=None,
            help=f"Oxigraph store directory ({_MISSING[missing]}); a SPARQL 1.1 query endpoint URL "
                 f"(updates go to …/update beside …/query); or {MEMORY} for an empty in-memory store. "
                 "Default: the bundled Xiushan 2023 data, in memory.",
        )(command)

    return add(command) if command is not None else add


def open_store(location: str | None, read_only: bool = False) -> Store:
    try:
        if location is None:  # the bundled data, read from its forms: only then are the readers loaded
            from .ingest.importing import open_store as bundled

            store = bundled(None)
        else:
            store = Store.open(location, read_only=read_only)
    except StoreError as error:
        fail(str(error), 1)
    if store.repaired:
        click.echo(said.repaired(len(store.repaired)), err=True)
    if store.unstaged:
        click.echo(said.unstaged(store.unstaged), err=True)
    return store


def reading_store(location: str | None) -> Store:
    """A store to read from: a directory is opened read-only, so that a running server or
    import can keep it open for writing meanwhile."""
    return open_store(location, read_only=bool(location and location != MEMORY))


def fail(message: str, code: int):
    click.echo(f"goaltrace: {message}", err=True)
    sys.exit(code)


class _Commands(click.Group):
    """Every command: a remote store that fails or goes away mid-command is one line, exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EndpointError as error:
            fail(str(error), 1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goaltrace")
def main():
    """goaltrace — trace public money to what it is meant to achieve.

    Budget performance-target declarations (绩效目标申报表) as a knowledge graph.
    """


_SIZE_UNITS = {"": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
               "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


class _Size(click.ParamType):
    """A size in bytes: 2GiB, 512MiB, 1.5G, 800M, or a plain number of bytes."""

    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        import re

        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(value))
        unit = match and _SIZE_UNITS.get(match.group(2).lower())
        if not unit:
            self.fail(f"expected a size such as 2GiB or 512MiB, found {value!r}", param, ctx)
        size = int(float(match.group(1)) * unit)
        if size < 64 << 20:
            self.fail(f"expected at least 64MiB (Python itself needs that much to start), found {value!r}", param, ctx)
        return size


@main.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE…")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the text files.")
@click.option("--partial", is_flag=True,
              help="Import a form whose text stops inside its indicator table up to the cut, marked incomplete.")
@click.option("--year", type=click.IntRange(1900, 2200), default=None, metavar="YYYY",
              help="The budget year of a file that states none (a form's own 预算年度 or title wins).")
@click.option("--keep-going", is_flag=True,
              help="Import every file that reads; name each skipped one, whatever stopped it (FILE:LINE: reason, or "
                   "FILE: place: limit), and exit 2 if any was.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE.json",
              help="Write each file's outcome (imported or skipped, and why) as JSON.")
@click.option("--explain", "explain", is_flag=True,
              help="Import nothing: show how each line of each file is read (which form, table, column, field).")
@click.option("--max-memory", "max_memory", type=_Size(), default=shown_bytes(DEFAULT_MEMORY).replace(" ", ""), show_default=True, metavar="SIZE",
              help="Memory each file may take to read (512MiB, 2GiB, …): the address space of the process reading it, "
                   "and of each process a PDF's pages are read in. A file past it is refused (FILE: place: limit).")
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0.1), default=DEFAULT_SECONDS, show_default=True,
              metavar="SECONDS", help="Time each file may take to read; a file past it is refused.")
@click.option("--recursive/--no-recursive", default=True, show_default=True,
              help="Whether a directory's subdirectories are read too (their supported files, in name order).")
@store_option(missing="creates")
def import_command(files, encoding, partial, year, keep_going, report_path, explain, max_memory, time_limit,
                   recursive, store_location):
    """Import declarations, curated alignments (.ttl) and review files (.csv, written by
    goaltrace review and filled in), or directories of them. Declarations are read from text
    (.txt), spreadsheets (.xlsx, .xls), Word (.docx), web pages (.html) and PDF (.pdf), in any
    provincial template.

    All files are read before anything is written: on bad input the command prints
    FILE:LINE: what was expected, what was found — and exits 2 with the store unchanged.
    A directory stands for every supported file in it and in its subdirectories (not with
    --no-recursive), in name order; hidden files and folders are passed over.
    Each file is read in a worker process held to --max-memory and --time-limit, and the
    readers refuse what no form holds (a merged range over a whole sheet, ten million
    paragraphs, a PDF object that refers to itself, …): past a limit the line is
    FILE: place: the limit, what was found. With --keep-going the files that read are
    imported and the others named. Re-importing a declaration replaces it as one step.
    """
    from .ingest.importing import import_corpus
    from .ingest.reading_worker import Limits, ReadingWorker, WorkerError

    limits = Limits(memory=max_memory, seconds=time_limit)
    try:
        reader = ReadingWorker(limits, _kinds(files, recursive), fork_now=True)  # before the store is open: see ReadingWorker
        if explain:
            with reader:
                _explain(files, encoding, partial, year, reader, recursive)
            return
    except WorkerError as error:
        fail(str(error), 1)
    store = open_store(store_location)
    progress = _ProgressLine() if sys.stderr.isatty() else None
    try:
        with reader:
            report = import_corpus(store, list(files), encoding=encoding, partial=partial, year=year,
                                   keep_going=keep_going, progress=progress, reader=reader, recursive=recursive)
    except FormError as error:
        if progress:
            progress.clear()
        click.echo(str(error), err=True)
        sys.exit(2)
    except (StoreError, WorkerError) as error:
        fail(str(error), 1)
    finally:
        if progress:
            progress.clear()
    for item in report.imported:
        click.echo(said.imported_file(item))
    for skipped in report.skipped:
        click.echo(said.skipped_file(skipped), err=True)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            out.write(formats.text("import-report", "json", report.as_json()))
    where = store.location if store_location else "a throwaway in-memory store (give --store DIR to keep it)"
    click.echo(said.import_summary(report, where, keep_going))
    if report.index_note:
        click.echo(f"goaltrace: {report.index_note}", err=True)
    if report.skipped:
        sys.exit(2)


class _ProgressLine:
    """One line on the terminal: files read, then declarations written."""

    def __init__(self):
        self.shown = False

    def __call__(self, stage: str, done: int, total: int):
        if done != total and done % 10:
            return
        click.echo(said.progress_line(stage, done, total), err=True, nl=False)
        self.shown = True

    def index(self, stage: str, done: int, total: int):
        """Building the table index: each declaration's sources asked, then each table's rows."""
        verb = "asking sources" if stage == "sources" else f"indexing {stage}"
        if sys.stderr.isatty():
            click.echo(f"\r\033[K{verb:22} {done}/{total}", err=True, nl=False)
            self.shown = True
        elif done == total or done % max(1, total // 10) < 50:  # a log: about ten lines a stage
            click.echo(f"{verb} {done}/{total}", err=True)

    def clear(self):
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)
            self.shown = False


def _explain(files, encoding: str, partial: bool, year: int | None, reader, recursive: bool = True):
    """Print each line of each file beside what the reader made of it."""
    from .ingest.file_reading import explain_file
    from .ingest.importing import expand

    try:
        paths = [path for path in expand(list(files), recursive) if not path.lower().endswith((".ttl", ".csv"))]
        for explained in reader.each(explain_file, [(path, encoding, partial, year) for path in paths]):
            if isinstance(explained, FormError):
                raise explained
            for line in explained:
                click.echo(line)
    except FormError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def _kinds(files, recursive: bool = True) -> set[str]:
    """The kinds of file an import holds (pdf, xlsx, …), so that its reading worker starts with
    their libraries loaded."""
    from .ingest.importing import directory_files

    kinds = set()
    for file in files:
        path = Path(file)
        found = directory_files(path, recursive) if path.is_dir() else [path]
        kinds |= {item.suffix.lower().lstrip(".") for item in found}
    return kinds


@main.command("repair")
@store_option
def repair_command(store_location):
    """Undo an import that was interrupted (any write does this first; this command only that)."""
    if store_location and store_location != MEMORY and "://" not in store_location and not Path(store_location).exists():
        fail(f"{store_location}: no store here (expected a directory made by 'goaltrace import --store {store_location}')", 1)
    store = open_store(store_location)
    if not store.repaired and not store.unstaged:
        click.echo(said.nothing_to_repair(store.location))


@main.command("index")
@store_option
def index_command(store_location):
    """Build the table index the web app's tables answer from (facets, sort and search at any
    size), or bring it up to date: needed once for a store imported before the index was kept
    (every import keeps it after that); only declarations whose sources changed are read again."""
    from .answers.table_index import rebuild

    if not store_location or store_location == MEMORY or "://" in store_location:
        fail("the table index is kept in a store's folder: give --store DIR", 1)
    if not Path(store_location).exists():
        fail(f"{store_location}: no store here (expected a directory made by 'goaltrace import --store {store_location}')", 1)
    store = open_store(store_location, read_only=True)
    started = time.perf_counter()
    line = _ProgressLine()
    read, total = rebuild(store, progress=line.index)
    line.clear()
    click.echo(f"{store_location}: table index up to date; {read} of {total} declarations read again "
               f"in {time.perf_counter() - started:.1f} s")


def declaration_options(command):
    command = click.option("--department", metavar="NAME", help="Which unit, when several are loaded (a part of its name is enough).")(command)
    return click.option("--year", type=int, metavar="YYYY", help="Which budget year, when several are loaded.")(command)


def resolve(store, department, year):
    from .answers import trace

    try:
        return trace.resolve(store, department, year)
    except trace.TraceError as error:
        fail(str(error), 2)


@main.group()
def export():
    """Export indicators, amounts or the whole graph."""


def _table_command(table: str, help_text: str):
    @export.command(table, help=help_text)
    @click.option("--format", "fmt", type=click.Choice(formats.names("table")), default="csv", show_default=True,
                  help="csv (UTF-8, no byte order mark: for pipes and scripts), json, or xlsx (an Excel workbook).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                  help="Write to this file instead of standard output.")
    @declaration_options
    @store_option
    def command(fmt, output, department, year, store_location):
        if fmt == "xlsx" and not output and sys.stdout.isatty():
            raise click.UsageError("an xlsx workbook is binary: give --output FILE, or redirect standard output to a file")
        store = reading_store(store_location)
        data = exporting.rows(store, table, chosen_declaration(store, department, year))
        write_output(formats.render("table", fmt, formats.Rows(table, exporting.TABLES[table], data)), output)

    return command


def write_output(body: bytes, output: str | None):
    """The bytes to the file named, or to standard output."""
    if output:
        try:
            with open(output, "wb") as out:
                out.write(body)
        except OSError as error:
            fail(f"{output}: {error.strerror}", 1)
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()


def chosen_declaration(store, department: str | None, year: int | None) -> str | None:
    """The IRI of the one declaration --department and --year choose (as trace resolves them),
    or None when neither is given: the whole store."""
    return resolve(store, department, year).iri if department or year else None


_table_command("indicators", "One row per indicator: " + ", ".join(exporting.TABLES["indicators"]) + ".")
_table_command("funds", "Each amount once (万元), the appropriation a column beside it and part_of the amount it lies within: "
               + ", ".join(exporting.TABLES["funds"]) + ".")
_table_command("outcomes", "One row per outcome of a self-evaluation (met: true, false or unknown; target_indicator: "
                           "the declared indicator it reports on): " + ", ".join(exporting.TABLES["outcomes"]) + ".")


@export.command("graph")
@click.option("--format", "fmt", type=click.Choice(sorted(formats.GRAPH_FORMATS)), default="trig", show_default=True,
              help="trig and nquads keep one named graph per form; turtle, ntriples and rdfxml merge them.")
@click.option("--with-vocabulary", is_flag=True, help="Include the ontology and framework graphs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@declaration_options
@store_option
def export_graph(fmt, with_vocabulary, output, department, year, store_location):
    """The knowledge graph as RDF: every data graph, or one declaration's (its forms' graphs and
    its own) with --department/--year."""
    store = reading_store(store_location)
    declaration = chosen_declaration(store, department, year)
    graphs = store.declaration_graphs(declaration) if declaration else None
    write_output(store.dump(formats.GRAPH_FORMATS[fmt], include_vocabulary=with_vocabulary, graphs=graphs), output)


@main.command("validate")
@click.option("--format", "fmt", type=click.Choice(formats.names("validation")), default="text", show_default=True)
@click.option("--workers", type=int, default=None, metavar="N",
              help="Processes to validate declarations in (default: one per CPU when there are several declarations).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Where outcomes are remembered, so that only new or changed forms are validated "
                   "(default: $XDG_CACHE_HOME/goaltrace/validation).")
@click.option("--no-cache", is_flag=True, help="Validate every form, and remember nothing.")
@declaration_options
@store_option
def validate_command(fmt, workers, cache_dir, no_cache, department, year, store_location):
    """Check the forms against the SHACL rules in shapes/ and explain each finding in
    Chinese and English. Exit 0 when there is no violation, 1 when there is.

    Only forms not validated before (new, or changed since) are run through the shapes: the
    outcome of every other form is taken from the cache, keyed by its content and the rules.
    --department and --year validate one declaration (its self-evaluations with it).
    """
    from .validation import validate
    from .validation.cache import default_directory

    store = reading_store(store_location)
    declaration = chosen_declaration(store, department, year)
    try:
        cache = None if no_cache else (cache_dir or str(default_directory()))
        report = validate.validate(store, [declaration] if declaration else None,
                                   workers=workers or os.cpu_count() or 1, cache=cache)
    except validate.ValidationError as error:
        fail(str(error), 2)
    if cache and report.validated < report.forms:
        click.echo(said.validated_from_cache(report.validated, report.forms, cache), err=True)
    click.echo(formats.text("validation", fmt, report), nl=False)
    sys.exit(0 if report.conforms else 1)


@main.group("trace")
def trace_group():
    """Trace goals to the projects that serve them, with the basis of every link."""


@trace_group.command("goal")
@click.argument("number", type=int)
@declaration_options
@click.option("--format", "fmt", type=click.Choice(formats.names("goal")), default="text", show_default=True)
@store_option
def trace_goal(number, department, year, fmt, store_location):
    """Which projects contribute to goal NUMBER, and on what basis (declared, curated, suggested)?"""
    from .answers import trace

    store = reading_store(store_location)
    declaration = resolve(store, department, year)
    try:
        answer = trace.goal_projects(store, declaration, number)
    except trace.TraceError as error:
        fail(str(error), 2)
    click.echo(formats.text("goal", fmt, answer), nl=False)


@trace_group.command("indicators")
@declaration_options
@click.option("--format", "fmt", type=click.Choice(formats.names("links")), default="text", show_default=True)
@store_option
def trace_indicators(department, year, fmt, store_location):
    """Each department-wide indicator and the project indicators that deliver it, with the
    basis of every link (declared, curated, suggested with its evidence)."""
    from .answers import trace

    store = reading_store(store_location)
    click.echo(formats.text("links", fmt, trace.indicator_links(store, resolve(store, department, year))), nl=False)


@trace_group.command("outcomes")
@declaration_options
@click.option("--format", "fmt", type=click.Choice(formats.names("outcome-links")), default="text", show_default=True)
@store_option
def trace_outcomes(department, year, fmt, store_location):
    """The self-evaluations of a declaration against its targets: each outcome linked to the
    declared indicator of the same name, suggested links where the wording differs (with the
    terms shared), outcomes with no declared target, and declared targets with no outcome."""
    from .answers import outcomes

    store = reading_store(store_location)
    click.echo(formats.text("outcome-links", fmt, outcomes.review(store, resolve(store, department, year).iri)), nl=False)


@main.command("report")
@declaration_options
@click.option("--format", "fmt", type=click.Choice(formats.names("report")), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
@store_option
def report_command(department, year, fmt, output, store_location):
    """The traceability report of one department-year: a standalone HTML file (pictures
    inline, no network needed) or Markdown."""
    from .answers import report
    from .validation import validate

    store = reading_store(store_location)
    declaration = resolve(store, department, year)
    data = report.build(store, declaration, validate.validate(store, [declaration.iri]))
    text = formats.text("report", fmt, data)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(said.wrote(output))
    else:
        click.echo(text, nl=False)


@main.command("review")
@click.option("--out", "output", type=click.Path(dir_okay=False, writable=True), required=True, metavar="FILE.csv",
              help="Write the review file here (UTF-8 with a byte order mark, for Excel).")
@click.option("--all", "everything", is_flag=True, help="Every indicator row, not only those that need a look.")
@declaration_options
@store_option
def review_command(output, everything, department, year, store_location):
    """Write the indicator rows that need a person's look (with --all, every row) to a CSV file:
    the source file's SHA-256, the place, the row as published, the reading, and empty columns
    corrected_level1 … corrected_weight, reviewer and note. Fill in what is wrong (or write ok
    in note) and your name, then `goaltrace import FILE.csv`: the corrections apply for as long
    as the source file is unchanged."""
    from .answers import review

    store = reading_store(store_location)
    declaration = resolve(store, department, year).iri if department or year else None
    rows = review.queue(store, declaration, everything)
    body = formats.text("table", "csv", formats.Rows("review", list(review.COLUMNS), rows), bom=True)
    with open(output, "w", encoding="utf-8", newline="") as out:
        out.write(body)
    click.echo(said.wrote_rows(len(rows), everything, output))


@main.command("history")
@click.option("--format", "fmt", type=click.Choice(formats.names("history")), default="text", show_default=True)
@store_option
def history_command(fmt, store_location):
    """Every import into the store, newest first: when, by which goaltrace version, each file
    with its SHA-256 digest, and the declarations it added or replaced."""
    from .graph.history import imports

    click.echo(formats.text("history", fmt, imports(reading_store(store_location))), nl=False)


@main.command("backup")
@click.argument("target", type=click.Path(file_okay=False))
@store_option
def backup_command(target, store_location):
    """Write a consistent snapshot of the store to TARGET (a new directory), which
    `--store TARGET` opens: the exact data state, to cite and to share."""
    store = reading_store(store_location)
    try:
        store.backup(target)
    except StoreError as error:
        fail(str(error), 2)
    click.echo(said.wrote_snapshot(store.location, target))


@main.command("query")
@click.argument("query", metavar="QUERY-or-@file.rq-or-NAME", required=False)
@click.option("--format", "fmt", type=click.Choice(formats.names("results")), default="table", show_default=True,
              help="table: names a query takes back as they are (gt:Project, or <IRI> where a prefixed name cannot "
                   "hold the rest), fitted to the terminal; json, csv, tsv: full IRIs "
                   "(csv: a text cell a spreadsheet would run as a formula starts with ').")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries: name, title, description, inputs.")
@click.option("--input", "-i", "inputs", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query's input (repeatable); an IRI may use a prefix: declaration=id:….")
@store_option
def query_command(query, fmt, list_queries, inputs, store_location):
    """Run SPARQL over the union of all graphs: the text itself, @file.rq, or the name of a
    named query from data/queries (goaltrace query projects-per-goal). A single word is
    always taken as a name. The goaltrace prefixes (gt:, gtf:, id:, skos:, prov:, org:, qb:,
    rdfs:, xsd:, …) are predeclared. A mistake in the query is told in one line with its
    place: the unknown prefix, or what was expected there."""
    import shutil

    from .query.named import named_queries
    from .query.run import QueryError, named_call, parse_inputs, query_text, run_query

    # the terminal's width (COLUMNS wins); output to a pipe or a file is not cut
    columns = shutil.get_terminal_size(fallback=(0, 0)).columns or None
    if list_queries:
        if query:
            fail("--list takes no query", 2)
        click.echo(formats.text("query-list", fmt, list(named_queries().values()), columns=columns), nl=False)
        return
    if not query:
        fail("give a query: SPARQL text, @file.rq, or a named query's name (goaltrace query --list names them)", 2)
    try:
        text = query_text(query, parse_inputs(inputs))
        named = named_call(query, parse_inputs(inputs))
    except QueryError as error:
        fail(str(error), 2)
    store = reading_store(store_location)
    try:
        click.echo(run_query(store, text, fmt, columns, named), nl=False)
    except QueryError as error:
        fail(str(error), 2)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=None, type=click.IntRange(1), metavar="N",
              help="Request threads of the WSGI server. Default: twice --query-workers, plus 4.")
@click.option("--query-workers", default=4, show_default=True, type=click.IntRange(1),
              help="Processes that run /sparql queries; as many requests again may wait for them, and one more gets a 503.")
@click.option("--page-workers", default=2, show_default=True, type=click.IntRange(1),
              help="Processes that run the queries of pages and the JSON API, apart from /sparql's.")
@click.option("--query-timeout", default=10.0, show_default=True, type=float, help="Seconds before a query is stopped (408).")
@click.option("--query-memory", default=None, type=click.IntRange(16), metavar="MIB",
              help="MiB of memory each query worker may take for a query; past it the query is stopped (503) and "
                   "its worker replaced. Default: half the machine's memory shared among all the workers, "
                   "between 256 MiB and 4 GiB.")
@click.option("--row-limit", default=10_000, show_default=True, type=int, help="Rows (or triples) a result may hold before it is cut.")
@click.option("--idle-timeout", default=30, show_default=True, type=click.IntRange(1), metavar="SECONDS",
              help="Close a connection silent this long, or whose request has not arrived whole this long after it began.")
@click.option("--connection-limit", default=1000, show_default=True, type=click.IntRange(1),
              help="Connections held open at once; past it new ones wait until some close.")
@click.option("--result-cache", default=32, show_default=True, type=click.IntRange(0), metavar="MIB",
              help="MiB of answers each pool of query workers keeps until the store changes, so that a question asked "
                   "again is answered without running it (0: none; never for a remote store).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update from requests bearing the token in GOALTRACE_TOKEN.")
@store_option(missing="serves")
def serve(host, port, threads, query_workers, page_workers, query_timeout, query_memory, row_limit, idle_timeout,
          connection_limit, result_cache, allow_update, store_location):
    """Serve the web app and SPARQL endpoint on a production WSGI server (waitress).

    Read-only unless --allow-update; the write token is read from the GOALTRACE_TOKEN
    environment variable, never from the command line."""
    from .web.server import run

    token = os.environ.get("GOALTRACE_TOKEN")
    if allow_update and not token:
        fail("--allow-update needs a token: set GOALTRACE_TOKEN in the environment", 2)
    from .validation.cache import default_directory

    run(host=host, port=port, threads=threads, store_location=store_location, idle_timeout=idle_timeout,
        connection_limit=connection_limit,
        config={"QUERY_WORKERS": query_workers, "PAGE_WORKERS": page_workers, "QUERY_TIMEOUT": query_timeout,
                "QUERY_MEMORY": query_memory << 20 if query_memory else None, "ROW_LIMIT": row_limit,
                "RESULT_CACHE": result_cache << 20,
                "ALLOW_UPDATE": allow_update, "UPDATE_TOKEN": token if allow_update else None,
                "VALIDATION_CACHE": str(default_directory())})


if __name__ == "__main__":  # pragma: no cover
    main()
