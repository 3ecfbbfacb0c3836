"""The traceability report of one department-year, as Markdown or as a standalone HTML file.

Goals, the projects that serve them (with the basis and justification of every link), funds,
indicators, and the validation findings beside what they concern, with two pictures: the
funds flow (Sankey) and the coverage matrix. The HTML file carries its CSS and SVG inline and
loads nothing from the network.
"""

from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape

from . import pictures, trace, validate
from .graph.store import Store
from .trace import BASIS_LABEL, DeclarationRef


def build(store: Store, declaration: DeclarationRef, report: validate.Report | None = None) -> dict:
    report = report or validate.validate(store, [declaration.iri])
    findings = [f for f in report.findings if f.form.startswith(declaration.iri + "/")]
    summaries = trace.goals(store, declaration)
    goals = [trace.goal_projects(store, declaration, g["number"]) for g in summaries]
    projects = {}
    for answer in goals:
        for p in answer["projects"]:
            entry = projects.setdefault(p["iri"], {**p, "links": []})
            entry["links"].append({"goal": answer["goal"]["number"], "basis": p["basis"], "justification": p["justification"]})
    for row in store.select(
        f"SELECT ?p ?name ?funds ?line WHERE {{ ?p gt:partOfDeclaration <{declaration.iri}> ; gt:projectName ?name ; gt:sourceLine ?line . "
        f"OPTIONAL {{ ?f gt:forProject ?p ; gt:fundSource gtf:source-all ; gt:amount ?funds }} }}"
    ):
        entry = projects.setdefault(row["p"].value, {
            "name": row["name"].value, "iri": row["p"].value, "funds": trace.as_number(row.get("funds")),
            "links": [], "indicators": trace.project_indicators(store, row["p"].value),
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
        "department_findings": [f for f in findings if not f.project],
        "counts": {s: sum(1 for f in findings if f.severity == s) for s in ("Violation", "Warning", "Info")},
        "funds_flow": pictures.funds_flow(store, declaration),
        "coverage": pictures.coverage_html(pictures.coverage(store, declaration)),
        "basis_label": BASIS_LABEL,
    }


def _environment() -> Environment:
    from .web import filters

    env = Environment(loader=PackageLoader("goaltrace.web", "templates"), autoescape=select_autoescape(["html"]))
    filters.register(env)
    return env


def to_html(data: dict) -> str:
    css = (files("goaltrace.web") / "static" / "goaltrace.css").read_text(encoding="utf-8")
    return _environment().get_template("report.html").render(**data, css=css, standalone=True)


def goal_html(answer: dict) -> str:
    """One goal's answer as a standalone HTML page."""
    css = (files("goaltrace.web") / "static" / "goaltrace.css").read_text(encoding="utf-8")
    return _environment().get_template("goal.html").render(answer=answer, basis_label=BASIS_LABEL, css=css, standalone=True)


def to_markdown(data: dict) -> str:
    d = data["declaration"]
    out = [f"# 绩效目标追溯报告 · Traceability report — {d.department} {d.year}", ""]
    c = data["counts"]
    out.append(f"Validation: {c['Violation']} 违规 violations, {c['Warning']} 警告 warnings, {c['Info']} 提示 notes.")
    out += ["", "## 整体目标 Goals", "", "| goal | declared | curated | funds for this goal only (万元) | in shared projects (万元) |", "|---|---:|---:|---:|---:|"]
    for g in data["goal_summaries"]:
        out.append(f"| 目标{g['number']} {g['text']} | {g['projects']['declared']} | {g['projects']['curated']} | {g['funds']['exclusive']} | {g['funds']['shared']} |")
    for answer in data["goals"]:
        out += ["", trace.to_markdown(answer).replace("# 目标", "### 目标", 1).split("\n## ")[0].rstrip()]
    out += ["", "## 项目 Projects", ""]
    for p in data["projects"]:
        links = "; ".join(f"目标{l['goal']} ({BASIS_LABEL[l['basis']]})" for l in p["links"]) or "—"
        out.append(f"### {p['name']} — {'' if p['funds'] is None else p['funds']} 万元")
        out.append(f"Goals: {links}")
        out.append("")
        out.append("| level 1 | level 2 | indicator | target | weight | delivers |")
        out.append("|---|---|---|---|---:|---|")
        for i in p["indicators"]:
            out.append(f"| {i['level1']} | {i['level2']} | {i['name']} | {trace.target_label(i)} | {'' if i['weight'] is None else i['weight']} | {'、'.join(i['delivers'])} |")
        if p["findings"]:
            out.append("")
            for f in p["findings"]:
                out.append(f"- **{f.severity}** `{f.rule}` {f.message_zh} — {f.message_en}")
        out.append("")
    if data["department_findings"]:
        out += ["## 部门整体表的发现 Findings on the department form", ""]
        for f in data["department_findings"]:
            out.append(f"- **{f.severity}** `{f.rule}` {f.focus_label}: {f.message_zh} — {f.message_en}")
    return "\n".join(out) + "\n"
