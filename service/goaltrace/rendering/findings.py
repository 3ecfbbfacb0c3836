"""Validation findings as a person reads them (Chinese and English), as JSON and as the SHACL report in Turtle."""

from ..validation.validate import NOT_CHECKED, SEVERITY_ORDER, Report
from . import SEVERITY_ZH


def as_data(report: Report) -> dict:
    """The verdict, the counts and every finding, as plain values for JSON."""
    return {
        "conforms": report.conforms,
        "forms": report.forms,
        "counts": {s: report.count(s) for s in SEVERITY_ORDER},
        "rows_to_review": report.to_review,
        "not_checked": len(report.not_checked),
        "results": [f.as_json() for f in report.findings],
    }


def as_text(report: Report) -> str:
    """The findings grouped by form and severity, then the verdict and what needs a look."""
    lines = []
    current_form = None
    current_severity = None
    for f in report.findings:
        if f.form != current_form:
            current_form, current_severity = f.form, None
            lines += ["", f"■ {f.form_label}", f"  {f.form}"]
        if f.severity != current_severity:
            current_severity = f.severity
            count = sum(1 for g in report.findings if g.form == f.form and g.severity == f.severity)
            lines.append(f"  {SEVERITY_ZH[f.severity]} {f.severity} ({count})")
        where = f"第{f.line}行 line {f.line}" if f.line else ""
        subject = f"{f.focus_label}" + (f" [{f.project}]" if f.project and f.project not in f.focus_label else "")
        lines.append(f"    - {subject} · {f.rule}{' · ' + where if where else ''}")
        lines.append(f"      {f.message_zh}")
        lines.append(f"      {f.message_en}")
    verdict = "符合 conforms" if report.conforms else "不符合 does not conform"
    lines.append("")
    lines.append(
        f"{verdict}: {report.count('Violation')} 违规 violations, {report.count('Warning')} 警告 warnings, "
        f"{report.count('Info')} 提示 info in {report.forms} forms"
    )
    lines.append(f"{report.to_review} 行需要复核 rows need review (export indicators/outcomes: the review column)")
    if report.not_checked:
        lines.append(f"{len(report.not_checked)} 项核对因缺少数据未能进行 checks could not run for lack of data "
                     f"(the …{NOT_CHECKED} results above): not passed")
    return "\n".join(lines).lstrip("\n") + "\n"


def as_turtle(report: Report) -> str:
    """The SHACL validation report itself."""
    return report.graph.serialize(format="turtle")
