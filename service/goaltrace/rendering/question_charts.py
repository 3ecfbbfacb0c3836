"""Pictures of the questions across the corpus, drawn server-side from `goaltrace.answers.questions` as plain SVG: no script, no network.

- `concept_targets`: a dot plot, one line per target (unit, year, project), the target a dot on
  one axis in the concept's usual unit of measure, the actual a ring where a self-evaluation
  reports one.
- `falling_targets`: how far each fallen target fell, as a bar of the share of the earlier one.
- `quality_profile`: each declaration's four shares (quantitative targets, projects with
  benefit and with satisfaction indicators, targets met) as four bars on 0–100 %.

Every mark carries its figure in a ``data-`` attribute and a <title> tooltip, so that what is
drawn can be read back and checked against the data.
"""

import math
from html import escape

from ..answers.questions import ConceptTargets, Fall, Profile

_ROW, _TOP, _FONT = 24, 40, 'font-family="sans-serif" font-size="12"'
MET_COLOUR = {"true": "#16a34a", "false": "#dc2626", "unknown": "#9ca3af", "": "#2563eb"}
SHARE_LABELS = {"quantitative": "量化目标 quantitative", "benefit": "有效益指标 benefit",
                "satisfaction": "有满意度指标 satisfaction", "met": "目标完成 met"}


def _open(css: str, width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
            f'role="img" {_FONT}><title>{escape(title)}</title>',
            f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']


def _ticks(low: float, high: float, left: float, scale: float, y: float, bottom: float, suffix: str = "") -> list[str]:
    """Five gridlines with their values, from `low` to `high`."""
    out = []
    for k in range(5):
        value = low + (high - low) * k / 4
        x = left + (value - low) * scale
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{bottom}" stroke="#e5e7eb"/>'
                   f'<text class="tick" x="{x:.1f}" y="{y - 4}" text-anchor="middle" data-value="{value:g}">'
                   f"{value:g}{escape(suffix)}</text>")
    return out


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _nice(x: float) -> float:
    """The least of 1, 2, 2.5, 5 times a power of ten that is at least `x` (> 0)."""
    power = 10 ** math.floor(math.log10(x))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= x)


def _span(low: float, high: float) -> tuple[float, float]:
    """An axis from `low` to `high` on round numbers, four steps of a nice size, wide enough
    to hold both (the targets of one concept often lie close together: 95 to 100 %)."""
    step = _nice((high - low) / 4) if high > low else _nice(abs(high) / 4 or 1)
    start = math.floor(low / step) * step
    while start + 4 * step < high:
        step = _nice(step * 1.01)
        start = math.floor(low / step) * step
    return start, start + 4 * step


def concept_targets(answer: ConceptTargets, width: int = 760, label_width: int = 300, shown: int = 60) -> str:
    """A dot per target on one axis; the actual, where reported, a ring on the same line."""
    targets = answer.targets[:shown]
    values = [t.value for t in targets] + [t.actual for t in targets if t.actual is not None]
    low, high = _span(min(values, default=0.0), max(values, default=1.0))
    scale = (width - label_width - 30) / (high - low)
    height = _TOP + _ROW * len(targets) + 50
    title = f"{answer.concept}：各单位目标值 targets across units ({answer.unit or '无单位 no unit'})"
    parts = _open("concept-targets", width, height, title)
    parts += _ticks(low, high, label_width, scale, _TOP, _TOP + _ROW * len(targets), answer.unit)
    for i, t in enumerate(targets):
        y = _TOP + 14 + i * _ROW
        label = f"{t.department} {t.year}" + (f" · {t.project}" if t.project else "")
        parts.append(f'<text x="{label_width - 8}" y="{y + 4}" text-anchor="end">{escape(_short(t.department, 12))} {t.year}'
                     f'{escape(" · " + _short(t.project, 7)) if t.project else ""}</text>')
        x = label_width + (t.value - low) * scale
        parts.append(f'<circle class="target" cx="{x:.1f}" cy="{y}" r="5" fill="{MET_COLOUR[t.met]}" '
                     f'data-row="{i}" data-value="{t.value:g}"><title>{escape(t.indicator)} {escape(t.comparator)} '
                     f'{t.value:g}{escape(answer.unit)}（{escape(label)}）</title></circle>')
        if t.actual is not None:
            x = label_width + (t.actual - low) * scale
            parts.append(f'<circle class="actual" cx="{x:.1f}" cy="{y}" r="7" fill="none" stroke="#111" '
                         f'data-row="{i}" data-value="{t.actual:g}"><title>实际 actual {t.actual:g}{escape(answer.unit)}'
                         f"（{'完成 met' if t.met == 'true' else '未完成 missed' if t.met == 'false' else t.met}）</title></circle>")
    left_out = len(answer.targets) - len(targets)
    legend = "点：目标值，圈：自评实际值；绿 完成、红 未完成、蓝 未自评。dot: target, ring: actual; green met, red missed, blue not evaluated."
    note = (f"未画出 not drawn: {answer.other_units} 个其他单位 in other units, {answer.not_numeric} 个定性 qualitative"
            + (f", {left_out} 个超出 more" if left_out else ""))
    parts.append(f'<text x="0" y="{height - 24}" fill="#374151">{escape(legend)}</text>'
                 f'<text x="0" y="{height - 8}" fill="#374151">{escape(note)}</text></svg>')
    return "".join(parts)


