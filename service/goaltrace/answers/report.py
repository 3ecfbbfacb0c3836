"""The traceability report of one department-year, as data: goals, the projects that serve
them (with the basis and justification of every link), funds, indicators, and the validation
findings beside what they concern, with two pictures: the funds flow (Sankey) and the coverage
matrix. `goaltrace.rendering` writes it as Markdown or HTML.
"""

from ..query.named import Reader
from ..validation import validate
from . import figures, trace
from .trace import DeclarationRef


def build(reader: Reader, declaration: DeclarationRef, report: validate.Report) -> dict:
    findings = [f for f in report.findings if f.form.startswith(declaration.iri + "/")]
    outcome_findings = [f for f in report.findings if "/self-evaluation/" in f.form]
    summaries = trace.goals(reader, declaration)
    goals = [trace.goal_projects(reader, declaration, g["number"]) for g in summaries]
    projects = {}
    for answer in goals:
        for p in answer["projects"]:
            entry = projects.setdefault(p["iri"], {**p, "links": []})
            entry["links"].append({"goal": answer["goal"]["number"], "basis": p["basis"], "justification": p["justification"]})
    for row in trace.declaration_projects(reader, declaration.iri):
        entry = projects.setdefault(row["p"].value, {
            "name": row["name"].value, "iri": row["p"].value, "funds": trace.as_number(row.get("funds")),
            "links": [], "indicators": trace.project_indicators(reader, row["p"].value),
        })
        entry["line"] = int(row["line"].value)
    for entry in projects.values():
        entry["findings"] = [f for f in findings if f.project == entry["name"]]
    ordered = sorted(projects.values(), key=lambda p: p.get("line", 0))
    return {
        "declaration": declaration,
        "goals": goals,
        "goal_summaries": summaries,
        "projects": ordered,
        "department_findings": [f for f in findings if not f.project and "/self-evaluation/" not in f.form],
        "outcome_findings": outcome_findings,
        "counts": {s: sum(1 for f in findings if f.severity == s) for s in ("Violation", "Warning", "Info")},
        "funds_flow": figures.funds_flow(reader, declaration),
        "coverage": figures.coverage(reader, declaration),
    }
