"""Rendering: the one place where answers become text, Markdown, HTML or spreadsheets, for the
command line and the web app alike. The core computes answers as plain data; nothing here
queries the store, and nothing here knows about Flask.

- `goaltrace.rendering.text`: the terminal;
- `goaltrace.rendering.markdown`: reports and answers to paste elsewhere;
- `goaltrace.rendering.spreadsheet`: CSV and xlsx, every cell data and never a formula;
- `goaltrace.rendering.html`: the Jinja templates the web pages and the standalone files share;
- `goaltrace.rendering.findings`: validation findings as text, JSON and Turtle;
- `goaltrace.rendering.sparql_results`: the SPARQL endpoint's answers, cut at a row cap;
- `goaltrace.rendering.formats`: the one registry of output formats (name, media type, file
  extension, writer) through which the command line and the web app choose among all of these.

The words shown for codes (met/missed, the basis of a link, a finding's severity) are kept here,
once.
"""

from ..forms.text import fold
from ..graph.namespaces import ID

LOCAL = "/id/"  # where the web app serves https://w3id.org/goaltrace/id/…

ACHIEVEMENT_LABEL = {"met": "完成 met", "missed": "未完成 missed", "unknown": "无法判定 unknown"}
SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}
BASIS_LABEL = {"declared": "申报 declared", "curated": "审定 curated", "suggested": "建议 suggested"}


def target_label(i: dict) -> str:
    symbol = {">=": "≥", "<=": "≤"}.get(i["comparator"], i["comparator"])
    if i["comparator"] == "qualitative":
        return i["target_text"]
    unit = "" if fold(i["target_text"]).replace(" ", "").endswith(i["unit"]) or i["unit"] in fold(i["target_text"]) else f" {i['unit']}"
    return f"{symbol} {i['target_text']}{unit}".strip()


def local_path(iri: str) -> str:
    """An entity's page in the web app (an IRI outside goaltrace's stays as it is)."""
    return LOCAL + iri[len(ID):] if iri.startswith(ID) else iri
