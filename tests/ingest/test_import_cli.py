"""`goaltrace import` and `export` as a user runs them: real processes, a real store on disk."""

import csv
import io
import json

import pytest

from conftest import run_goaltrace

FORM_GRAPH = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/form/"


HISTORY = "<https://w3id.org/goaltrace/id/history> ."


def dump(store) -> list[str]:
    """Every quad but the record of imports, which grows with each import by design."""
    result = run_goaltrace("export", "graph", "--format", "nquads", "--with-vocabulary", "--store", str(store), check=True)
    return sorted(line for line in result.stdout_text.splitlines() if not line.endswith(HISTORY))


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory, seed_path):
    store = tmp_path_factory.mktemp("seeded") / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    return store


def test_import_reports_what_it_read(tmp_path, seed_path):
    result = run_goaltrace("import", "--store", str(tmp_path / "s"), str(seed_path))
    assert result.returncode == 0, result.stderr_text
    assert "秀山土家族苗族自治县司法局 2023 — 9 forms, 65 indicators" in result.stdout_text


def test_export_indicators_csv(seeded_store):
    result = run_goaltrace("export", "indicators", "--format", "csv", "--store", str(seeded_store), check=True)
    rows = list(csv.DictReader(io.StringIO(result.stdout_text)))
    assert list(rows[0]) == ["form", "department", "year", "project", "term", "level1", "level2", "indicator",
                             "comparator", "value", "unit", "weight", "source_text", "review", "concept",
                             "concept_basis", "province", "city", "county", "division_code"]
    assert len(rows) == 65
    assert {r["term"] for r in rows} == {"annual"}
    assert sum(1 for r in rows if r["project"] == "") == 11
    assert rows[0] == {
        "form": FORM_GRAPH + "department", "department": "秀山土家族苗族自治县司法局", "year": "2023",
        "project": "", "term": "annual", "level1": "产出指标", "level2": "数量指标", "indicator": "支持人民调解案件数量",
        "comparator": ">=", "value": "4500", "unit": "件", "weight": "10",
        "source_text": "\t产出指标\t数量指标\t指标1：支持人民调解案件数量\t\t\t≥\t4500\t件\t10\t", "review": "",
        "concept": "cases-handled", "concept_basis": "suggested",
        # a county under a municipality: no city level
        "province": "重庆市", "city": "", "county": "秀山土家族苗族自治县", "division_code": "500241",
    }
    hired = next(r for r in rows if r["indicator"] == "聘请单价")
    assert (hired["project"], hired["level1"], hired["level2"], hired["comparator"], hired["value"], hired["unit"], hired["weight"]) == (
        "社区矫正社会工作者工作经费", "产出指标", "成本指标", "<=", "60000", "元/人", "30")
    no_unit = next(r for r in rows if r["indicator"] == "宣传对象参与满意度")
    assert (no_unit["level1"], no_unit["value"], no_unit["unit"]) == ("满意度指标", "90", "")
    weights: dict[str, float] = {}
    for r in rows:
        weights[r["form"]] = weights.get(r["form"], 0) + float(r["weight"])
    assert len(weights) == 9 and set(weights.values()) == {100.0}


def test_export_funds_json(seeded_store):
    result = run_goaltrace("export", "funds", "--format", "json", "--store", str(seeded_store), check=True)
    rows = json.loads(result.stdout_text)
    # each amount once, its kind in words; the appropriation a part of it, not a second row
    department = {(r["kind"], r["kind_en"]): (r["amount"], r["appropriation"]) for r in rows if r["project"] == ""}
    assert department == {("预算支出总额", "total spending"): (2282.58, None), ("基本支出", "basic spending"): (1598.17, 1598.17),
                          ("项目支出", "project spending"): (684.41, 684.41)}
    projects = [(r["kind"], r["amount"], r["appropriation"]) for r in rows if r["project"]]
    assert projects == [("项目年度资金", a, a) for a in (20, 12, 19.8, 121.5, 40, 25, 20, 385)]


