"""The table index's own questions at a corpus size no store on this machine reached: the index
of a real store copied under new unit names until it holds as many declarations as asked, then
each question the table pages put to it timed (the index's SQL alone, not the pages over HTTP).

    .venv/bin/python bench/index_scale.py --source /tmp/webscale/store-200 --copies 50 --out /tmp/index-10000

The source store's index must be up to date (`goaltrace index --store DIR`). Each copy's units
are named `NAME（副本K）`; every row, count and search entry is written as an import writes it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from goaltrace.answers import tables
from goaltrace.answers.table_index import FILE, FOLDER, TableIndex

QUESTIONS = [  # (label, table, filters, q, sort)
    ("first page of all", "indicators", {}, "", ""),
    ("one department", "indicators", {"department": "秀山土家族苗族自治县司法局"}, "", ""),
    ("a row facet across all", "indicators", {"level1": "满意度指标"}, "", ""),
    ("sorted by value, descending", "indicators", {}, "", "-value"),
    ("search inside names", "indicators", {}, "援助", ""),
    ("search, facet, sort", "indicators", {"level1": "产出指标"}, "援助", "-weight"),
    ("a year", "indicators", {"year": "2021"}, "", ""),
    ("funds sorted by amount", "funds", {}, "", "-amount"),
    ("projects, search", "projects", {}, "法律", ""),
]
FACET_SECONDS = 0.2  # as the pages allow facets (goaltrace.web.tables)


def copy(source: TableIndex, target: TableIndex, copies: int) -> int:
    """Write each declaration of `source` `copies` times into `target`, under new names."""
    db = source._connection()
    written = 0
    target._prepare()
    out = target._connection()
    for table in tables.INDEXED:
        columns = source.columns(table)
        names = ", ".join(f'"c_{c}"' for c in columns)
        held = db.execute(f'select d.iri, {names} from "rows_{table}" as r join declarations as d '
                          "on d.id = r.declaration order by r.declaration, r.ordinal").fetchall()
        by_declaration: dict[str, list[dict[str, str]]] = {}
        for iri, *cells in held:
            by_declaration.setdefault(iri, []).append(dict(zip(columns, cells)))
        for iri in [r[0] for r in db.execute("select iri from declarations")]:
            by_declaration.setdefault(iri, [])
        for k in range(copies):
            for iri, rows in by_declaration.items():
                renamed = [{**row, "department": f"{row['department']}（副本{k}）" if k else row["department"]}
                           for row in rows]
                target._drop(out, table, f"{iri}#{k}")
                target._write(out, table, f"{iri}#{k}", renamed, "")
            out.commit()
            written = max(written, len(by_declaration) * (k + 1))
            print(f"{table}: {len(by_declaration) * (k + 1)} declarations written", file=sys.stderr)
    target._finish(None)
    return written


def timed(index: TableIndex, repeat: int) -> list[tuple[str, float, float]]:
    """Each question's rows (a page of 50) and facets, median of `repeat` runs, in ms."""
    found = []
    for label, table, filters, q, sort in QUESTIONS:
        facets = [c for c in tables.TABLES[table].counted(index.columns(table)) if c not in filters]
        rows_ms, facet_ms = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            index.rows(table, filters, q, sort, 51, 0, 10.0, count_seconds=FACET_SECONDS)
            middle = time.perf_counter()
            index.facets(table, facets, filters, q, FACET_SECONDS)
            if table == "funds":
                index.amount(table, filters, q, FACET_SECONDS)
            rows_ms.append((middle - started) * 1000)
            facet_ms.append((time.perf_counter() - middle) * 1000)
        found.append((label, statistics.median(rows_ms), statistics.median(facet_ms)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="a store folder whose table index is up to date")
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True, help="a folder for the copied index")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = TableIndex(args.source / FOLDER / FILE)
    target_path = args.out / FILE
    fresh = not target_path.exists()
    target = TableIndex(target_path)
    started = time.perf_counter()
    written = copy(source, target, args.copies) if fresh else None
    built = time.perf_counter() - started
    print(f"index of {written or 'the kept'} declarations"
          + (f" written in {built:.0f} s" if written else "") + f"; {target.size() / 1e6:,.0f} MB on disk")
    print()
    print("| question | page of rows | facets (and the funds' total) |")
    print("|---|---:|---:|")
    for label, rows_ms, facet_ms in timed(target, args.repeat):
        print(f"| {label} | {rows_ms:,.0f} ms | {facet_ms:,.0f} ms |")


if __name__ == "__main__":
    main()
