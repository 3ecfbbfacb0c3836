"""An index of the browsable tables' rows in SQLite, kept beside the store and brought up to date by every write, so that facets, sort and search answer at any corpus size.

Each declaration's rows of each table (`goaltrace.answers.tables`) are read through the named
queries, as the pages read them, and written here with:

- a count of each value of each facet column per declaration (`counts`), and their sum over
  the corpus (`totals`, kept by adding and taking away a declaration's counts): facets under
  the filters that choose declarations (unit, year, place, and any column whose value a
  declaration fixes) add up counts, never rows;
- a search index of each row's text (SQLite FTS5, contentless), by pairs of characters, so that
  a search finds text inside a Chinese name (法律 in 法律援助服务人次), not only whole words;
- an index on each column a page may sort by.

Who keeps it: every path that writes a declaration's graphs (the importer, with corrections,
alignments, self-evaluations and concept mappings; `repair`; the web app's writes) calls
`update` with the declarations it wrote, after the store's commit, in the same process. The
index records the store's state it matches (`store-changed`: the latest import on record);
an index that does not match (a store imported before the index existed, or by a version
that kept none) is only rebuilt on request, by `goaltrace index` (`refresh`), which asks the
store what each declaration's rows are read from (`table-index-sources`) and reads again the
declarations whose sources changed, drops those gone, and leaves the rest.

How a store on disk is read (`DeclarationCopies`): ten declarations at a time, their graphs
and the layers about them (`table-index-scope`) copied into a store in memory beside the
vocabulary and the registry, and each table's named query asked of that copy. Asked of the
whole store, a query bound to one declaration still looks through every declaration's
statements wherever the engine cannot start a pattern from a bound value (an OPTIONAL on an
IRI made by BIND), so its cost grew with the corpus; asked of the copy it costs what the
ten hold, once for the ten.
"""

import hashlib
import json
import re
import sqlite3
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from ..forms.review import REASON_LABELS
from ..graph.iris import REGISTRY
from ..graph.namespaces import GT, ID
from ..graph.store import CONCEPTS_GRAPH, FRAMEWORK_GRAPH, ONTOLOGY_GRAPH
from . import tables
from .trace import DeclarationRef

SCHEMA = "4"
FILE = "tables.sqlite"
FOLDER = "goaltrace-index"  # inside the store's folder
NOT_SORTED = {"source_text", "iri", "form", "target_indicator", "annual_goal", "deviation_reason", "part_of",
              "amount_text", "kind_en", "division_code", "concept_basis"}  # long text, or the same as another column
_BATCH = 10  # declarations read together and written in one transaction (a copy of ten reads fastest: the
# BIND-ed OPTIONALs of `funds` and `indicators` still look through every declaration the copy holds)
_DECLARATION = re.compile("^" + re.escape(ID) + r"[^/]+/\d{4}(?=/|$)")  # a declaration's IRI, and its entities'
_CURATED_NAME = GT + "curatedName"
SHARED_GRAPHS = [ONTOLOGY_GRAPH, FRAMEWORK_GRAPH, CONCEPTS_GRAPH, REGISTRY]  # read with every declaration's rows


class SearchError(ValueError):
    """A search text with nothing to search for."""


class IndexTimeout(Exception):
    """A question of the index ran past its time limit."""


def grams(text: str) -> str:
    """The tokens a text is searched by: each run of letters and digits as its pairs of
    characters, then its last character (so that one character is found as a prefix)."""
    tokens = []
    for run in tables.search_runs(text):
        tokens += [run[i:i + 2] for i in range(len(run) - 1)]
        tokens.append(run[-1])
    return " ".join(tokens)


def match_expression(text: str) -> str:
    """A search text as an FTS5 query: each run of letters and digits must occur (a phrase of
    its pairs of characters; one character as a prefix)."""
    runs = tables.search_runs(text)
    if not runs:
        raise SearchError(f"q must hold a letter or a digit to search for, not {text!r}")
    return " AND ".join(f'"{run}" *' if len(run) == 1 else '"' + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"'
                        for run in runs)


def _name(column: str) -> str:
    return '"c_' + column.replace('"', "") + '"'


