"""The figures behind a declaration's pictures, as data: the funds flow (declared project
spending → projects → goals) and the coverage matrix (indicators per form under each
level-1/level-2 category). `goaltrace.rendering.pictures` draws them."""

from dataclasses import dataclass

import pyoxigraph as ox

from ..domain.regions import UNPLACED
from ..query.named import Reader
from .trace import DeclarationRef, as_number, declaration_projects


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    value: float
    column: int
    dashed: bool = False


@dataclass(frozen=True)
class FundsFlow:
    """Nodes in three columns and the edges between them: (from, to, value, kind, dashed), the
    kind being "spending", "gap" (money in no project, or a project in no goal) or the basis of
    a goal link ("declared", "curated"). A
    project that supports several goals has dashed edges split evenly across them: a way of
    drawing, not an allocation the forms make."""
    declaration: DeclarationRef
    nodes: list[Node]
    edges: list[tuple[str, str, float, str, bool]]


def funds_flow(reader: Reader, declaration: DeclarationRef) -> FundsFlow:
    projects = declaration_projects(reader, declaration.iri)
    links = reader.run("project-goal-links", {"declaration": ox.NamedNode(declaration.iri)})
    spending = reader.run("declared-project-spending", {"declaration": ox.NamedNode(declaration.iri)})
    declared = as_number(spending[0]["amount"]) if spending else None
    goal_numbers = [int(g["number"].value) for g in reader.run("declaration-goals", {"declaration": ox.NamedNode(declaration.iri)})]
    by_project: dict[str, list[tuple[int, str]]] = {}
    for row in links:
        by_project.setdefault(row["p"].value, []).append((int(row["n"].value), row["basis"].value))
    listed = sum(float(as_number(p.get("funds")) or 0) for p in projects)  # a project may state no funds
    nodes: list[Node] = []
    edges: list[tuple[str, str, float, str, bool]] = []  # from, to, value, kind, dashed
    source_value = max(float(declared or 0), listed)
    nodes.append(Node("source", f"项目支出 project spending {declared if declared is not None else listed:g} 万元", source_value, 0))
    for p in projects:
        value = float(as_number(p.get("funds")) or 0)
        key = p["p"].value
        supported = sorted(set(by_project.get(key, [])))
        nodes.append(Node(key, f"{p['name'].value} {value:g}", value, 1, dashed=len(supported) > 1))
        edges.append(("source", key, value, "spending", False))
        if not supported:
            edges.append((key, "no-goal", value, "gap", False))
        for number, basis in supported:
            edges.append((key, f"goal-{number}", value / len(supported), basis, len(supported) > 1))
    if declared is not None and declared > listed:
        nodes.append(Node("gap", f"未列明项目 not in any project table {declared - listed:g}", declared - listed, 1, dashed=True))
        edges.append(("source", "gap", declared - listed, "gap", True))
    for number in goal_numbers:
        value = sum(v for _, to, v, _, _ in edges if to == f"goal-{number}")
        nodes.append(Node(f"goal-{number}", f"目标{number} Goal {number}", value, 2))
    if any(to == "no-goal" for _, to, _, _, _ in edges):
        nodes.append(Node("no-goal", "无目标链接 no goal", sum(v for _, to, v, _, _ in edges if to == "no-goal"), 2, dashed=True))

    return FundsFlow(declaration, nodes, edges)


def coverage(reader: Reader, declaration: DeclarationRef) -> dict:
    """Rows (forms) × columns (level-1/level-2 categories) → number of indicators."""
    rows = reader.run("coverage-per-form", {"declaration": ox.NamedNode(declaration.iri)})
    order = {r["f"].value: int(r["line"].value)
             for r in reader.run("declaration-forms", {"declaration": ox.NamedNode(declaration.iri)})}
    forms = list(order)
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


@dataclass(frozen=True)
class GoalFunds:
    """A goal's project money: of projects that support only it, and of projects it shares
    with other goals (listed apart, never split)."""
    number: int
    exclusive: float
    shared: float
    shared_projects: str


def goal_funds(reader: Reader, declaration: DeclarationRef) -> list[GoalFunds]:
    rows = reader.run("funds-per-goal", {"declaration": ox.NamedNode(declaration.iri)})
    found = {int(r["goalNumber"].value): GoalFunds(int(r["goalNumber"].value), float(as_number(r.get("exclusive")) or 0),
                                                   float(as_number(r.get("shared")) or 0),
                                                   r["shared_projects"].value if "shared_projects" in r else "")
             for r in rows}
    numbers = [int(g["number"].value) for g in reader.run("declaration-goals", {"declaration": ox.NamedNode(declaration.iri)})]
    return [found.get(n, GoalFunds(n, 0.0, 0.0, "")) for n in sorted(set(numbers) | set(found))]


def dimension_funds(reader: Reader, declaration: DeclarationRef) -> list[tuple[str, float, int]]:
    """The declaration's project money shared among the level-1 dimensions of each project's
    indicators by weight: (dimension, 万元, projects), the largest first."""
    rows = reader.run("declaration-funds-per-dimension", {"declaration": ox.NamedNode(declaration.iri)})
    return [(r["dimension"].value, float(as_number(r["funds"]) or 0), int(r["projects"].value)) for r in rows]


LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标", "成本指标")


@dataclass(frozen=True)
class IndicatorKinds:
    """How many indicators (annual and long-term) of each level-1 kind the corpus files, per
    year and per province: (year or province, {level 1: indicators}), years in order, provinces
    the largest first (units that could not be placed under `regions.UNPLACED`)."""
    per_year: list[tuple[str, dict[str, int]]]
    per_region: list[tuple[str, dict[str, int]]]


def indicator_kinds(reader: Reader) -> IndicatorKinds:
    """One aggregate query over the corpus (counted per year, province and kind), summed here."""
    per_year: dict[str, dict[str, int]] = {}
    per_region: dict[str, dict[str, int]] = {}
    for r in reader.run("indicator-kinds"):
        kind, n = r["level1"].value, int(r["indicators"].value)
        for groups, key in ((per_year, r["year"].value), (per_region, r["province"].value or UNPLACED)):
            counts = groups.setdefault(key, {})
            counts[kind] = counts.get(kind, 0) + n
    return IndicatorKinds(sorted(per_year.items()),
                          sorted(per_region.items(), key=lambda g: (-sum(g[1].values()), g[0])))