def test_default_store_is_the_bundled_data():
    result = run_goaltrace("export", "indicators", "--format", "json", check=True)
    assert len(json.loads(result.stdout_text)) == 65


def test_reimport_leaves_the_store_identical(tmp_path, seed_path):
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    first = dump(store)
    again = run_goaltrace("import", "--store", str(store), str(seed_path), check=True).stdout_text
    assert dump(store) == first
    assert f"{seed_path}: unchanged" in again and again.splitlines()[-1].startswith("imported 0 declarations")
    history = json.loads(run_goaltrace("history", "--format", "json", "--store", str(store), check=True).stdout_text)
    assert len(history) == 1 and history[0]["added"]  # nothing changed, so nothing is on record


def test_changed_declaration_replaces_its_graphs(tmp_path, seed_path, seed_text):
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    lines = seed_text.split("\n")
    changed = lines[:201]  # without the last project, 转移支付资金
    changed[41] = changed[41].replace("800件", "900件")
    path = tmp_path / "xiushan-2023-revised.txt"
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    run_goaltrace("import", "--store", str(store), str(path), check=True)
    quads = dump(store)
    assert not any("/form/project/转移支付资金>" in q for q in quads)
    rows = json.loads(run_goaltrace("export", "indicators", "--format", "json", "--store", str(store), check=True).stdout_text)
    assert len(rows) == 51
    assert next(r for r in rows if r["indicator"] == "法律援助办结案件数量")["value"] == 900


def test_exported_graph_loads_in_rdflib_and_pyoxigraph(seeded_store):
    import pyoxigraph
    import rdflib

    trig = run_goaltrace("export", "graph", "--format", "trig", "--store", str(seeded_store), check=True).stdout
    dataset = rdflib.Dataset()
    dataset.parse(data=trig, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert len(graphs) == 12  # the declaration, its nine forms, the registry of units, years and people, the record of imports
    assert "https://w3id.org/goaltrace/id/registry" in graphs
    oxi = list(pyoxigraph.parse(trig, format=pyoxigraph.RdfFormat.TRIG))
    assert len(oxi) == sum(len(g) for g in dataset.graphs())
    turtle = run_goaltrace("export", "graph", "--format", "turtle", "--store", str(seeded_store), check=True).stdout
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) > 1500


# -- bad input: exit 2, FILE:LINE: expected …, and the store exactly as before -------------

def _edit(seed_text, line, old, new):
    lines = seed_text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