def _sort_name(column: str) -> str:
    return '"s_' + column.replace('"', "") + '"'


def _number(text: str):
    """A numeric column's sort key: the number, else the text (after every number), None
    where empty (before them all)."""
    if not text:
        return None
    number = tables.sort_number(text)
    return text if number is None else number


class TableIndex:
    """The index file at `path` (None: held in memory, for a store with no folder of its own)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._memory = None
        if path is None:  # one shared connection: a memory database lives and dies with it
            self._memory = sqlite3.connect(":memory:", check_same_thread=False)
            self._memory_lock = threading.Lock()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            self._start_afresh_if_older(db)
            db.executescript(
                "create table if not exists meta (key text primary key, value text);"
                "insert or ignore into meta values ('schema', '" + SCHEMA + "');"
                # a declaration's IRI once; rows, counts and sources name it by its number
                "create table if not exists declarations (id integer primary key, iri text unique);"
                "create table if not exists sources (tbl text, declaration integer, digest text, primary key (tbl, declaration));"
                "create table if not exists counts (tbl text, declaration integer, col text, value text, n integer);"
                "create index if not exists counts_by_declaration on counts (tbl, declaration);"
                "create index if not exists counts_by_value on counts (tbl, col, value);"
                "create table if not exists totals (tbl text, col text, value text, n integer, primary key (tbl, col, value))"
                " without rowid;")

    @staticmethod
    def _start_afresh_if_older(db: sqlite3.Connection):
        """An index kept in another layout (an older version's) is dropped whole, to be built again."""
        try:
            found = db.execute("select value from meta where key = 'schema'").fetchone()
        except sqlite3.OperationalError:  # a new file
            return
        if found and found[0] == SCHEMA:
            return
        listed = "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite%'"
        for name, sql in db.execute(listed).fetchall():  # search tables first: their own tables go with them
            if (sql or "").upper().startswith("CREATE VIRTUAL"):
                db.execute(f'drop table if exists "{name}"')
        for name, _ in db.execute(listed).fetchall():
            db.execute(f'drop table if exists "{name}"')

    @classmethod
    def of(cls, store) -> "TableIndex | None":
        """The index kept in the folder of a store on disk (None for a store in memory or on a server)."""
        return cls(store.path / FOLDER / FILE) if store.path is not None else None

    def _connection(self) -> sqlite3.Connection:
        if self._memory is not None:
            return self._memory
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return db

    # ---- what is indexed

    def columns(self, table: str) -> list[str]:
        """The columns a table's rows are kept with: the table's own, and the unit's place."""
        return tables.indexed_columns(tables.TABLES[table])

    def _layout(self, table: str) -> str:
        return json.dumps([SCHEMA, self.columns(table)])

    def _meta(self, key: str) -> str | None:
        with self._lock():
            row = self._connection().execute("select value from meta where key = ?", (key,)).fetchone()
        return row[0] if row else None

    def ready(self, table: str) -> bool:
        """Whether the table's rows were all indexed, in the layout this version keeps."""
        return self._meta(f"ready {table}") == self._layout(table)

    def matches(self, stamp: str) -> bool:
        """Whether the index holds every indexed table's rows of the store in the state `stamp`
        names (`store_stamp`)."""
        return self._meta("store") == stamp and all(self.ready(t) for t in tables.INDEXED)

    def size(self) -> int:
        """The bytes the index takes on disk (0 in memory)."""
        if self.path is None:
            return 0
        return sum(f.stat().st_size for f in self.path.parent.glob(self.path.name + "*"))

    def _lock(self):
        return self._memory_lock if self._memory is not None else _NoLock()

    def _create(self, db: sqlite3.Connection, table: str):
        """The table's rows table, search table and indexes, made afresh where its columns changed."""
        found = db.execute("select value from meta where key = ?", (f"layout {table}",)).fetchone()
        if found and found[0] == self._layout(table):
            return
        columns = self.columns(table)
        db.execute(f'drop table if exists "rows_{table}"')
        db.execute(f'drop table if exists "search_{table}"')
        for kept in ("sources", "counts", "totals"):
            db.execute(f"delete from {kept} where tbl = ?", (table,))
        db.execute("delete from meta where key in (?, ?)", (f"ready {table}", "store"))
        sorted_ = [c for c in columns if c in tables.NUMERIC]
        db.execute(f'create table "rows_{table}" (id integer primary key, declaration integer, ordinal integer, '
                   + ", ".join([*(_name(c) for c in columns), *(_sort_name(c) for c in sorted_)]) + ")")
        # contentless: the pairs of characters are worked out again from the row to take it away
        db.execute(f'create virtual table "search_{table}" using fts5(grams, content=\'\', columnsize=0)')
        db.execute(f'create index "rows_{table}_declaration" on "rows_{table}" (declaration, ordinal)')
        order = [_name(c) for c in ("department", "year") if c in columns]
        db.execute(f'create index "rows_{table}_order" on "rows_{table}" ({", ".join([*order, "declaration", "ordinal"])})')
        for c in columns:
            if c not in NOT_SORTED and c not in ("department", "year"):
                db.execute(f'create index "rows_{table}_{c}" on "rows_{table}" '
                           f'({_sort_name(c) if c in tables.NUMERIC else _name(c)})')
        db.execute("insert or replace into meta values (?, ?)", (f"layout {table}", self._layout(table)))

    # ---- keeping it right

    def refresh(self, reader, declarations: list[DeclarationRef], places: dict[str, dict[str, str]], page: int,
                stamp: str | None = None, progress=None, scope=None) -> int:
        """Bring the index up to date with the store `reader` reads: each declaration whose
        sources changed read again, each one gone dropped; then mark it as matching `stamp`.
        How many were read again. `scope`, where given, reads the rows (`DeclarationCopies`),
        else `reader` reads them a declaration at a time."""
        reading = scope or EachDeclaration(reader, page)
        sources = source_digests(reader, declarations, progress)
        known = {d.iri: d for d in declarations}
        stale, gone = {}, {}
        with self._write_lock:
            self._prepare()
            for table in tables.INDEXED:
                with self._lock():
                    held = dict(self._connection().execute(
                        "select d.iri, s.digest from sources as s join declarations as d on d.id = s.declaration "
                        "where s.tbl = ?", (table,)).fetchall())
                stale[table] = [d for iri, d in known.items() if held.get(iri) != sources.get(iri, "")]
                gone[table] = [iri for iri in held if iri not in known]
            self._rewrite(reading, stale, gone, places, sources, progress)
            self._finish(stamp)
        return len({d.iri for found in stale.values() for d in found})

    def update(self, reader, written: list[str], page: int, stamp: str | None = None, scope=None) -> int:
        """The rows of exactly the declarations `written` names read again (or dropped, where
        one is gone), then the index marked as matching `stamp`. How many were read. `scope` as
        for `refresh`."""
        reading = scope or EachDeclaration(reader, page)
        found = {}
        for iri in dict.fromkeys(written):
            rows = reader.run("declaration-catalogue", {"d": ox.NamedNode(iri)})
            if rows:
                found[iri] = (DeclarationRef(iri, rows[0]["name"].value, int(rows[0]["year"].value)),
                              {c: rows[0][c].value for c in tables.exporting.PLACE})
        sources = source_digests(reader, [d for d, _ in found.values()])
        places = {iri: place for iri, (_, place) in found.items()}
        with self._write_lock:
            self._prepare()
            self._rewrite(reading, dict.fromkeys(tables.INDEXED, [d for d, _ in found.values()]),
                          dict.fromkeys(tables.INDEXED, [iri for iri in written if iri not in found]), places, sources)
            self._finish(stamp)
        return len(found)

    def _prepare(self):
        with self._lock():
            db = self._connection()
            for table in tables.INDEXED:
                self._create(db, table)
            db.commit()

    def _finish(self, stamp: str | None):
        """Every table marked as whole, the planner's statistics renewed where they are out of
        date, and the store's state recorded (`stamp`)."""
        with self._lock():
            db = self._connection()
            db.executemany("insert or replace into meta values (?, ?)",
                           [(f"ready {table}", self._layout(table)) for table in tables.INDEXED])
            if stamp is not None:
                db.execute("insert or replace into meta values ('store', ?)", (stamp,))
            db.commit()
            db.execute("PRAGMA optimize")
            if self._memory is None:  # the write-ahead log folded into the file, and emptied
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _rewrite(self, reading, stale: dict[str, list[DeclarationRef]], gone: dict[str, list[str]],
                 places: dict[str, dict[str, str]], sources: dict[str, str], progress=None):
        """Each stale declaration's rows (`stale`: by table) read and written in place of what
        it had, each gone one's (`gone`) taken away, `_BATCH` declarations a transaction, their
        rows of every table read together (`reading.rows`)."""
        db = self._connection()
        with self._lock():
            for table, iris in gone.items():
                for iri in iris:
                    self._drop(db, table, iri)
            db.commit()
        every = list({d.iri: d for found in stale.values() for d in found}.values())
        for start in range(0, len(every), _BATCH):
            batch = every[start:start + _BATCH]
            for table in tables.INDEXED:
                wanted = {d.iri for d in stale.get(table, ())}
                chosen = [d for d in batch if d.iri in wanted]
                found = reading.rows(table, chosen, places) if chosen else {}
                with self._lock():
                    for d in chosen:
                        self._drop(db, table, d.iri)
                        self._write(db, table, d.iri, [{**tables.place_of(places.get(d.iri)), **row} for row in found[d.iri]],
                                    sources.get(d.iri, ""))
                    db.commit()
            if progress:
                progress("rows", start + len(batch), len(every))

    @staticmethod
    def _number_of(db: sqlite3.Connection, iri: str, add: bool = False) -> int | None:
        """A declaration's number in the index (given one first where `add`)."""
        if add:
            db.execute("insert or ignore into declarations (iri) values (?)", (iri,))
        found = db.execute("select id from declarations where iri = ?", (iri,)).fetchone()
        return found[0] if found else None

    def _drop(self, db: sqlite3.Connection, table: str, iri: str):
        declaration = self._number_of(db, iri)
        if declaration is None:
            return
        columns = self.columns(table)
        searched = [c for c in columns if c not in tables.NOT_SEARCHED]
        held = db.execute(f'select id, {", ".join(_name(c) for c in searched)} from "rows_{table}" '
                          "where declaration = ?", (declaration,)).fetchall()
        db.executemany(f'insert into "search_{table}" ("search_{table}", rowid, grams) values (\'delete\', ?, ?)',
                       [(row[0], grams(" ".join(cell or "" for cell in row[1:]))) for row in held])
        db.execute(f'delete from "rows_{table}" where declaration = ?', (declaration,))
        counted = db.execute("select col, value, n from counts where tbl = ? and declaration = ?",
                             (table, declaration)).fetchall()
        self._add_totals(db, table, [(c, v, -n) for c, v, n in counted])
        db.execute("delete from counts where tbl = ? and declaration = ?", (table, declaration))
        db.execute("delete from sources where tbl = ? and declaration = ?", (table, declaration))

    def _write(self, db: sqlite3.Connection, table: str, iri: str, rows: list[dict[str, str]], digest: str):
        declaration = self._number_of(db, iri, add=True)
        columns = self.columns(table)
        numeric = [c for c in columns if c in tables.NUMERIC]
        names = ", ".join(["declaration", "ordinal", *(_name(c) for c in columns), *(_sort_name(c) for c in numeric)])
        marks = ", ".join("?" * (2 + len(columns) + len(numeric)))
        searched = [c for c in columns if c not in tables.NOT_SEARCHED]
        tally: Counter = Counter()
        for ordinal, row in enumerate(rows):
            cells = [row.get(c, "") for c in columns]
            cursor = db.execute(f'insert into "rows_{table}" ({names}) values ({marks})',
                                [declaration, ordinal, *cells, *(_number(row.get(c, "")) for c in numeric)])
            db.execute(f'insert into "search_{table}" (rowid, grams) values (?, ?)',
                       (cursor.lastrowid, grams(" ".join(row.get(c, "") for c in searched))))
            tally.update((c, v) for c in tables.TABLES[table].counted(columns) for v in tables.values_of(c, row.get(c, "")))
        tally[("", "")] = len(rows)  # the row count
        counted = [(c, v, n) for (c, v), n in tally.items()]
        db.executemany("insert into counts values (?, ?, ?, ?, ?)", [(table, declaration, *entry) for entry in counted])
        self._add_totals(db, table, counted)
        db.execute("insert into sources values (?, ?, ?)", (table, declaration, digest))

    @staticmethod
    def _add_totals(db: sqlite3.Connection, table: str, counted: list[tuple[str, str, int]]):
        """The corpus's counts changed by a declaration's (taken away where negative)."""
        db.executemany("insert into totals values (?, ?, ?, ?) on conflict (tbl, col, value) do update set n = n + excluded.n",
                       [(table, *entry) for entry in counted])
        db.execute("delete from totals where tbl = ? and n = 0 and col != ''", (table,))

    # ---- answering

    def rows(self, table: str, filters: dict[str, str], q: str, sort: str, limit: int, offset: int,
             seconds: float, partial: frozenset = frozenset(),
             count_seconds: float | None = None) -> tuple[list[dict[str, str]], int | None]:
        """A page of the rows the filters and the search keep, in the order `sort` asks
        (`COLUMN` or `-COLUMN`; '' the table's own: unit, year, then form order), and how many
        rows are kept in all (None where counting them ran past `count_seconds`, by default the
        time limit of the rows). A column in
        `partial` keeps the rows whose cell holds its filter's text."""
        columns = self.columns(table)
        where, parameters = self._where(table, filters, q, partial)
        order = [_name(c) for c in ("department", "year") if c in columns] + ["declaration", "ordinal"]
        if sort:
            column = sort.lstrip("-")
            key = _sort_name(column) if column in tables.NUMERIC else _name(column)
            order.insert(0, key + (" desc" if sort.startswith("-") else ""))
        sql = (f'select {", ".join(_name(c) for c in columns)} from "rows_{table}" {where} '
               f'order by {", ".join(order)} limit ? offset ?')
        with self._lock():
            found = self._timed(seconds, lambda db: db.execute(sql, [*parameters, limit, offset]).fetchall())
            total = self._count(table, filters, q or partial, where, parameters,
                                seconds if count_seconds is None else count_seconds)
        return [dict(zip(columns, row)) for row in found], total

    def _count(self, table, filters, read, where, parameters, seconds) -> int | None:
        if not read and set(filters) <= set(tables.DECLARATION_COLUMNS):
            counted = self._summed(table, [""], filters)
            return counted.get("", Counter()).get("", 0)
        try:
            return self._timed(seconds, lambda db: db.execute(f'select count(*) from "rows_{table}" {where}',
                                                              parameters).fetchone()[0])
        except IndexTimeout:
            return None

    def facets(self, table: str, columns: list[str], filters: dict[str, str], q: str,
               seconds: float, partial: frozenset = frozenset()) -> dict[str, Counter | None]:
        """How many of the kept rows hold each value of each column (None for a column whose
        counting ran past the time limit). Under filters that choose declarations alone, the
        per-declaration counts are summed; otherwise the kept rows are counted, each column
        in the time left."""
        counted = tables.TABLES[table].counted(self.columns(table))
        summed = [c for c in columns if c in counted]
        found: dict[str, Counter | None] = {}
        with self._lock():
            if not q and not partial and set(filters) <= set(tables.DECLARATION_COLUMNS) and summed:
                found.update(self._summed(table, summed, filters))
                found.update({c: found.get(c, Counter()) for c in summed})
            rest = [c for c in columns if c not in found]
            if rest:
                found.update(self._counted(table, rest, filters, q, partial, seconds))
        return found

    def _counted(self, table: str, columns: list[str], filters: dict[str, str], q: str, partial: frozenset,
                 seconds: float) -> dict[str, Counter | None]:
        """The values of `columns` in the kept rows, counted in one pass over them (each None
        where the pass ran past `seconds`)."""
        deadline = time.monotonic() + seconds
        where, parameters = self._where(table, filters, q, partial)
        sql = f'select {", ".join(_name(c) for c in columns)} from "rows_{table}" {where}'
        tallies = [Counter() for _ in columns]
        try:
            cursor = self._timed(seconds, lambda db: db.execute(sql, parameters))
            while True:
                chunk = self._timed(deadline - time.monotonic(), lambda db: cursor.fetchmany(5000))
                if not chunk:
                    break
                for tally, column, cells in zip(tallies, columns, zip(*chunk)):
                    tally.update(cells if column not in tables.MULTIPLE
                                 else (v for cell in cells for v in tables.values_of(column, cell or "")))
                if time.monotonic() > deadline:
                    raise IndexTimeout(f"past {seconds:.1f} s")
        except IndexTimeout:
            return dict.fromkeys(columns)
        return {c: Counter({k or "": n for k, n in tally.items()}) for c, tally in zip(columns, tallies)}

    def amount(self, table: str, filters: dict[str, str], q: str, seconds: float,
               partial: frozenset = frozenset()) -> Decimal | None:
        """The sum of the amounts the filters and the search keep, each counted once (a row that
        is a part of a kept row is in its amount already: `exporting.total`); None where
        adding them up ran past `seconds`. Under filters that choose whole declarations, the
        rows that are no part of another are those kept."""
        where, parameters = self._where(table, filters, q, partial)
        whole = not q and not partial and set(filters) <= set(tables.DECLARATION_COLUMNS)
        part_of, kept = _name("part_of"), f'select {_name("iri")} from "rows_{table}" {where}'
        alone = f"{part_of} = ''" if whole else f"({part_of} = '' or {part_of} not in ({kept}))"
        sql = (f'select {_name("amount")} from "rows_{table}" {where} {"and" if where else "where"} {alone}')
        try:
            with self._lock():
                found = self._timed(seconds, lambda db: db.execute(sql, parameters * (1 if whole else 2)).fetchall())
        except IndexTimeout:
            return None
        return sum((Decimal(a) for a, in found if a), Decimal(0))

    def amount_totals(self, table: str, wanted: dict[str, list[str]], filters: dict[str, str], q: str,
                      seconds: float, partial: frozenset = frozenset()) -> dict[str, dict[str, Decimal]]:
        """For each column of `wanted`, the total of the kept rows holding each of its values,
        each amount once (`exporting.total` of that value's rows), read in one pass over the kept
        rows; {} where the pass ran past `seconds`."""
        columns = list(wanted)
        where, parameters = self._where(table, filters, q, partial)
        sql = (f'select {", ".join(_name(c) for c in ["amount", "part_of", "iri", *columns])} '
               f'from "rows_{table}" {where}')
        try:
            with self._lock():
                found = self._timed(seconds, lambda db: db.execute(sql, parameters).fetchall())
        except IndexTimeout:
            return {}
        groups: dict[tuple[str, str], list] = {(c, v): [] for c in columns for v in wanted[c]}
        for row in found:  # each row into the groups of the listed values it holds
            for column, cell in zip(columns, row[3:]):
                if (column, cell) in groups:
                    groups[(column, cell)].append(row)
        totals: dict[str, dict[str, Decimal]] = {}
        for (column, value), rows in groups.items():
            held = {r[2] for r in rows}
            totals.setdefault(column, {})[value] = sum((Decimal(r[0]) for r in rows if r[0] and r[1] not in held),
                                                       Decimal(0))
        return totals

    def declarations(self, table: str, filters: dict[str, str]) -> int:
        """How many declarations the filters (on columns a declaration fixes) choose."""
        db = self._connection()
        with self._lock():
            if not filters:
                return db.execute("select count(*) from sources where tbl = ?", (table,)).fetchone()[0]
            chosen, parameters = self._chosen(table, filters)
            return db.execute(f"select count(*) from ({chosen})", parameters).fetchone()[0]

    @staticmethod
    def _chosen(table: str, filters: dict[str, str]) -> tuple[str, list]:
        """The declarations whose rows hold every filter's value, as SQL and its parameters."""
        chosen = " intersect ".join("select declaration from counts where tbl = ? and col = ? and value = ?"
                                    for _ in filters)
        return chosen, [p for c, v in filters.items() for p in (table, c, v)]

    def _summed(self, table: str, columns: list[str], filters: dict[str, str]) -> dict[str, Counter]:
        """Counts of `columns` over the declarations the filters choose, from the counts."""
        db = self._connection()
        marks = ", ".join("?" * len(columns))
        if not filters:
            rows = db.execute(f"select col, value, n from totals where tbl = ? and col in ({marks})",
                              [table, *columns]).fetchall()
        else:
            chosen, chosen_parameters = self._chosen(table, filters)
            # the chosen declarations first, then each one's counts (cross join: SQLite keeps that order)
            rows = db.execute(f"select c.col, c.value, sum(c.n) from ({chosen}) as d cross join counts as c "
                              f"on c.tbl = ? and c.declaration = d.declaration where c.col in ({marks}) "
                              "group by c.col, c.value", [*chosen_parameters, table, *columns]).fetchall()
        found: dict[str, Counter] = {}
        for column, value, n in rows:
            found.setdefault(column, Counter())[value] = n
        return found

    def _where(self, table: str, filters: dict[str, str], q: str, partial: frozenset = frozenset()) -> tuple[str, list]:
        parts, parameters = [], []
        for column, value in filters.items():
            if column in partial:
                parts.append(f"instr({_name(column)}, ?) > 0")
                parameters.append(value)
            elif column in tables.MULTIPLE and value in ("yes", "no"):
                parts.append(f"{_name(column)} {'!=' if value == 'yes' else '='} ''")
            elif column in tables.MULTIPLE:
                parts.append(f"(instr('; ' || {_name(column)} || '; ', ?) > 0 or instr('; ' || {_name(column)} || '; ', ?) > 0)")
                parameters += [f"; {value}; ", f"; {REASON_LABELS.get(value, value)}; "]
            else:
                parts.append(f"{_name(column)} = ?")
                parameters.append(value)
        if q:
            parts.append(f'id in (select rowid from "search_{table}" where "search_{table}" match ?)')
            parameters.append(match_expression(q))
        return ("where " + " and ".join(parts)) if parts else "", parameters

    def _timed(self, seconds: float, ask):
        """`ask(db)`, stopped when it runs past `seconds`."""
        db = self._connection()
        deadline = time.monotonic() + max(seconds, 0.0)
        db.set_progress_handler(lambda: time.monotonic() > deadline, 2000)
        try:
            return ask(db)
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise IndexTimeout(f"past {seconds:.1f} s") from None
            raise
        finally:
            db.set_progress_handler(None, 0)


class EachDeclaration:
    """Rows read a declaration at a time through one reader (the web app's query workers, or a
    store in memory), `page` rows a query."""

    def __init__(self, reader, page: int):
        self.reader, self.page = reader, page

    def rows(self, table: str, batch: list[DeclarationRef], places: dict[str, dict[str, str]]) -> dict[str, list]:
        return {d.iri: tables.declaration_rows(self.reader, table, d, places.get(d.iri), self.page) for d in batch}


class DeclarationCopies:
    """Rows of a store on disk read from a copy in memory of a batch of declarations' graphs
    (`table-index-scope`: their own, and the layers about them) beside the vocabulary and the
    registry: each pattern then looks through the batch's statements, not the whole store's,
    and the indicators and amounts of the whole batch (`_BATCH`) are asked in one query each."""

    def __init__(self, store):
        self.store = store
        self.scratch = store.scratch(SHARED_GRAPHS)
        self.owner: dict[str, str] = {}  # each graph of the batch held → the (first) declaration it is read for

    def _hold(self, batch: list[DeclarationRef]):
        graphs: dict[str, str] = {}
        for d in batch:
            for row in self.store.run("table-index-scope", {"declaration": ox.NamedNode(d.iri)}):
                graphs.setdefault(row["g"].value, d.iri)
        self.scratch.hold(list(graphs))
        self.owner = graphs

    def rows(self, table: str, batch: list[DeclarationRef], places: dict[str, dict[str, str]]) -> dict[str, list]:
        if not {d.iri for d in batch} <= set(self.owner.values()):
            self._hold(batch)
        if table not in ("indicators", "funds"):
            return {d.iri: tables.declaration_rows(self.scratch, table, d, places.get(d.iri), 100_000) for d in batch}
        found: dict[str, list] = {d.iri: [] for d in batch}
        for row in tables.exporting.rows(self.scratch, table):  # every declaration the copy holds, at once
            declaration = self.owner.get(row["form"])
            if declaration in found:
                found[declaration].append(row)
        return found


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def source_digests(reader, declarations: list[DeclarationRef], progress=None) -> dict[str, str]:
    """Each declaration's sources (`table-index-sources`) as one digest, asked a declaration
    at a time (each question bound to one declaration costs the same at any corpus size)."""
    found: dict[str, str] = {}
    for n, declaration in enumerate(declarations, 1):
        rows = reader.run("table-index-sources", {"declaration": ox.NamedNode(declaration.iri)})
        parts = sorted(row["part"].value for row in rows if "part" in row)
        found[declaration.iri] = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
        if progress and (n % 100 == 0 or n == len(declarations)):
            progress("sources", n, len(declarations))
    return found


def store_stamp(reader) -> str:
    """The state of a store as the index records it: when its latest import ended, and how
    many it has seen (`store-changed`)."""
    rows = reader.run("store-changed")
    row = rows[0] if rows else {}
    return f"{row['changed'].value if 'changed' in row else ''} {row['imports'].value if 'imports' in row else 0}"


def declarations_in(quads) -> set[str]:
    """The declarations whose entities a set of quads names (their IRIs begin with the
    declaration's: a project, an indicator, a self-evaluation of the unit and year)."""
    found = set()
    for quad in quads:
        for term in (quad.subject, quad.object, quad.graph_name):
            match = _DECLARATION.match(term.value) if isinstance(term, ox.NamedNode) else None
            if match:
                found.add(match.group(0))
    return found


def curated_names(quads) -> set[str]:
    """The indicator names a concept mapping's quads curate."""
    return {q.object.value for q in quads if q.predicate.value == _CURATED_NAME}


class Keeper:
    """The table index of a store on disk as a write path keeps it: opened before the write
    (noting whether it matched the store then), given the declarations written after it."""

    def __init__(self, store):
        self.store = store
        self.index = TableIndex.of(store) if not store.remote else None
        self.matched = False
        if self.index is not None:
            stamp = store_stamp(store)
            self.matched = self.index.matches(stamp) or (self.index._meta("store") is None and not store.declarations())

    def written(self, declarations: set[str], names: set[str] = frozenset()) -> str:
        """After the store's commit: the rows of `declarations`, and of every declaration with
        an indicator named in `names` (a concept mapping), read again. What was done, in words."""
        if self.index is None:
            return ""
        if not self.matched:
            return (f"the table index in {self.index.path.parent} does not match this store: "
                    f"run `goaltrace index --store {self.store.location}`")
        for name in names:
            declarations |= {r["declaration"].value for r in self.store.run("declarations-naming",
                                                                            {"name": ox.Literal(name)})}
        self.index.update(self.store, sorted(declarations), page=100_000, stamp=store_stamp(self.store),
                          scope=DeclarationCopies(self.store))
        return ""


def rebuild(store, progress=None) -> tuple[int, int]:
    """Bring the index of a store on disk up to date with it, whatever it was before (absent,
    stale, or of an older layout): how many declarations' rows were read again, of how many."""
    index = TableIndex.of(store)
    if index is None:
        raise ValueError(f"{store.location}: the table index is kept in a store's folder; this store has none")
    stamp = store_stamp(store)
    declarations, places = [], {}
    for row in store.run("declaration-catalogue"):
        declarations.append(DeclarationRef(row["d"].value, row["name"].value, int(row["year"].value)))
        places[row["d"].value] = {c: row[c].value for c in tables.exporting.PLACE}
    read = index.refresh(store, declarations, places, page=100_000, stamp=stamp, progress=progress,
                         scope=DeclarationCopies(store))
    return read, len(declarations)
