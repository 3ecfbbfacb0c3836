"""Traceability: which projects contribute to a goal, and on what basis.

Every answer says what each link rests on:
- ``declared``: the forms say so (a project's annual goal quotes the department goal);
- ``curated``: a reviewer's judgement kept in ``data/alignments``, with its justification;
- ``suggested``: computed from shared wording, shown with its evidence, never counted as fact
  (suggested projects add nothing to a goal's funds).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from ..domain.achievement import MET_WORD, UNKNOWN
from ..forms.text import fold
from ..query.named import Reader
from . import exporting

BASIS_ORDER = {"declared": 0, "curated": 1, "suggested": 2}
# Words too general to suggest a link on their own.
_GENERIC = {
    "积极", "开展", "推动", "推进", "加强", "提升", "完善", "建设", "工作", "水平", "全力", "相结合",
    "体系", "更高", "中心", "进一步", "继续", "发挥", "作用", "加大", "力度", "做好", "确保", "实现",
}


class TraceError(Exception):
    """A question that cannot be answered as asked: the message says why and what exists."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DeclarationRef:
    iri: str
    department: str
    year: int


def as_number(term) -> float | int | None:
    """A numeric RDF term as a JSON number (int where whole)."""
    return None if term is None else exporting.as_number(term.value)


def _refs(rows: list[dict]) -> list[DeclarationRef]:
    return [DeclarationRef(r["d"].value, r["name"].value, int(r["year"].value)) for r in rows]


def declarations(reader: Reader, department: str | None = None) -> list[DeclarationRef]:
    """Every declaration, or those of the unit named exactly ``department``."""
    return _refs(reader.run("declarations", {"name": ox.Literal(department, language="zh")} if department else None))


def declaration(reader: Reader, iri: str) -> DeclarationRef | None:
    found = _refs(reader.run("declaration", {"d": ox.NamedNode(iri)}))
    return found[0] if found else None


# a question that matches more declarations than this is answered with the first few
_CHOICES = 20


def resolve(reader: Reader, department: str | None = None, year: int | None = None) -> DeclarationRef:
    """The one declaration a question is about; with several loaded, department and year choose.
    A unit's full name picks it out even where it is part of another's name; otherwise any part
    of a name will do."""
    exact = declarations(reader, department) if department else []
    found = [d for d in exact if year is None or d.year == year] or _refs(reader.run(
        "declarations-page", {"wanted": ox.Literal(department or ""), "wantedYear": ox.Literal("" if year is None else str(year))},
        limit=_CHOICES + 1))
    if len(found) == 1:
        return found[0]
    if not found:
        raise TraceError(f"no declaration matches department={department!r} year={year!r}", 404)
    choices = "; ".join(f"{d.department} {d.year}" for d in found[:_CHOICES])
    count = f"more than {_CHOICES}" if len(found) > _CHOICES else str(len(found))
    raise TraceError(f"{count} declarations match — choose one with --department and --year (?department=&year=): {choices}")


def _goal_rows(reader: Reader, declaration: str) -> list[dict]:
    return reader.run("declaration-goals", {"declaration": ox.NamedNode(declaration)})


def goals(reader: Reader, declaration: DeclarationRef) -> list[dict]:
    """Every goal with how many projects support it (by basis) and its funds, shared apart."""
    rows = reader.run("funds-per-goal", {"declaration": ox.NamedNode(declaration.iri)})
    funds = {int(r["goalNumber"].value): (as_number(r.get("exclusive")) or 0, as_number(r.get("shared")) or 0) for r in rows}
    links = _links(reader, declaration.iri)
    result = []
    for row in _goal_rows(reader, declaration.iri):
        number = int(row["number"].value)
        bases = [link["basis"] for link in links if link["goalNumber"] == number]
        exclusive, shared = funds.get(number, (0, 0))
        result.append({
            "number": number,
            "text": row["text"].value,
            "iri": row["goal"].value,
            "projects": {basis: bases.count(basis) for basis in ("declared", "curated")},
            "funds": {"exclusive": exclusive, "shared": shared},
        })
    return result


def _links(reader: Reader, declaration: str, projects: dict[str, dict] | None = None) -> list[dict]:
    rows = reader.run("projects-per-goal", {"declaration": ox.NamedNode(declaration)})
    funds = {iri: project["funds"] for iri, project in (projects or _projects(reader, declaration)).items()}
    out = []
    for row in rows:
        out.append({
            "goalNumber": int(row["goalNumber"].value),
            "project": row["project"].value,
            "name": row["projectName"].value,
            "basis": row["basis"].value,
            "justification": (row.get("justification_zh") or row.get("evidence") or ox.Literal("")).value,
            "justification_en": (row.get("justification_en") or ox.Literal(
                f"The project's annual goal quotes this goal: {row['evidence'].value}" if "evidence" in row else "")).value,
            "funds": funds.get(row["project"].value),
        })
    return out


def _projects(reader: Reader, declaration: str) -> dict[str, dict]:
    return {r["p"].value: {"name": r["name"].value, "goal": r.get("goal", ox.Literal("")).value,
                           "funds": as_number(r.get("funds")), "line": int(r["line"].value)}
            for r in declaration_projects(reader, declaration)}


