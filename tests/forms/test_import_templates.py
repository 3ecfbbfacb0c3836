"""Forms of other templates through the command line, as a user meets them: a file of project
forms only, a cut text with and without --partial, --explain, an unknown template, --year.
Expectations are read off the fixture texts by hand."""

import csv
import io
import json

from conftest import run_goaltrace

REAL = __import__("pathlib").Path(__file__).parents[1] / "fixtures" / "real"
YUEYANG = REAL / "agri" / "hunan-yueyang-hbt-2022.txt"  # one project form, one cell per line, complete
LUAN = REAL / "agri" / "anhui-luan-ncpzj-2024.txt"  # 中期 and 年度 side by side, cut mid-row at line 26


def _indicators(store) -> list[dict]:
    out = run_goaltrace("export", "indicators", "--format", "csv", "--store", str(store), check=True).stdout_text
    return list(csv.DictReader(io.StringIO(out)))


def test_a_file_of_one_project_form_imports(tmp_path):
    store = tmp_path / "store"
    result = run_goaltrace("import", "--store", str(store), str(YUEYANG))
    assert result.returncode == 0, result.stderr_text
    assert "岳阳县农业农村局 2022 — 1 forms, 12 indicators" in result.stdout_text
    rows = _indicators(store)
    road = next(r for r in rows if r["indicator"] == "脱贫村村内道路硬化里程")
    assert (road["project"], road["term"], road["level1"], road["level2"], road["comparator"], road["value"], road["unit"]) == (
        "岳阳县2022年高标准农田建设项目", "annual", "产出指标", "数量指标", ">=", "100", "公里")
    funds = json.loads(run_goaltrace("export", "funds", "--format", "json", "--store", str(store), check=True).stdout_text)
    assert [(f["kind"], f["amount"], f["appropriation"]) for f in funds] == [("项目年度资金", 854, 854)]
    # the page's own furniture is kept, not dropped: 来源 and 浏览量 lines
    turtle = run_goaltrace("export", "graph", "--format", "turtle", "--store", str(store), check=True).stdout_text
    assert "来源:岳阳县农业农村局" in turtle and "UnmappedCell" in turtle


def test_a_cut_form_is_refused_and_the_store_unchanged(tmp_path):
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(YUEYANG), check=True)
    before = _indicators(store)
    result = run_goaltrace("import", "--store", str(store), str(LUAN))
    assert result.returncode == 2
    assert result.stderr_text.startswith(f"{LUAN}:26: the form ends inside its indicator table")
    assert "--partial" in result.stderr_text
    assert _indicators(store) == before


def test_partial_imports_up_to_the_cut_marked_incomplete_and_validate_reports_it(tmp_path):
    store = tmp_path / "store"
    result = run_goaltrace("import", "--partial", "--store", str(store), str(LUAN))
    assert result.returncode == 0, result.stderr_text
    assert "incomplete: the text stops at line 26" in result.stdout_text
    rows = _indicators(store)
    assert len(rows) == 14  # seven rows before the cut, each with a 中期 and a 年度 target
    assert sorted({r["term"] for r in rows}) == ["annual", "long-term"]
    timely = [r for r in rows if r["indicator"] == "检测及时率"]
    assert sorted((r["term"], r["comparator"], r["value"], r["unit"]) for r in timely) == [
        ("annual", "<=", "7", "工作日"), ("long-term", "<=", "7", "工作日")]
    report = run_goaltrace("validate", "--format", "json", "--no-cache", "--store", str(store))
    findings = json.loads(report.stdout_text)["results"]
    cut = [f for f in findings if f["rule"] == "declaration-incomplete"]
    assert len(cut) == 1 and "line 26" in cut[0]["message"] and report.returncode == 1


def test_explain_shows_how_each_line_was_read(tmp_path):
    result = run_goaltrace("import", "--explain", "--partial", str(LUAN))
    assert result.returncode == 0, result.stderr_text
    out = result.stdout_text
    assert "indicator table header (one row); columns after the name: 指标值" in out
    assert "label 主管部门及代码 → supervising_unit" in out
    assert "level name: 产出指标" in out and "indicator: 鉴定校准实验室仪器" in out
    assert "the text stops here: the form is imported as incomplete" in out
    assert not (tmp_path / "store").exists()


def test_an_unknown_template_says_what_was_recognised_and_what_is_missing(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("某县农业局2023年项目支出绩效目标表\n项目名称\t示例项目\n"
                    "一级指标\t二级指标\t三级指标\t考核方式\n产出指标\t数量指标\t示例\t抽查\n", encoding="utf-8")
    result = run_goaltrace("import", str(path))
    assert result.returncode == 2
    assert result.stderr_text.startswith(f"{path}:3: ")
    assert "indicator table at line 3 with no column for the target value (指标值)" in result.stderr_text
    assert "一级指标 | 二级指标 | 三级指标 | 考核方式" in result.stderr_text


def test_a_form_with_no_year_asks_for_one_and_takes_it(tmp_path):
    text = YUEYANG.read_text(encoding="utf-8").replace("(2022年度)", "").replace("2022-05-16", "")
    path = tmp_path / "no-year.txt"
    path.write_text(text, encoding="utf-8")
    result = run_goaltrace("import", str(path))
    assert result.returncode == 2 and "give it with --year" in result.stderr_text
    result = run_goaltrace("import", "--year", "2022", str(path))
    assert result.returncode == 0, result.stderr_text
    assert "岳阳县农业农村局 2022" in result.stdout_text
