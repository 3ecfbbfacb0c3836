"""Pictures of a declaration, drawn server-side from `goaltrace.answers.figures`: no script, no network,
plain SVG and HTML.

- `funds_flow`: a Sankey diagram, declared project spending → projects → goals. A project that
  supports several goals is drawn with dashed links split evenly across them: the split is a
  way of drawing, not an allocation the forms make, and the picture says so.
- `coverage`: indicators per form under each level-1/level-2 category of the catalogue.
- `goal_funds`: each goal's project money, that of projects it alone has and that of projects
  it shares with other goals side by side (shared money is shown as shared, never split).
- `dimension_funds`: a declaration's project money shared among level-1 dimensions by weight.
- `indicator_kinds`: across declarations, the mix of level-1 kinds per year or per region.
"""

from html import escape

from ..answers.figures import LEVEL1_ORDER, FundsFlow, GoalFunds, Node

COLOUR = {"declared": "#2563eb", "curated": "#16a34a", "spending": "#64748b", "gap": "#9ca3af"}


def funds_flow(flow: FundsFlow, width: int = 960) -> str:
    """An SVG Sankey of the declaration's project money; every shape has a <title> tooltip."""
    declaration, nodes, edges = flow.declaration, flow.nodes, flow.edges
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
    for source, target, value, kind, dashed in edges:
        colour = COLOUR.get(kind, COLOUR["gap"])
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


def _label(nodes: list[Node], key: str) -> str:
    return next((n.label for n in nodes if n.key == key), key)


def coverage(matrix: dict) -> str:
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


ACHIEVEMENT_COLOUR = {"met": "#16a34a", "missed": "#dc2626", "unknown": "#9ca3af"}


def achievement(counts: dict, width: int = 480) -> str:
    """One bar of the targets met, missed and not judged, as SVG with its figures."""
    total = sum(counts[k] for k in ACHIEVEMENT_COLOUR) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="achievement" viewBox="0 0 {width} 46" role="img" '
             f'font-family="sans-serif" font-size="12"><title>完成 met {counts["met"]} · 未完成 missed {counts["missed"]} · '
             f'无法判定 unknown {counts["unknown"]}</title>']
    x = 0.0
    for kind, colour in ACHIEVEMENT_COLOUR.items():
        w = width * counts[kind] / total
        if w:
            parts.append(f'<rect class="{kind}" x="{x:.1f}" y="0" width="{w:.1f}" height="22" fill="{colour}">'
                         f"<title>{kind}: {counts[kind]}</title></rect>")
        x += w
    share = "" if counts.get("met_percent") is None else f" — {counts['met_percent']:g}% 已判定目标完成 of judged targets met"
    parts.append(f'<text x="0" y="40">完成 met {counts["met"]} · 未完成 missed {counts["missed"]} · 无法判定 unknown {counts["unknown"]}{escape(share)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar_chart(rows: list[tuple[str, list[tuple[float, str, str, str]]]], title: str, caption: str, css: str,
               width: int = 720, label_width: int = 150, totals: bool = True,
               legend: list[tuple[str, str]] = ()) -> str:
    """Horizontal bars, one row per label, each bar a run of (value, colour, class, tooltip)
    segments on one scale, the total written after it (with `totals`); a legend of (label,
    colour) swatches under the bars."""
    row_h, top = 26, 28
    height = top + row_h * len(rows) + 30 + (22 if legend else 0)
    most = max((sum(v for v, *_ in parts) for _, parts in rows), default=0) or 1
    scale = (width - label_width - 90) / most
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
             f'font-family="sans-serif" font-size="12"><title>{escape(title)}</title>',
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (label, segments) in enumerate(rows):
        y = top + i * row_h
        parts.append(f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        x = float(label_width)
        for value, colour, kind, tip in segments:
            w = value * scale
            if w > 0:
                parts.append(f'<rect class="{kind}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" fill="{colour}">'
                             f"<title>{escape(tip)}</title></rect>")
            x += w
        if totals:
            parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(v for v, *_ in segments):g}</text>')
    x = float(label_width)
    for label, colour in legend:
        y = top + row_h * len(rows) + 4
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16:.0f}" y="{y + 11}">{escape(label)}</text>')
        x += 16 + 14 * len(label) + 12
    parts.append(f'<text x="0" y="{height - 8}" fill="#374151">{escape(caption)}</text></svg>')
    return "".join(parts)


def goal_funds(goals: list[GoalFunds], current: int | None = None) -> str:
    """Each goal's project money (万元): solid, projects that support only this goal; pale,
    projects it shares with other goals, whose whole amount is shown beside every goal they
    support. The goal a page is about, if any, is marked."""
    rows = []
    for g in goals:
        label = f"{'▶ ' if g.number == current else ''}目标{g.number} Goal {g.number}"
        rows.append((label, [
            (g.exclusive, "#2563eb", "exclusive", f"目标{g.number}: 仅此目标的项目 only this goal {g.exclusive:g} 万元"),
            (g.shared, "#93c5fd", "shared", f"目标{g.number}: 与其他目标共享的项目 shared with other goals {g.shared:g} 万元"
                                            + (f"（{g.shared_projects}）" if g.shared_projects else "")),
        ]))
    return _bar_chart(rows, "各目标资金 Funds per goal (万元)",
                      "深蓝 仅此目标的项目 only this goal · 浅蓝 共享项目（全额，各目标重复列出）shared projects, whole amount under each goal",
                      "goal-funds")


def dimension_funds(rows: list[tuple[str, float, int]]) -> str:
    """The project money apportioned to each level-1 dimension by the weights of its indicators."""
    bars = [(dimension, [(funds, LEVEL1_COLOUR.get(dimension, "#64748b"), "dimension",
                          f"{dimension}: {funds:g} 万元, {projects} 个项目 projects")])
            for dimension, funds, projects in rows]
    return _bar_chart(bars, "按一级指标分摊的项目资金 Project funds per level-1 dimension (万元)",
                      "按各项目指标分值比例分摊 shared by the weights of each project's indicators", "dimension-funds")


LEVEL1_COLOUR = {"产出指标": "#2563eb", "效益指标": "#16a34a", "满意度指标": "#d97706", "成本指标": "#9333ea"}


def indicator_kinds(groups: list[tuple[str, dict[str, int]]], title: str, shown: int = 15) -> str:
    """The mix of level-1 kinds in each group (a year, a region) as bars of equal length split
    by share; the `shown` largest groups, the picture saying how many more there are."""
    kinds = [k for k in LEVEL1_ORDER if any(k in g for _, g in groups)]
    kinds += sorted({k for _, g in groups for k in g} - set(kinds))
    rows = []
    for label, counts in groups[:shown]:
        total = sum(counts.values()) or 1
        rows.append((f"{label} ({sum(counts.values())})", [
            (100 * counts.get(k, 0) / total, LEVEL1_COLOUR.get(k, "#64748b"), "kind",
             f"{label} · {k}: {counts.get(k, 0)} ({100 * counts.get(k, 0) / total:.0f}%)") for k in kinds]))
    more = f"；另有 {len(groups) - shown} 组未列出 {len(groups) - shown} more not shown" if len(groups) > shown else ""
    return _bar_chart(rows, title, f"各类指标占比（括号内为指标数）share of each kind (indicators, annual and long-term, in brackets){more}",
                      "indicator-kinds", label_width=210, totals=False,
                      legend=[(k, LEVEL1_COLOUR.get(k, "#64748b")) for k in kinds])
