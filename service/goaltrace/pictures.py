"""Pictures of a declaration, drawn server-side: no script, no network, plain SVG and HTML.

- `funds_flow`: a Sankey diagram, declared project spending → projects → goals. A project that
  supports several goals is drawn with dashed links split evenly across them: the split is a
  way of drawing, not an allocation the forms make, and the picture says so.
- `coverage`: indicators per form under each level-1/level-2 category of the catalogue.
"""

import pyoxigraph as ox
from dataclasses import dataclass
from html import escape

from .graph.store import Store
from .queries import named_query
from .trace import DeclarationRef, as_number, goals

BASIS_COLOUR = {"declared": "#2563eb", "curated": "#16a34a"}
GAP_COLOUR = "#9ca3af"


@dataclass(frozen=True)
class _Node:
    key: str
    label: str
    value: float
    column: int
    dashed: bool = False


def _flows(store: Store, declaration: DeclarationRef):
    projects = store.select(
        f"SELECT ?p ?name ?funds WHERE {{ ?p gt:partOfDeclaration <{declaration.iri}> ; gt:projectName ?name ; "
        f"gt:sourceLine ?line . OPTIONAL {{ ?f gt:forProject ?p ; gt:fundSource gtf:source-all ; gt:amount ?funds }} }} ORDER BY ?line"
    )
    links = store.select(
        f"SELECT ?p ?n ?basis WHERE {{ ?p gt:partOfDeclaration <{declaration.iri}> ; gt:qualifiedContribution ?l . "
        f"?l gt:goal/gt:goalNumber ?n ; gt:basis/skos:notation ?basis }}"
    )
    declared = store.select(
        f"SELECT ?amount WHERE {{ ?f gt:declaredIn/gt:partOfDeclaration <{declaration.iri}> ; a gt:FundAmount ; "
        f"gt:spendingType gtf:spending-project ; gt:fundSource gtf:source-all ; gt:amount ?amount . "
        f"FILTER NOT EXISTS {{ ?f gt:forProject ?any }} }}"
    )
    return projects, links, (as_number(declared[0]["amount"]) if declared else None)


