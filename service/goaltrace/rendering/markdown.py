"""Answers and reports as Markdown.

Every text that comes from a form or an alignment goes through `md`: a Markdown viewer shows
it as the text it is, never as HTML, a link or a table's columns."""

from . import ACHIEVEMENT_LABEL, BASIS_LABEL, target_label

# HTML's characters as entities (no tag, comment or raw HTML can open); backslash escapes for
# what makes links and images ([ ]), code spans (`) and table columns (|), and the backslash
# itself, so that a form's own backslash escapes nothing.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "[": "\\[", "]": "\\]",
                          "`": "\\`", "|": "\\|"})


def md(value) -> str:
    """A value as inline Markdown that shows exactly its text: on one line (line breaks and
    runs of whitespace as one space), with nothing in it read as HTML, a link or a cell break."""
    if value is None:
        return ""
    return " ".join(str(value).split()).translate(_ESCAPES)


def goal_answer(answer: dict) -> str:
    goal = answer["goal"]
    d = answer["declaration"]
    out = [f"# 目标{goal['number']} · Goal {goal['number']} — {md(d['department'])} {d['year']}", "", f"> {md(goal['text'])}", ""]
    f = answer["funds"]
    out.append(f"Funds from declared and curated links: **{f['exclusive']} 万元** for this goal only, "
               f"**{f['shared']} 万元** in projects shared with other goals. Suggested projects are not counted.")
    out.append("")
    out.append("| basis 依据 | project 项目 | funds 万元 | shared with goals | justification 理由 |")
    out.append("|---|---|---:|---|---|")
    for p in answer["projects"]:
        shared = ", ".join(map(str, p["goals"])) if p["shared"] else ""
        out.append(f"| {BASIS_LABEL[p['basis']]} | {md(p['name'])} | {'' if p['funds'] is None else p['funds']} | {shared} | "
                   f"{md(p['justification'])}<br>{md(p['justification_en'])} |")
    for p in answer["projects"]:
        out += ["", f"## {md(p['name'])} ({BASIS_LABEL[p['basis']]})", "",
                "| level 1 | level 2 | indicator 指标 | target 目标 | actual 实际 | met 完成 | weight | delivers 支撑部门指标 |",
                "|---|---|---|---|---|---|---:|---|"]
        for i in p["indicators"]:
            outcome = i.get("outcome") or {}
            met = ACHIEVEMENT_LABEL[outcome["met"]] if outcome else ""
            out.append(f"| {md(i['level1'])} | {md(i['level2'])} | {md(i['name'])} | {md(target_label(i))} | "
                       f"{md(outcome.get('actual', ''))} | {met} | {'' if i['weight'] is None else i['weight']} | "
                       f"{md('、'.join(i['delivers']))} |")
    return "\n".join(out) + "\n"


def report(data: dict) -> str:
    d = data["declaration"]
    out = [f"# 绩效目标追溯报告 · Traceability report — {md(d.department)} {d.year}", ""]
    c = data["counts"]
    out.append(f"Validation: {c['Violation']} 违规 violations, {c['Warning']} 警告 warnings, {c['Info']} 提示 notes.")
    out += ["", "## 整体目标 Goals", "", "| goal | declared | curated | funds for this goal only (万元) | in shared projects (万元) |", "|---|---:|---:|---:|---:|"]
    for g in data["goal_summaries"]:
        out.append(f"| 目标{g['number']} {md(g['text'])} | {g['projects']['declared']} | {g['projects']['curated']} | "
                   f"{g['funds']['exclusive']} | {g['funds']['shared']} |")
    for answer in data["goals"]:
        out += ["", goal_answer(answer).replace("# 目标", "### 目标", 1).split("\n## ")[0].rstrip()]
    out += ["", "## 项目 Projects", ""]
    for p in data["projects"]:
        links = "; ".join(f"目标{l['goal']} ({BASIS_LABEL[l['basis']]})" for l in p["links"]) or "—"
        out.append(f"### {md(p['name'])} — {'' if p['funds'] is None else p['funds']} 万元")
        out.append(f"Goals: {links}")
        out.append("")
        out.append("| level 1 | level 2 | indicator | target | weight | delivers |")
        out.append("|---|---|---|---|---:|---|")
        for i in p["indicators"]:
            out.append(f"| {md(i['level1'])} | {md(i['level2'])} | {md(i['name'])} | {md(target_label(i))} | "
                       f"{'' if i['weight'] is None else i['weight']} | {md('、'.join(i['delivers']))} |")
        if p["findings"]:
            out.append("")
            for f in p["findings"]:
                out.append(f"- **{f.severity}** `{f.rule}` {md(f.message_zh)} — {md(f.message_en)}")
        out.append("")
    if data.get("outcome_findings"):
        out += ["## 绩效自评的发现 Findings on the self-evaluations", ""]
        for f in data["outcome_findings"]:
            out.append(f"- **{f.severity}** `{f.rule}` {md(f.focus_label)}: {md(f.message_zh)} — {md(f.message_en)}")
        out.append("")
    if data["department_findings"]:
        out += ["## 部门整体表的发现 Findings on the department form", ""]
        for f in data["department_findings"]:
            out.append(f"- **{f.severity}** `{f.rule}` {md(f.focus_label)}: {md(f.message_zh)} — {md(f.message_en)}")
    return "\n".join(out) + "\n"