BAD_INPUTS = {
    "truncated": (lambda t: "\n".join(t.split("\n")[:37]), 37, "ends too early"),
    "cut mid-row": (lambda t: "\n".join(t.split("\n")[:42]) + "\n\t\t\t值班咨询", 43, "the form ends inside its indicator table"),
    "row with no value": (lambda t: _edit(t, 42, "≥\t800件\t20", "≥\t\t20"), 42, "expected a target value"),
    "unknown level name": (lambda t: _edit(t, 44, "质量指标", "质最指标"), 44, "expected a level-1 or level-2 indicator name"),
    "non-number weight": (lambda t: _edit(t, 42, "800件\t20", "800件\t二十"), 42, "expected a weight"),
    "non-number amount": (lambda t: _edit(t, 36, "20", "二十"), 36, "expected an amount"),
    "non-number target": (lambda t: _edit(t, 42, "800件", "很多"), 42, "expected a number after ≥"),
    "department total": (lambda t: _edit(t, 13, "2282.58", "2282.58万"), 13, "expected an amount"),
    "empty file": (lambda t: "", 1, "found an empty file"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_and_changes_nothing(case, seeded_store, seed_text, tmp_path):
    make, line, expected = BAD_INPUTS[case]
    before = dump(seeded_store)
    path = tmp_path / "bad.txt"
    path.write_text(make(seed_text), encoding="utf-8")
    result = run_goaltrace("import", "--store", str(seeded_store), str(path))
    assert result.returncode == 2
    assert result.stderr_text.startswith(f"{path}:{line}: ")
    assert expected in result.stderr_text
    assert "Traceback" not in result.stderr_text
    assert dump(seeded_store) == before


def test_binary_and_wrongly_encoded_files(seeded_store, seed_text, tmp_path):
    before = dump(seeded_store)
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    result = run_goaltrace("import", "--store", str(seeded_store), str(binary))
    assert result.returncode == 2 and result.stderr_text.startswith(f"{binary}:2: expected text")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(seed_text.encode("gb18030"))
    result = run_goaltrace("import", "--store", str(seeded_store), str(gbk))
    assert result.returncode == 2
    assert result.stderr_text.startswith(f"{gbk}:3: expected utf-8 text")
    assert "--encoding gb18030" in result.stderr_text
    assert dump(seeded_store) == before
    # …and the hint works: the same file read as GB18030 imports as the seed
    result = run_goaltrace("import", "--encoding", "gb18030", str(gbk))
    assert result.returncode == 0 and "65 indicators" in result.stdout_text


def test_one_bad_file_in_a_batch_writes_nothing(tmp_path, seed_path, seed_text):
    store = tmp_path / "store"
    other = tmp_path / "other-2024.txt"
    other.write_text(seed_text.replace("预算年度:2023", "预算年度:2024"), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(_edit(seed_text, 42, "800件\t20", "800件\t二十"), encoding="utf-8")
    result = run_goaltrace("import", "--store", str(store), str(seed_path), str(other), str(bad))
    assert result.returncode == 2 and result.stderr_text.startswith(f"{bad}:42:")
    rows = run_goaltrace("export", "indicators", "--format", "json", "--store", str(store), check=True).stdout_text
    assert json.loads(rows) == []


def test_one_form_in_two_files_is_refused(tmp_path, seed_path, seed_text):
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_text, encoding="utf-8")
    result = run_goaltrace("import", "--store", str(tmp_path / "s"), str(seed_path), str(copy))
    assert result.returncode == 2
    assert result.stderr_text.startswith(
        f"{copy}:3: expected each form of 秀山土家族苗族自治县司法局 2023 in one file, found 部门整体支出绩效目标 "
        f"in this file and in {seed_path}")
    assert not (tmp_path / "s").exists() or _indicator_rows(tmp_path / "s") == []


def _indicator_rows(store) -> list[dict]:
    """The exported indicators, in an order that does not depend on which file held which form."""
    out = run_goaltrace("export", "indicators", "--format", "json", "--store", str(store), check=True).stdout_text
    return sorted(json.loads(out), key=lambda row: json.dumps(row, ensure_ascii=False))


def test_a_unit_publishing_its_department_form_and_its_projects_apart(tmp_path, seed_path, seed_text):
    """Some units publish the department-wide form and the project forms as two documents of
    the same year: together they are one declaration, and importing one of them again
    replaces what came from that file only."""
    lines = seed_text.splitlines(keepends=True)
    first_project = next(n for n, line in enumerate(lines) if "特定目标类项目绩效目标表" in line)
    department = tmp_path / "department.txt"
    department.write_text("".join(lines[:first_project]), encoding="utf-8")
    projects = tmp_path / "projects.txt"  # the unit and year stated above the project forms
    projects.write_text("".join(line for line in lines[:first_project] if line.startswith(("预算年度", "预算（单位）名称")))
                        + "".join(lines[first_project:]), encoding="utf-8")
    whole = tmp_path / "whole"
    run_goaltrace("import", "--store", str(whole), str(seed_path), check=True)
    expected = _indicator_rows(whole)
    store = tmp_path / "apart"
    result = run_goaltrace("import", "--store", str(store), str(department), str(projects), check=True)
    assert "imported 1 declarations from 2 files" in result.stdout_text
    assert _indicator_rows(store) == expected
    run_goaltrace("import", "--store", str(store), str(department), check=True)
    assert _indicator_rows(store) == expected  # the project forms from the other file stay
    projects.write_text(projects.read_text(encoding="utf-8").replace("法律援助", "法律援助服务"), encoding="utf-8")
    run_goaltrace("import", "--store", str(store), str(projects), check=True)
    names = {row["project"] for row in _indicator_rows(store)}
    assert "法律援助服务" in names and "法律援助" not in names  # a file read again replaces what it gave before
    assert len(_indicator_rows(store)) == len(expected)


def test_missing_file_and_file_as_store(tmp_path, seed_path):
    result = run_goaltrace("import", "--store", str(tmp_path / "s"), str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and result.stderr_text.strip() == f"{tmp_path / 'nope.txt'}:1: expected a readable file, found no such file"
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    result = run_goaltrace("import", "--store", str(not_a_dir), str(seed_path))
    assert result.returncode == 1 and "expected a store directory, found a file" in result.stderr_text


def test_file_cut_inside_a_character_is_reported_as_truncated(tmp_path, seed_text):
    data = seed_text.encode("utf-8")
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:3000])
    assert data[:3000].decode("utf-8", errors="replace").endswith("\ufffd")  # really cut mid-character
    result = run_goaltrace("import", str(path))
    assert result.returncode == 2
    lines = data[:3000].decode("utf-8", errors="replace").splitlines()
    table = max(n for n, line in enumerate(lines, 1) if line.startswith("2023年特定目标类项目绩效目标表"))
    # the cut is on the last line read, inside the project table whose title came last
    assert result.stderr_text.startswith(f"{path}:{len(lines)}: the form ends too early, before its indicator table "
                                         f"(the project table at line {table})"), result.stderr_text
    assert "not utf-8" not in result.stderr_text


def test_a_directory_is_read_with_its_subdirectories_in_name_order(tmp_path, seed_path):
    """Supported files at any depth, in name order; hidden folders and other files passed over;
    --no-recursive (recursive=False) reads the directory's own files only."""
    from goaltrace.ingest.importing import expand

    root = tmp_path / "corpus"
    for place in ("b/2023", "a", ".git"):
        (root / place).mkdir(parents=True)
    for place in ("b/2023/z.txt", "a/y.txt", "x.txt", ".git/hidden.txt"):
        (root / place).write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "a" / "notes.md").write_text("not a form", encoding="utf-8")
    assert expand([str(root)]) == [str(root / p) for p in ("a/y.txt", "b/2023/z.txt", "x.txt")]
    assert expand([str(root)], recursive=False) == [str(root / "x.txt")]


