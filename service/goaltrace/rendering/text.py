"""Answers as plain text for the terminal."""

import unicodedata

import pyoxigraph as ox

from ..domain.achievement import MET_WORD
from . import ACHIEVEMENT_LABEL, BASIS_LABEL, target_label


def goal_answer(answer: dict) -> str:
    goal = answer["goal"]
    d = answer["declaration"]
    lines = [f"{d['department']} {d['year']} — 目标{goal['number']} Goal {goal['number']}", f"  {goal['text']}", ""]
    for p in answer["projects"]:
        funds = f"{p['funds']} 万元" if p["funds"] is not None else "—"
        shared = f" · 共享 shared by goals {', '.join(map(str, p['goals']))}" if p["shared"] else ""
        lines.append(f"[{BASIS_LABEL[p['basis']]}] {p['name']} · {funds}{shared}")
        lines.append(f"    {p['justification']}")
        if p["justification_en"]:
            lines.append(f"    {p['justification_en']}")
        for i in p["indicators"]:
            delivers = f"  → {'、'.join(i['delivers'])}" if i["delivers"] else ""
            outcome = i.get("outcome")
            done = f"  [实际 actual {outcome['actual']} · {ACHIEVEMENT_LABEL[outcome['met']]}]" if outcome else ""
            lines.append(f"      - {i['level1']}/{i['level2']} {i['name']} {target_label(i)}{done}{delivers}")
        lines.append("")
    if answer.get("achievement"):
        a = answer["achievement"]
        share = "" if a["met_percent"] is None else f" ({a['met_percent']:g}% of judged targets met)"
        lines.append(f"完成情况 Outcomes: {a['met']} met, {a['missed']} missed, {a['unknown']} unknown{share}")
    f = answer["funds"]
    lines.append(f"资金 Funds (declared + curated): {f['exclusive']} 万元 for this goal only, {f['shared']} 万元 in projects shared with other goals; suggested projects not counted")
    return "\n".join(lines) + "\n"


def indicator_links(links: list[dict]) -> str:
    """Each department-wide indicator with the project indicators that deliver it."""
    lines = []
    for d in links:
        lines.append(f"{d['name']} {d['target']}")
        if not d["delivered_by"]:
            lines.append("    — no project indicator delivers it")
        for p in d["delivered_by"]:
            lines.append(f"    [{BASIS_LABEL[p['basis']]}] {p['project']} · {p['name']} {p['target']} — {p['justification']}")
    return "\n".join(lines) + ("\n" if lines else "")


def import_history(imports: list[dict]) -> str:
    """Imports newest first, each with its files and what it changed."""
    if not imports:
        return "no import on record\n"
    lines = []
    for item in imports:
        lines.append(f"{item['ended']}  {item['import']}  (goaltrace {item['version']})")
        for f in item["files"]:
            lines.append(f"    sha256:{f['sha256']}  {', '.join(f['names'])}")
        for key, label in (("added", "added"), ("replaced", "replaced"), ("alignments", "alignment"),
                           ("corrections", "review file")):
            lines += [f"    {label}: {iri}" for iri in item[key]]
    return "\n".join(lines) + "\n"


def outcome_review(evaluations: list[dict]) -> str:
    """Each self-evaluation's outcomes against the declared targets."""
    if not evaluations:
        return "no self-evaluation reports on this declaration\n"
    lines = []
    for e in evaluations:
        lines.append(f"{e['evaluation']}  ({e['project'] or '部门整体 department-wide'})")
        lines += [f"    [申报 linked] {r['indicator']} → {r['declared']} · {ACHIEVEMENT_LABEL[MET_WORD[r['met']]] if r['met'] in MET_WORD else r['met']}" for r in e["linked"]]
        lines += [f"    [建议 suggested] {r['indicator']} → {r['declared_name']} (shares {'、'.join(r['evidence'])})" for r in e["suggested"]]
        lines += [f"    [无申报指标 no declared target] {r['indicator']}" for r in e["without_target"]]
        lines += [f"    [无完成情况 no outcome] {r['indicator']} ({r['declared']})" for r in e["without_outcome"]]
    return "\n".join(lines) + "\n"


# -- SPARQL results in the terminal -----------------------------------------------------------