def funds_flow(store: Store, declaration: DeclarationRef, width: int = 960) -> str:
    """An SVG Sankey of the declaration's project money; every shape has a <title> tooltip."""
    projects, links, declared = _flows(store, declaration)
    goal_numbers = [g["number"] for g in goals(store, declaration)]
    by_project: dict[str, list[tuple[int, str]]] = {}
    for row in links:
        by_project.setdefault(row["p"].value, []).append((int(row["n"].value), row["basis"].value))
    listed = sum(float(as_number(p["funds"]) or 0) for p in projects)
    nodes: list[_Node] = []
    edges: list[tuple[str, str, float, str, bool]] = []  # from, to, value, colour, dashed
    source_value = max(float(declared or 0), listed)
    nodes.append(_Node("source", f"项目支出 project spending {declared if declared is not None else listed:g} 万元", source_value, 0))
    for p in projects:
        value = float(as_number(p["funds"]) or 0)
        key = p["p"].value
        supported = sorted(set(by_project.get(key, [])))
        nodes.append(_Node(key, f"{p['name'].value} {value:g}", value, 1, dashed=len(supported) > 1))
        edges.append(("source", key, value, "#64748b", False))
        if not supported:
            edges.append((key, "no-goal", value, GAP_COLOUR, False))
        for number, basis in supported:
            edges.append((key, f"goal-{number}", value / len(supported), BASIS_COLOUR.get(basis, GAP_COLOUR), len(supported) > 1))
    if declared is not None and declared > listed:
        nodes.append(_Node("gap", f"未列明项目 not in any project table {declared - listed:g}", declared - listed, 1, dashed=True))
        edges.append(("source", "gap", declared - listed, GAP_COLOUR, True))
    for number in goal_numbers:
        value = sum(v for _, to, v, _, _ in edges if to == f"goal-{number}")
        nodes.append(_Node(f"goal-{number}", f"目标{number} Goal {number}", value, 2))
    if any(to == "no-goal" for _, to, _, _, _ in edges):
        nodes.append(_Node("no-goal", "无目标链接 no goal", sum(v for _, to, v, _, _ in edges if to == "no-goal"), 2, dashed=True))

    height, pad, node_w, top, bottom = 600, 10, 14, 30, 36
    columns = {c: [n for n in nodes if n.column == c] for c in range(3)}
    total = max(sum(n.value for n in col) for col in columns.values()) or 1
    most = max(len(col) for col in columns.values())
    scale = (height - top - bottom - pad * (most + 1)) / total
    x = {0: 20, 1: width // 2 - node_w // 2, 2: width - 230}
    place: dict[str, tuple[float, float]] = {}
    for col in columns.values():
        y = top + pad
        for n in col:
            h = max(n.value * scale, 2)
            place[n.key] = (y, h)
            y += h + pad
    out_offset = {k: 0.0 for k in place}
    in_offset = {k: 0.0 for k in place}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sankey" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="sankey-title" font-family="sans-serif" font-size="12">',
        f'<title id="sankey-title">资金流向 Funds flow: {escape(declaration.department)} {declaration.year}</title>',
        '<text x="20" y="18" font-weight="bold">资金 → 项目 → 目标 · funds → projects → goals (万元)</text>',
    ]
    column_of = {n.key: n.column for n in nodes}
    for source, target, value, colour, dashed in edges:
        if source not in place or target not in place:
            continue
        w = max(value * scale, 1)
        sy, _ = place[source]
        ty, _ = place[target]
        y0 = sy + out_offset[source] + w / 2
        y1 = ty + in_offset[target] + w / 2
        out_offset[source] += w
        in_offset[target] += w
        x0 = x[column_of[source]] + node_w
        x1 = x[column_of[target]]
        mid = (x0 + x1) / 2
        curve = f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        note = "（共享项目，平均示意 shared project, split evenly for display）" if dashed else ""
        parts.append(
            f'<path class="flow{" shared" if dashed else ""}" d="{curve}" fill="none" stroke="{colour}" '
            f'stroke-opacity="{0.22 if dashed else 0.45}" stroke-width="{w:.1f}">'
            f"<title>{escape(_label(nodes, source))} → {escape(_label(nodes, target))}: {value:g} 万元{note}</title></path>"
        )
        if dashed:  # a thin dashed line along a shared flow marks it as shared
            parts.append(f'<path d="{curve}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="5 4"/>')
    for n in nodes:
        y, h = place[n.key]
        anchor_x = x[n.column] + node_w + 4
        stroke = ' stroke="#111" stroke-width="1.5" stroke-dasharray="3 2"' if n.dashed else ""
        parts.append(
            f'<rect class="node" x="{x[n.column]}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="#334155"{stroke}>'
            f"<title>{escape(n.label)}</title></rect>"
        )
        parts.append(f'<text x="{anchor_x}" y="{y + h / 2 + 4:.1f}">{escape(n.label)}</text>')
    legend_y = height - 8
    parts.append(
        f'<text x="20" y="{legend_y}" fill="#374151">蓝 申报 declared · 绿 审定 curated · 虚线 共享项目（在所支撑目标间平均示意，并非实际分配）'
        f" dashed: shared project, split evenly for display, not an allocation</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _label(nodes: list[_Node], key: str) -> str:
    return next((n.label for n in nodes if n.key == key), key)


def coverage(store: Store, declaration: DeclarationRef) -> dict:
    """Rows (forms) × columns (level-1/level-2 categories) → number of indicators."""
    rows = store.select(named_query("coverage-per-form").text, {"declaration": ox.NamedNode(declaration.iri)})
    forms = store.declaration_graphs(declaration.iri)
    order = {
        r["f"].value: int(r["line"].value)
        for r in store.select(f"SELECT ?f ?line WHERE {{ ?f gt:partOfDeclaration <{declaration.iri}> ; gt:sourceLine ?line }}")
    }
    columns = [
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标"), ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"), ("成本指标", "经济成本指标"), ("成本指标", "社会成本指标"), ("成本指标", "生态环境成本指标"),
    ]
    cells: dict[tuple[str, str, str], int] = {}
    labels: dict[str, str] = {}
    for r in rows:
        form = r["form"].value
        if form not in forms:
            continue
        labels[form] = r["formLabel"].value
        cells[(form, r["level1"].value, r["level2"].value)] = int(r["indicators"].value)
    used = [c for c in columns if any((f, *c) in cells for f in forms)] or columns
    # Always show the three required level-1 groups in full, so that an empty one is visible.
    shown = [c for c in columns if c in used or c[0] in ("产出指标", "效益指标", "满意度指标")]
    ordered = sorted(forms, key=lambda f: order.get(f, 0))
    return {
        "columns": shown,
        "rows": [
            {"form": f, "label": labels.get(f, "部门整体" if f.endswith("/form/department") else f.rpartition("/")[2]),
             "cells": [cells.get((f, *c), 0) for c in shown]}
            for f in ordered
        ],
    }


def coverage_html(matrix: dict) -> str:
    """The coverage matrix as an HTML table: darker cells hold more indicators, empty ones are marked."""
    groups: list[tuple[str, int]] = []
    for level1, _ in matrix["columns"]:
        if groups and groups[-1][0] == level1:
            groups[-1] = (level1, groups[-1][1] + 1)
        else:
            groups.append((level1, 1))
    head1 = "".join(f'<th colspan="{n}">{escape(name)}</th>' for name, n in groups)
    head2 = "".join(f"<th>{escape(level2)}</th>" for _, level2 in matrix["columns"])
    body = []
    for row in matrix["rows"]:
        cells = "".join(
            f'<td class="cov cov-{min(n, 4)}" title="{escape(row["label"])} · {escape(l2)}: {n}">{n or "·"}</td>'
            for n, (_, l2) in zip(row["cells"], matrix["columns"])
        )
        body.append(f'<tr><th scope="row">{escape(row["label"])}</th>{cells}</tr>')
    return (
        '<table class="coverage"><thead><tr><th rowspan="2">表 form</th>' + head1 + "</tr><tr>" + head2 + "</tr></thead><tbody>"
        + "".join(body) + "</tbody></table>"
    )