def declaration_projects(reader: Reader, declaration: str) -> list[dict]:
    """The projects of a declaration in form order, with name, annual goal, funds and line."""
    return reader.run("declaration-projects", {"declaration": ox.NamedNode(declaration)})


_GENERIC_PATTERN = re.compile("|".join(sorted(_GENERIC, key=len, reverse=True)))


def _terms(text: str) -> set[str]:
    """Runs of Chinese characters, general words cut out, as their 2- to 4-character substrings."""
    runs = re.findall(r"[\u4e00-\u9fff]+", _GENERIC_PATTERN.sub(" ", fold(text)))
    return {run[i:i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1)}


def shared_terms(a: str, b: str) -> list[str]:
    """Maximal terms two texts share, general words left out: the evidence of a suggestion."""
    common = _terms(a) & _terms(b)
    maximal = [t for t in common if not any(t != u and t in u for u in common)]
    return sorted(maximal, key=lambda t: (-len(t), t))


def _suggested(projects: dict[str, dict], number: int, goal_text: str, linked: set[str]) -> list[dict]:
    out = []
    for iri, project in projects.items():
        if iri in linked or not project["goal"]:
            continue
        terms = shared_terms(project["goal"], goal_text)
        if any(len(t) >= 3 for t in terms) or len(terms) >= 2:
            out.append({
                "name": project["name"],
                "iri": iri,
                "basis": "suggested",
                "justification": "年度目标与该目标共有词语：" + "、".join(terms),
                "justification_en": "The annual goal shares these terms with the goal: " + ", ".join(terms),
                "funds": project["funds"],
            })
    return out


def project_indicators(reader: Reader, project: str) -> list[dict]:
    rows = reader.run("project-indicators", {"project": ox.NamedNode(project)})
    indicators: dict[str, dict] = {}
    for r in rows:
        item = indicators.setdefault(r["i"].value, {
            "name": r["name"].value,
            "iri": r["i"].value,
            "level1": r.get("l1", ox.Literal("")).value,
            "level2": r.get("l2", ox.Literal("")).value,
            "comparator": r["comparator"].value if "value" in r and "comparator" in r else ("qualitative" if "value" not in r else ""),
            "value": as_number(r.get("value")),
            "unit": r.get("unit", ox.Literal("")).value,
            "weight": as_number(r.get("weight")),
            "target_text": r["text"].value,
            "delivers": [],
            "outcome": _outcome(r),
        })
        if "delivers" in r and r["delivers"].value not in item["delivers"]:
            item["delivers"].append(r["delivers"].value)
    return list(indicators.values())


def _outcome(row: dict) -> dict | None:
    """What a self-evaluation reports of an indicator: the actual, the score, met or not."""
    if "outcome" not in row:
        return None
    return {"iri": row["outcome"].value, "actual": row.get("actual", ox.Literal("")).value,
            "score": as_number(row.get("score")), "met": MET_WORD.get(row["met"].value if "met" in row else "", UNKNOWN),
            "deviation_reason": row.get("reason", ox.Literal("")).value}


def achievement(indicators: list[dict]) -> dict | None:
    """Targets met, missed and unknown among indicators with an outcome (None when none has)."""
    reported = [i["outcome"] for i in indicators if i.get("outcome")]
    if not reported:
        return None
    counts = {key: sum(1 for o in reported if o["met"] == key) for key in ("met", "missed", "unknown")}
    judged = counts["met"] + counts["missed"]
    return {**counts, "met_percent": round(100 * counts["met"] / judged, 1) if judged else None}


def goal_projects(reader: Reader, declaration: DeclarationRef, number: int) -> dict:
    """The answer to "which projects contribute to goal N, and on what basis?"."""
    goal = next((g for g in _goal_rows(reader, declaration.iri) if int(g["number"].value) == number), None)
    if goal is None:
        known = ", ".join(str(int(g["number"].value)) for g in _goal_rows(reader, declaration.iri))
        raise TraceError(f"{declaration.department} {declaration.year} has no goal {number} (its goals: {known or 'none'})", 404)
    declared = _projects(reader, declaration.iri)
    links = _links(reader, declaration.iri, declared)
    goals_of: dict[str, list[int]] = {}
    for link in links:
        goals_of.setdefault(link["project"], [])
        if link["goalNumber"] not in goals_of[link["project"]]:
            goals_of[link["project"]].append(link["goalNumber"])
    projects = []
    for link in links:
        if link["goalNumber"] != number:
            continue
        supported = sorted(goals_of[link["project"]])
        projects.append({
            "name": link["name"], "iri": link["project"], "basis": link["basis"],
            "justification": link["justification"], "justification_en": link["justification_en"],
            "funds": link["funds"], "goals": supported, "shared": len(supported) > 1,
        })
    linked = {p["iri"] for p in projects}
    projects += [dict(s, goals=[], shared=False) for s in _suggested(declared, number, goal["text"].value, linked)]
    projects.sort(key=lambda p: (BASIS_ORDER[p["basis"]], -(p["funds"] or 0), p["name"]))
    for project in projects:
        project["indicators"] = project_indicators(reader, project["iri"])
        project["achievement"] = achievement(project["indicators"])
    counted = [p for p in projects if p["basis"] != "suggested"]
    return {
        "goal": {"number": number, "text": goal["text"].value, "iri": goal["goal"].value},
        "declaration": {"iri": declaration.iri, "department": declaration.department, "year": declaration.year},
        "funds": {
            "exclusive": _total(p["funds"] for p in counted if not p["shared"]),
            "shared": _total(p["funds"] for p in counted if p["shared"]),
        },
        "projects": projects,
        # targets met through the declared and curated links (suggested projects not counted)
        "achievement": achievement([i for p in counted for i in p["indicators"]]),
    }