_SEPARATOR = " | "
_NARROWEST = 6  # a column is never cut narrower than this (nor than its content)
_READABLE = 12  # a table whose columns would be cut narrower than this is shown as records


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: wide and full-width characters (CJK) two, combining
    marks none, everything else one."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int, keep_end: bool = False) -> str:
    """The text in at most `width` columns: cut with … at its end, or, with `keep_end` (names,
    whose last part says most), in its middle."""
    if display_width(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    if not keep_end:
        return _take(text, width - 1) + "…"
    tail = _take(text[::-1], (width - 1) * 2 // 3)[::-1]
    return _take(text, width - 1 - display_width(tail)) + "…" + tail


def _take(text: str, width: int) -> str:
    """The longest start of the text that fits in `width` columns."""
    taken, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width:
            break
        taken.append(c)
        used += w
    return "".join(taken)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def compact_term(term) -> tuple[str, bool]:
    """A result term as the terminal shows it, and whether it is a name (an IRI or a blank
    node): a name as a query accepts it back (``gt:Project``, but
    ``<https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/goal/3>``, whose local part
    a prefixed name cannot hold), a literal's text alone."""
    from ..graph.sparql_syntax import sparql_name  # its grammar takes a while to build: only for query tables

    if term is None:
        return "", False
    if isinstance(term, ox.NamedNode):
        return _printable(sparql_name(term.value)), True
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}", True
    return _printable(" ".join(term.value.split())), False


def _printable(text: str) -> str:
    """Control characters (a form's text is data: an escape sequence must not reach the
    terminal) shown as �."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)


def column_widths(natural: list[int], available: int | None) -> list[int]:
    """Widths that fit `available` columns: the widest columns give way first, to a common
    cap, none below `_NARROWEST`. With no limit (None or 0) every column keeps its width."""
    if not available or sum(natural) <= available:
        return natural
    cap = max(natural)
    while cap > _NARROWEST and sum(min(w, cap) for w in natural) > available:
        cap -= 1
    return [min(w, cap) for w in natural]


def results_table(variables: list[str], rows: list[list], columns: int | None) -> str:
    """SELECT results as a table in `columns` terminal columns (None or 0: as wide as it takes),
    IRIs as names a query accepts (`compact_term`), long cells cut with …, then the number of
    rows. When so many columns would leave each too narrow to read (under `_READABLE`), each
    row is shown as a record, one variable a line, as psql's expanded display does."""
    cells = [[compact_term(term) for term in row] for row in rows]
    natural = [max([display_width(name), *(display_width(r[i][0]) for r in cells)]) for i, name in enumerate(variables)]
    widths = column_widths(natural, columns - len(_SEPARATOR) * (len(variables) - 1) if columns else None)
    if any(w < min(n, _READABLE) for w, n in zip(widths, natural)) and len(variables) > 1:
        lines = _records(variables, cells, columns)
    else:
        lines = [_SEPARATOR.join(_pad(fit(n, w), w) for n, w in zip(variables, widths)),
                 "-+-".join("-" * w for w in widths)]
        for row in cells:
            lines.append(_SEPARATOR.join(_pad(fit(text, w, keep_end=name), w) for (text, name), w in zip(row, widths)))
    lines = [line.rstrip() for line in lines]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _records(variables: list[str], cells: list[list], columns: int) -> list[str]:
    """Each row as a block: its number, then one line per variable, the value cut to fit."""
    label = min(max(display_width(v) for v in variables), columns // 3)
    value = max(_NARROWEST, columns - label - len(_SEPARATOR))
    lines = []
    for number, row in enumerate(cells, 1):
        head = f"-[ row {number} ]"
        lines.append(head + "-" * max(0, columns - len(head)))
        lines += [_pad(fit(v, label), label) + _SEPARATOR + fit(text, value, keep_end=name)
                  for v, (text, name) in zip(variables, row)]
    return lines


def named_query_list(queries: list, columns: int | None) -> str:
    """Each named query: its name and title on one line, its description and inputs below,
    wrapped to `columns` (None or 0: not wrapped)."""
    lines = []
    for query in queries:
        lines += wrap(f"{query.name}  —  {query.title}", columns, later="      ")
        lines += wrap(query.description, columns, indent="    ")
        if query.inputs:
            lines.append("    inputs: " + ", ".join(f"{name} ({kind})" for name, kind in query.inputs.items()))
    return "\n".join(lines) + "\n"


def wrap(text: str, columns: int | None, indent: str = "", later: str | None = None) -> list[str]:
    """The text in lines of at most `columns` terminal columns, broken at spaces (and inside a
    word longer than a line); the first line starts with `indent`, the others with `later`
    (`indent` unless given). Runs of spaces inside the first line's words are kept."""
    later = indent if later is None else later
    if not columns or display_width(indent + text) <= columns:
        return [indent + text]
    lines, line, start = [], indent, indent
    for word in text.split(" "):
        candidate = f"{line} {word}" if line != start else line + word
        if display_width(candidate) > columns and line != start:
            lines.append(line)
            start = line = later
            candidate = line + word
        while display_width(candidate) > columns and display_width(start) < columns - 1:  # a word wider than a line
            piece = _take(candidate, columns)
            lines.append(piece)
            candidate = start + candidate[len(piece):]
        line = candidate
    if line != start:
        lines.append(line)
    return lines


def imported_file(item) -> str:
    """The line `goaltrace import` prints for a file it imported (an `importing.ImportedFile`)."""
    if item.unchanged:
        return f"{item.path}: unchanged — the store already holds this reading of it; nothing written"
    if item.alignment is not None:
        return f"{item.path}: alignment {item.alignment.iri} — {item.quads} triples"
    if item.evaluation is not None:
        return f"{item.path}: self-evaluation {item.evaluation.iri} — {item.quads} triples"
    if item.mapping is not None:
        return f"{item.path}: concept mapping {item.mapping.iri} — {len(item.mapping.names)} indicator names curated"
    if item.corrections is not None:
        return (f"{item.path}: review file {item.corrections.iri} — {item.corrections.corrected} rows "
                f"corrected, {item.corrections.confirmed} confirmed as read")
    cut = f", incomplete: the text stops at line {item.incomplete_at}" if item.incomplete_at else ""
    kept = f", {item.unmapped} unmapped cells kept" if item.unmapped else ""
    return (f"{item.path}: {item.department} {item.year} — {item.forms} forms, "
            f"{item.indicators} indicators, {item.quads} triples{kept}{cut}")


def import_summary(report, where: str, keep_going: bool) -> str:
    """The last line of `goaltrace import`: what was imported from how many files, into `where`."""
    files_read = len(report.imported) + len(report.skipped)
    evaluations = sum(1 for item in report.imported if item.evaluation is not None and not item.unchanged)
    reviews = sum(1 for item in report.imported if item.corrections is not None and not item.unchanged)
    also = f" and {evaluations} self-evaluations" if evaluations else ""
    also += f" and {reviews} review files" if reviews else ""
    same = f"; {report.unchanged} files unchanged, nothing written for them" if report.unchanged else ""
    return (f"imported {report.declarations} declarations{also} from {files_read} files in {report.elapsed:.3f} s "
            f"into {where}{same}" + (f"; skipped {len(report.skipped)}" if keep_going else ""))


# -- what the command line says of its own work ---------------------------------------------------

def repaired(declarations: int) -> str:
    return f"goaltrace: removed {declarations} declarations an interrupted import had begun to write"


def unstaged(graphs: int) -> str:
    return (f"goaltrace: removed {graphs} graphs an interrupted write had staged; the declarations it "
            "had not switched yet are as they were")


def skipped_file(reason: str) -> str:
    return f"skipped {reason}"


def progress_line(stage: str, done: int, total: int, width: int = 30) -> str:
    """Files read, then declarations written, as a bar that rewrites itself on one line."""
    filled = width * done // max(total, 1)
    verb = "reading files" if stage == "read" else "writing declarations"
    return f"\r{verb:22} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def nothing_to_repair(location: str) -> str:
    return f"{location}: nothing to repair"


def validated_from_cache(validated: int, forms: int, cache: str) -> str:
    return (f"goaltrace: validated {validated} of {forms} forms; the others are unchanged "
            f"since an earlier run (remembered in {cache})")


def wrote(output: str) -> str:
    return f"wrote {output}"


def wrote_rows(count: int, everything: bool, output: str) -> str:
    what = "rows" if everything else "rows that need a look"
    return f"wrote {count} {what} to {output}"


def wrote_snapshot(location: str, target: str) -> str:
    return f"wrote a snapshot of {location} to {target}"