def falling_targets(falls: list[Fall], width: int = 760, label_width: int = 300) -> str:
    """A bar per fallen target, its length the fall as a share of the earlier target."""
    drawn = [f for f in falls if f.change is not None]
    most = _nice(max((-f.change * 100 for f in drawn), default=0.0) or 1.0)
    scale = (width - label_width - 130) / most
    height = _TOP + _ROW * len(drawn) + 40
    parts = _open("falling-targets", width, height, "逐年下降的目标 Targets that fell (下降幅度 fall, % of the earlier target)")
    parts += _ticks(0, most, label_width, scale, _TOP, _TOP + _ROW * len(drawn), "%")
    for i, f in enumerate(drawn):
        y = _TOP + 4 + i * _ROW
        fall = -f.change * 100
        parts.append(f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end">{escape(f"{f.department} · {f.concept}"[:34])}</text>')
        parts.append(f'<rect class="fall" x="{label_width}" y="{y}" width="{fall * scale:.1f}" height="16" fill="#dc2626" '
                     f'data-row="{i}" data-value="{fall:.4g}"><title>{escape(f.department)} · {escape(f.concept)}: '
                     f'{f.year_before} {f.target_before:g}{escape(f.unit)} → {f.year_after} {f.target_after:g}{escape(f.unit)}'
                     f"（−{fall:.1f}%）</title></rect>")
        parts.append(f'<text x="{label_width + fall * scale + 4:.1f}" y="{y + 13}">{f.target_before:g} → {f.target_after:g}{escape(f.unit)}</text>')
    parts.append(f'<text x="0" y="{height - 10}" fill="#374151">单位同一概念下最高的“不低于”目标，次年低于上年 '
                 f'a unit\'s highest at-least target for a concept, lower the next year</text></svg>')
    return "".join(parts)


def quality_profile(profiles: list[Profile], width: int = 900, label_width: int = 260, shown: int = 60) -> str:
    """Four bars per declaration, each on its own 0–100 % scale; a share with nothing to count is a dash."""
    rows = profiles[:shown]
    panel = (width - label_width) / len(SHARE_LABELS)
    bar = panel - 50
    height = _TOP + 20 + _ROW * len(rows) + 30
    parts = _open("quality-profile", width, height, "申报质量概况 Declaration quality profile (%)")
    for k, label in enumerate(SHARE_LABELS.values()):
        parts.append(f'<text x="{label_width + k * panel:.1f}" y="{_TOP}" font-weight="bold">{escape(label)}</text>')
    for i, p in enumerate(rows):
        y = _TOP + 12 + i * _ROW
        parts.append(f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end">{escape(f"{p.department} {p.year}"[:24])}</text>')
        for k, name in enumerate(SHARE_LABELS):
            x = label_width + k * panel
            share = p.shares[name]
            parts.append(f'<rect class="frame" x="{x:.1f}" y="{y}" width="{bar:.1f}" height="16" fill="#f3f4f6"/>')
            if share is None:
                parts.append(f'<text class="none" x="{x + 4:.1f}" y="{y + 13}" fill="#6b7280">–</text>')
                continue
            parts.append(f'<rect class="share {name}" x="{x:.1f}" y="{y}" width="{share * bar:.1f}" height="16" fill="#2563eb" '
                         f'data-row="{i}" data-value="{share:g}"><title>{escape(p.department)} {p.year} · '
                         f'{escape(SHARE_LABELS[name])}: {share * 100:.1f}%</title></rect>'
                         f'<text x="{x + bar + 4:.1f}" y="{y + 13}">{share * 100:.0f}%</text>')
    more = f"；另有 {len(profiles) - shown} 份未列出 {len(profiles) - shown} more not shown" if len(profiles) > shown else ""
    parts.append(f'<text x="0" y="{height - 8}" fill="#374151">“–”：无可统计 nothing to count{escape(more)}</text></svg>')
    return "".join(parts)
