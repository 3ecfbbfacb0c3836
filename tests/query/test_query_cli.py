"""`goaltrace query` as a researcher meets it in a terminal: compact names, tables that fit the
terminal's width (CJK characters take two columns), machine formats with full IRIs, the list
of named queries, and a misspelled name answered as such."""

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest

from conftest import run_goaltrace

QUERIES = Path(__file__).parents[2] / "data" / "queries"
ID = "https://w3id.org/goaltrace/id/"
PROJECTS = "SELECT ?project ?type ?name WHERE { ?project a gt:Project , ?type ; rdfs:label ?name } ORDER BY ?name"


def columns(line: str) -> int:
    """Terminal columns, counted here on their own: East Asian wide and full-width take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def query(*args, width: int | None = None, monkeypatch=None):
    if width is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(width))
    return run_goaltrace("query", *args)


def test_the_table_shows_names_a_query_takes_back(monkeypatch):
    out = query(PROJECTS, width=200, monkeypatch=monkeypatch)
    assert out.returncode == 0, out.stderr_text
    # a prefixed name where its local part may stand as it is; an entity's path (slashes) as <IRI>
    assert "| gt:Project |" in out.stdout_text
    assert f"<{ID}秀山土家族苗族自治县司法局/2023/project/法律援助>" in out.stdout_text
    assert "id:" not in out.stdout_text and "~" not in out.stdout_text
    assert "(8 rows)" in out.stdout_text


@pytest.mark.parametrize("width", [60, 72, 120, 143, 144])
def test_the_table_fits_the_terminal(monkeypatch, width):
    out = query(PROJECTS, width=width, monkeypatch=monkeypatch)
    lines = out.stdout_text.splitlines()
    assert max(columns(line) for line in lines) <= width
    # uncut, the widest row takes 144 columns: <…/project/县人民政府法律顾问团工作经费> (100) and
    # 县人民政府法律顾问团工作经费 (14 wide characters, 28), gt:Project (10), and two separators of 3
    assert any("…" in line for line in lines) == (width < 144)
    # the widest column gives way first: the narrow one keeps its width, the names theirs while they can
    assert out.stdout_text.count("| gt:Project |") == 8
    assert ("| 县人民政府法律顾问团工作经费" in out.stdout_text) == (width >= 72)


def test_a_narrow_terminal_shows_each_row_as_a_record(monkeypatch):
    out = query("projects-per-goal", width=70, monkeypatch=monkeypatch)
    lines = out.stdout_text.splitlines()
    assert max(columns(line) for line in lines) <= 70
    assert lines[0].startswith("-[ row 1 ]")
    assert sum(line.startswith("-[ row ") for line in lines) == 11  # README: goals 1–3 have 3, 5 and 3 projects
    assert any(line.startswith("projectName") and "法律援助" in line for line in lines)


def test_output_to_a_pipe_is_not_cut(monkeypatch):
    out = query("projects-per-goal", monkeypatch=monkeypatch)
    assert "…" not in out.stdout_text.replace("...", "")
    assert "社区矫正社会工作者工作经费" in out.stdout_text


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_machine_formats_keep_full_iris(monkeypatch, fmt):
    out = query(PROJECTS, "--format", fmt, width=60, monkeypatch=monkeypatch)
    assert out.returncode == 0
    if fmt == "json":
        rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(out.stdout_text)["results"]["bindings"]]
    else:
        rows = list(csv.DictReader(io.StringIO(out.stdout_text), delimiter="," if fmt == "csv" else "\t"))
        rows = [{k.lstrip("?"): v.strip("<>") for k, v in r.items()} for r in rows]
    assert len(rows) == 8
    assert {r["type"] for r in rows} == {"https://w3id.org/goaltrace/ontology#Project"}
    assert ID + "秀山土家族苗族自治县司法局/2023/project/县人民政府法律顾问团工作经费" in {r["project"] for r in rows}


def test_list_names_every_named_query_with_its_title(monkeypatch):
    out = query("--list", width=100, monkeypatch=monkeypatch)
    assert out.returncode == 0
    flowing = " ".join(out.stdout_text.split())  # titles and descriptions wrap to the width
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) > 40
    for f in files:
        title = next(line.split(":", 1)[1].strip() for line in f.read_text(encoding="utf-8").splitlines()
                     if line.startswith("# title:"))
        assert f"{f.stem} — {' '.join(title.split())}" in flowing
    assert max(columns(line) for line in out.stdout_text.splitlines()) <= 100
    listed = json.loads(query("--list", "--format", "json", width=100, monkeypatch=monkeypatch).stdout_text)
    assert [q["name"] for q in listed] == [f.stem for f in files]
    goal = next(q for q in listed if q["name"] == "goal")
    assert goal["inputs"] == "goal=iri" and goal["description"]


def test_a_misspelled_name_gets_a_suggestion_not_a_syntax_error(monkeypatch):
    out = query("projects-per-gaol", width=80, monkeypatch=monkeypatch)
    assert out.returncode == 2 and out.stdout_text == ""
    assert out.stderr_text.strip() == "goaltrace: no named query projects-per-gaol; did you mean projects-per-goal?"
    far = query("zzzz", width=80, monkeypatch=monkeypatch)
    assert far.returncode == 2 and "no named query zzzz; goaltrace query --list lists them" in far.stderr_text
    file_like = query("funds-per-goal.rq", width=80, monkeypatch=monkeypatch)
    assert file_like.returncode == 2 and "write @funds-per-goal.rq" in file_like.stderr_text


def test_query_text_is_never_taken_for_a_name(monkeypatch):
    assert query("ASK{}", width=80, monkeypatch=monkeypatch).stdout_text == "true\n"
    bad = query("SELECT ?x WHERE { ?x", width=80, monkeypatch=monkeypatch)
    assert bad.returncode == 2 and "query syntax error at 1:" in bad.stderr_text
    assert len(bad.stderr_text.splitlines()) == 1 and "u{" not in bad.stderr_text  # no character ranges


def test_named_and_file_queries_run(tmp_path, monkeypatch):
    by_name = query("funds-per-goal", "--format", "csv", width=80, monkeypatch=monkeypatch)
    by_file = query("@" + str(QUERIES / "funds-per-goal.rq"), "--format", "csv", width=80, monkeypatch=monkeypatch)
    assert by_name.returncode == 0 and by_name.stdout_text == by_file.stdout_text
    missing = query("@" + str(tmp_path / "none.rq"), width=80, monkeypatch=monkeypatch)
    assert missing.returncode == 2 and "none.rq" in missing.stderr_text


def test_construct_is_turtle_with_prefixes(monkeypatch):
    out = query("CONSTRUCT { ?g a gt:OverallGoal } WHERE { ?g a gt:OverallGoal }", width=80, monkeypatch=monkeypatch)
    assert "@prefix gt: <https://w3id.org/goaltrace/ontology#> ." in out.stdout_text
    assert out.stdout_text.count("a gt:OverallGoal") == 3


def test_control_characters_never_reach_the_terminal(monkeypatch):
    out = query('SELECT ?text WHERE { BIND ("红\u001b[31m字" AS ?text) }', width=80, monkeypatch=monkeypatch)
    assert "\x1b" not in out.stdout_text and "红\ufffd[31m字" in out.stdout_text


def test_an_input_binds_a_named_query_to_one_declaration(tmp_path, monkeypatch):
    """Two declarations in the store: bound to one with --input (a prefixed IRI), a named
    query answers for that one only; unbound, for both."""
    seed = (QUERIES.parents[1] / "data" / "forms" / "xiushan-justice-bureau-2023.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed.replace("秀山土家族苗族自治县司法局", "酉阳土家族苗族自治县司法局"), encoding="utf-8")
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), check=True)

    def projects(*args):
        out = query("declaration-projects", "--format", "json", "--store", str(store), *args, width=80, monkeypatch=monkeypatch)
        assert out.returncode == 0, out.stderr_text
        return [row["p"]["value"] for row in json.loads(out.stdout_text)["results"]["bindings"]]

    both = projects()
    youyang = projects("--input", "declaration=id:酉阳土家族苗族自治县司法局/2023")
    assert len(both) == 16 and len(youyang) == 8
    assert all(p.startswith(ID + "酉阳土家族苗族自治县司法局/2023/") for p in youyang)
    assert projects("-i", f"declaration={ID}酉阳土家族苗族自治县司法局/2023") == youyang  # a full IRI too
    assert projects("-i", "declaration=id:无此单位/2023") == []


@pytest.mark.parametrize("args, words", [
    (("declaration-projects", "-i", "project=id:x"), "declaration-projects takes no input 'project'; its inputs: declaration"),
    (("declaration-projects", "-i", "declaration"), "write NAME=VALUE"),
    (("ASK {}", "-i", "declaration=id:x"), "SPARQL text has none"),
])
def test_a_wrong_input_is_refused_with_what_to_write(monkeypatch, args, words):
    out = query(*args, width=80, monkeypatch=monkeypatch)
    assert out.returncode == 2 and out.stdout_text == "" and words in out.stderr_text
    assert "Traceback" not in out.stderr_text