def test_export_and_validate_choose_one_declaration_and_export_graph_writes_a_file(seeded_store, tmp_path):
    from click.testing import CliRunner

    from goaltrace.cli import main

    runner = CliRunner()
    store = ["--store", str(seeded_store)]
    chosen = runner.invoke(main, ["export", "indicators", "--format", "json", "--department", "司法局", "--year", "2023", *store])
    assert chosen.exit_code == 0 and len(json.loads(chosen.output)) == 65
    graph = tmp_path / "one.trig"
    written = runner.invoke(main, ["export", "graph", "-o", str(graph), "--department", "司法局", *store])
    assert written.exit_code == 0 and written.output == "" and FORM_GRAPH + "department" in graph.read_text(encoding="utf-8")
    for command in (["export", "funds"], ["export", "graph"], ["validate", "--no-cache"]):
        none = runner.invoke(main, [*command, "--year", "2022", *store])
        assert (none.exit_code, none.output) == (2, "goaltrace: no declaration matches department=None year=2022\n")


def test_store_help_says_what_each_command_does_to_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from goaltrace.cli import main

    runner = CliRunner()
    assert "created if missing" in " ".join(runner.invoke(main, ["import", "--help"]).output.split())
    for command in ("query", "validate", "history", "export indicators", "repair"):
        shown = " ".join(runner.invoke(main, [*command.split(), "--help"]).output.split())
        assert "a missing one is an error, never created" in shown, command
        missing = runner.invoke(main, [*command.split(), *(["ASK{}"] if command == "query" else []),
                                       "--store", str(tmp_path / "none")])
        assert missing.exit_code == 1 and "no store here" in missing.output, command
    assert not (tmp_path / "none").exists()