def _total(values) -> float | int:
    total = sum((Decimal(str(v)) for v in values if v is not None), Decimal(0))
    return int(total) if total == total.to_integral_value() else float(total)


def project_detail(reader: Reader, project: str) -> dict:
    """One project: its funds, the goals it supports (with basis) and its indicators."""
    rows = reader.run("project", {"project": ox.NamedNode(project)})
    if not rows:
        raise TraceError(f"no project {project}", 404)
    links = [link for link in _links(reader, rows[0]["declaration"].value) if link["project"] == project]
    goal_iris = {int(r["number"].value): r["goal"].value for r in _goal_rows(reader, rows[0]["declaration"].value)}
    return {
        "name": rows[0]["name"].value,
        "iri": project,
        "funds": as_number(rows[0].get("funds")),
        "links": [{"goal": l["goalNumber"], "goal_iri": goal_iris.get(l["goalNumber"]), "basis": l["basis"],
                   "justification": l["justification"], "justification_en": l["justification_en"]}
                  for l in sorted(links, key=lambda l: (l["goalNumber"], BASIS_ORDER[l["basis"]]))],
        "indicators": project_indicators(reader, project),
    }


# -- department indicators and the project indicators that deliver them ---------------------

def _indicator_rows(reader: Reader, declaration: str) -> list[dict]:
    rows = reader.run("declaration-indicators", {"declaration": ox.NamedNode(declaration)})
    return [{k: v.value for k, v in row.items()} for row in rows]


def indicator_links(reader: Reader, declaration: DeclarationRef) -> list[dict]:
    """Each department-wide indicator with the project indicators that deliver it: declared
    or curated links with their justification, then suggested ones with their evidence."""
    linked = reader.run("indicator-deliveries", {"declaration": ox.NamedNode(declaration.iri)})
    known = {(r["d"].value, r["p"].value): (r["basis"].value, r["justification"].value) for r in linked}
    rows = _indicator_rows(reader, declaration.iri)
    department = [r for r in rows if "project" not in r]
    projects = [r for r in rows if "project" in r]
    answer = []
    for d in department:
        delivered = []
        for p in projects:
            if (d["i"], p["i"]) in known:
                basis, justification = known[(d["i"], p["i"])]
                delivered.append(_delivery(p, basis, justification, []))
                continue
            evidence = indicator_evidence(d, p)
            if evidence:
                delivered.append(_delivery(p, "suggested", "；".join(e[0] for e in evidence), evidence))
        delivered.sort(key=lambda x: (BASIS_ORDER[x["basis"]], x["project"], x["name"]))
        answer.append({"name": d["name"], "iri": d["i"], "target": f"{d.get('comparator', '')} {d['text']} {d.get('unit', '')}".strip(),
                       "level2": d.get("l2", ""), "delivered_by": delivered})
    return answer


def _delivery(p: dict, basis: str, justification: str, evidence: list) -> dict:
    return {"project": p["project"], "name": p["name"], "iri": p["i"], "basis": basis,
            "target": f"{p.get('comparator', '')} {p['text']}".strip(), "justification": justification,
            "evidence": [e[1] for e in evidence]}


def indicator_evidence(department: dict, project: dict) -> list[tuple[str, str]]:
    """Why a project indicator may deliver a department one: (zh, en) reasons, or [] when the
    names do not match. A suggestion needs the same name, or one name inside the other."""
    a, b = department["key"], project["key"]
    if a == b:
        reasons = [("名称相同", "same name")]
    elif len(a) >= 4 and len(b) >= 4 and (a in b or b in a):
        reasons = [("名称相互包含", "one name contains the other")]
    else:
        return []
    if "value" in department and department.get("value") == project.get("value"):
        reasons.append((f"指标值同为{department['value']}", f"same value {department['value']}"))
    unit_a = department.get("same") or department.get("unitConcept") or department.get("unit")
    unit_b = project.get("same") or project.get("unitConcept") or project.get("unit")
    if unit_a and unit_a == unit_b:
        reasons.append((f"单位相同（{department.get('unit', '')}）", f"same unit ({department.get('unit', '')})"))
    if department.get("l2") and department.get("l2") == project.get("l2"):
        reasons.append((f"同属{department['l2']}", f"same level 2 ({department['l2']})"))
    return reasons
