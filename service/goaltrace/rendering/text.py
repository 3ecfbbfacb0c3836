"""Answers as plain text for the terminal."""

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
        for key, label in (("added", "added"), ("replaced", "replaced"), ("alignments", "alignment")):
            lines += [f"    {label}: {iri}" for iri in item[key]]
    return "\n".join(lines) + "\n"


_MET_MARK = {"true": "完成 met", "false": "未完成 missed", "unknown": "无法判定 unknown"}


def outcome_review(evaluations: list[dict]) -> str:
    """Each self-evaluation's outcomes against the declared targets."""
    if not evaluations:
        return "no self-evaluation reports on this declaration\n"
    lines = []
    for e in evaluations:
        lines.append(f"{e['evaluation']}  ({e['project'] or '部门整体 department-wide'})")
        lines += [f"    [申报 linked] {r['indicator']} → {r['declared']} · {_MET_MARK.get(r['met'], r['met'])}" for r in e["linked"]]
        lines += [f"    [建议 suggested] {r['indicator']} → {r['declared_name']} (shares {'、'.join(r['evidence'])})" for r in e["suggested"]]
        lines += [f"    [无申报指标 no declared target] {r['indicator']}" for r in e["without_target"]]
        lines += [f"    [无完成情况 no outcome] {r['indicator']} ({r['declared']})" for r in e["without_outcome"]]
    return "\n".join(lines) + "\n"
