"""Traceability on the Xiushan 2023 declaration: the answers, written out by hand."""

import json

import pytest

from conftest import SEED, run_goaltrace
from goaltrace.answers import trace
from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files, open_store

GOAL3 = "积极开展“标准化”司法所建设和“智慧矫正中心”建设"


@pytest.fixture(scope="module")
def bundled():
    store = open_store(None)
    return store, trace.resolve(store)


def projects(answer, basis=None):
    return [p["name"] for p in answer["projects"] if basis is None or p["basis"] == basis]


def test_goal_3_declared_and_curated(bundled):
    store, declaration = bundled
    answer = trace.goal_projects(store, declaration, 3)
    assert answer["goal"] == {"number": 3, "text": GOAL3,
                              "iri": "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/goal/3"}
    assert projects(answer, "declared") == ["转移支付资金"]
    assert sorted(projects(answer, "curated")) == ["社区矫正对象管理费", "社区矫正社会工作者工作经费"]
    assert projects(answer, "suggested") == []
    transfer = answer["projects"][0]
    assert transfer["justification"] == "目标3：" + GOAL3  # the words of the form that make the link
    assert transfer["shared"] and transfer["goals"] == [1, 2, 3] and transfer["funds"] == 385
    workers = next(p for p in answer["projects"] if p["name"] == "社区矫正社会工作者工作经费")
    assert "智慧矫正中心" in workers["justification"] and "smart correction centre" in workers["justification_en"]
    assert workers["funds"] == 121.5 and not workers["shared"]
    assert [i["name"] for i in workers["indicators"]][:2] == ["招聘社区矫正社会工作者服务数量", "协助司法所管理社区矫正对象"]
    assert workers["indicators"][1]["delivers"] == ["管理社区矫正对象数量"]
    assert answer["funds"] == {"exclusive": 141.3, "shared": 385}


def test_goals_1_and_2(bundled):
    store, declaration = bundled
    one = trace.goal_projects(store, declaration, 1)
    assert projects(one, "declared") == ["转移支付资金"]
    assert sorted(projects(one, "curated")) == ["县人民政府法律顾问团工作经费", "普法宣传"]
    two = trace.goal_projects(store, declaration, 2)
    assert sorted(projects(two, "curated")) == ["人民调解", "公证处业务经费", "普法宣传", "法律援助"]
    # a weak textual overlap is offered as a candidate with its evidence, never as a fact
    suggested = [p for p in two["projects"] if p["basis"] == "suggested"]
    assert [p["name"] for p in suggested] == ["县人民政府法律顾问团工作经费"]
    assert "法治" in suggested[0]["justification"]


def test_funds_per_goal_count_shared_projects_once(bundled):
    store, declaration = bundled
    goals = trace.goals(store, declaration)
    assert [(g["number"], g["funds"]) for g in goals] == [
        (1, {"exclusive": 25, "shared": 425}),      # 顾问团 25 | 普法 40 + 转移支付 385
        (2, {"exclusive": 52, "shared": 425}),      # 法律援助 20 + 人民调解 12 + 公证 20 | 普法 + 转移支付
        (3, {"exclusive": 141.3, "shared": 385}),   # 社区矫正 19.8 + 121.5 | 转移支付
    ]
    assert [g["projects"] for g in goals] == [{"declared": 1, "curated": 2}, {"declared": 1, "curated": 4}, {"declared": 1, "curated": 2}]
    # every project linked to some goal, each counted once: the 643.3 万元 the seed's eight project
    # tables hold (684.41 万元 of declared project spending, less the 41.11 no table accounts for)
    linked = {p["iri"]: p["funds"] for g in goals for p in trace.goal_projects(store, declaration, g["number"])["projects"]
              if p["basis"] != "suggested"}
    assert len(linked) == 8 and round(sum(linked.values()), 2) == 643.3
    from goaltrace.query.named import named_query

    shared = {int(r["goalNumber"].value): r["shared_projects"].value for r in store.select(named_query("funds-per-goal").text)}
    assert shared == {1: "普法宣传, 转移支付资金", 2: "普法宣传, 转移支付资金", 3: "转移支付资金"}


def test_without_alignment_only_declared_links_and_suggestions(seed_path):
    store = Store.open(MEMORY)
    import_files(store, [str(seed_path)])
    declaration = trace.resolve(store)
    answer = trace.goal_projects(store, declaration, 1)
    assert projects(answer, "declared") == ["转移支付资金"]
    suggested = [p for p in answer["projects"] if p["basis"] == "suggested"]
    assert [p["name"] for p in suggested] == ["县人民政府法律顾问团工作经费"]
    assert suggested[0]["justification"] == "年度目标与该目标共有词语：法治政府"
    assert answer["funds"] == {"exclusive": 0, "shared": 385}  # suggestions add no money


def test_shared_terms_ignore_general_words():
    assert trace.shared_terms("积极开展公证员进社区活动", "积极开展标准化司法所建设") == []
    assert trace.shared_terms("加快推进法治政府建设", "全力推动法治政府示范县创建") == ["法治政府"]


def test_cli_trace_equals_the_api(server):
    cli = json.loads(run_goaltrace("trace", "goal", "3", "--format", "json", check=True).stdout_text)
    status, headers, body = server.get("/api/goals/3/projects")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == cli
    assert {p["basis"] for p in cli["projects"]} == {"declared", "curated"}


def test_cli_trace_formats_and_errors():
    text = run_goaltrace("trace", "goal", "3", check=True).stdout_text
    assert "[申报 declared] 转移支付资金 · 385 万元 · 共享 shared by goals 1, 2, 3" in text
    assert "[审定 curated] 社区矫正对象管理费 · 19.8 万元" in text
    markdown = run_goaltrace("trace", "goal", "3", "--format", "markdown", check=True).stdout_text
    assert "| 审定 curated | 社区矫正社会工作者工作经费 | 121.5 |" in markdown
    html = run_goaltrace("trace", "goal", "3", "--format", "html", check=True).stdout_text
    assert html.startswith("<!doctype html>") and "<link" not in html and "basis-declared" in html
    missing = run_goaltrace("trace", "goal", "9")
    assert missing.returncode == 2 and "has no goal 9 (its goals: 1, 2, 3)" in missing.stderr_text


def test_several_declarations_need_a_choice(tmp_path, seed_path, seed_text):
    store = tmp_path / "store"
    other = tmp_path / "2024.txt"
    other.write_text(seed_text.replace("预算年度:2023", "预算年度:2024"), encoding="utf-8")
    run_goaltrace("import", "--store", str(store), str(seed_path), str(other), check=True)
    result = run_goaltrace("trace", "goal", "3", "--store", str(store))
    assert result.returncode == 2 and "2 declarations match" in result.stderr_text
    chosen = run_goaltrace("trace", "goal", "3", "--year", "2024", "--format", "json", "--store", str(store), check=True)
    assert json.loads(chosen.stdout_text)["declaration"]["year"] == 2024


def test_alignment_import_errors(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix gt: <https://w3id.org/goaltrace/ontology#> .\n<http://x/a> a gt:Alignment\n<http://x/b> <http://x/c> <http://x/d> .\n", encoding="utf-8")
    result = run_goaltrace("import", "--store", str(tmp_path / "s"), str(broken))
    assert result.returncode == 2 and result.stderr_text.startswith(f"{broken}:3: expected valid Turtle")
    none = tmp_path / "none.ttl"
    none.write_text("<http://x/a> <http://x/b> <http://x/c> .\n", encoding="utf-8")
    result = run_goaltrace("import", "--store", str(tmp_path / "s"), str(none))
    assert result.returncode == 2 and "expected exactly one gt:Alignment" in result.stderr_text


def test_named_queries_have_titles_and_run(bundled):
    from goaltrace.query.named import named_queries

    store, _ = bundled
    queries = named_queries()
    assert {"projects-per-goal", "goal-projects-indicators", "funds-per-goal", "department-indicator-delivery",
            "indicators-lacking-unit-or-number", "projects-lacking-benefit-or-satisfaction",
            "responsible-person-projects", "coverage-per-form", "indicators", "funds"} <= set(queries)
    for q in queries.values():
        assert q.title and q.description, q.name
    people = {(r["person"].value, r["project"].value) for r in store.select(queries["responsible-person-projects"].text)}
    assert {p for p, project in people if project in ("法律援助", "普法宣传", "公证处业务经费")} == {"杨立业"}
    lacking = {(r["project"].value, r["lacks"].value[:4]) for r in store.select(queries["projects-lacking-benefit-or-satisfaction"].text)}
    assert lacking == {("人民调解", "效益指标"), ("公证处业务经费", "效益指标"), ("县人民政府法律顾问团工作经费", "效益指标"),
                       ("社区矫正对象管理费", "效益指标"), ("社区矫正对象管理费", "满意度指"), ("社区矫正社会工作者工作经费", "效益指标")}
    delivery = store.select(queries["department-indicator-delivery"].text)
    assert sum(1 for r in delivery if r["project"].value) == 23


def test_department_indicators_delivered_with_basis(bundled, seed_path):
    store, declaration = bundled
    links = {d["name"]: d for d in trace.indicator_links(store, declaration)}
    assert len(links) == 11
    mediation = links["支持人民调解案件数量"]["delivered_by"]
    assert [(p["project"], p["name"], p["basis"]) for p in mediation] == [
        ("人民调解", "审核、发放人民调解补贴案件数量", "curated"), ("人民调解", "排查化解矛盾纠纷案件", "curated"),
        ("转移支付资金", "支持人民调解案件数量", "curated")]
    assert sum(len(d["delivered_by"]) for d in links.values()) == 23
    # with the forms alone, identical indicators are suggested, with their evidence, never linked
    forms_only = Store.open(MEMORY)
    import_files(forms_only, [str(seed_path)])
    suggested = {d["name"]: d["delivered_by"] for d in trace.indicator_links(forms_only, trace.resolve(forms_only))}
    people = suggested["管理社区矫正对象数量"]
    assert [(p["project"], p["basis"]) for p in people] == [("社区矫正对象管理费", "suggested"), ("转移支付资金", "suggested")]
    assert people[0]["evidence"] == ["same name", "same value 300", "same unit (人)", "same level 2 (数量指标)"]  # 名 = 人
    assert people[0]["justification"] == "名称相同；指标值同为300；单位相同（人）；同属数量指标"
    loss = suggested["法律援助挽回经济损失"]
    assert [(p["project"], p["name"]) for p in loss] == [("法律援助", "挽回经济损失"), ("转移支付资金", "法律援助挽回经济损失")]
    assert "one name contains the other" in loss[0]["evidence"] and "same unit (万元)" not in loss[0]["evidence"]  # 万 ≠ 万元
    assert not bool(forms_only.query("ASK { ?p gt:deliversIndicator ?d }"))  # suggestions are never stored as links


def test_trace_indicators_cli_equals_the_api(server):
    cli = json.loads(run_goaltrace("trace", "indicators", "--format", "json", check=True).stdout_text)
    status, _, body = server.get("/api/department-indicators")
    assert status == 200 and json.loads(body) == cli
    text = run_goaltrace("trace", "indicators", check=True).stdout_text
    assert "[审定 curated] 人民调解 · 排查化解矛盾纠纷案件 ≥ 4500件" in text


def test_funds_per_dimension_share_each_table_by_its_weights(bundled):
    """Worked out from the exported tables: each project's total split by its indicators' weights."""
    from goaltrace.answers import exporting
    from goaltrace.query.named import named_queries

    store, _ = bundled
    totals = {r["project"]: float(r["amount"]) for r in exporting.rows(store, "funds")
              if r["project"] and r["kind_en"] == "a project's annual funds"}
    weights: dict[str, dict[str, float]] = {}
    for r in exporting.rows(store, "indicators"):
        if r["project"] and r["weight"]:
            per = weights.setdefault(r["project"], {})
            per[r["level1"]] = per.get(r["level1"], 0) + float(r["weight"])
    expected: dict[str, float] = {}
    for project, per in weights.items():
        for level1, weight in per.items():
            expected[level1] = expected.get(level1, 0) + totals[project] * weight / sum(per.values())
    rows = store.select(named_queries()["funds-per-dimension"].text)
    got = {r["dimension"].value: float(r["funds"].value) for r in rows}
    assert got == {k: round(v, 2) for k, v in expected.items()}
    assert round(sum(got.values()), 2) == 643.3  # the eight project tables, counted once


def test_a_full_name_picks_its_unit_even_inside_a_longer_name(seed_text, tmp_path):
    store = Store.open(MEMORY)
    branch = tmp_path / "branch.txt"
    branch.write_text(seed_text.replace("秀山土家族苗族自治县司法局", "秀山土家族苗族自治县司法局第二分局"), encoding="utf-8")
    import_files(store, [str(SEED), str(branch)])
    assert trace.resolve(store, "秀山土家族苗族自治县司法局", 2023).department == "秀山土家族苗族自治县司法局"
    assert trace.resolve(store, "第二分局").department == "秀山土家族苗族自治县司法局第二分局"
    with pytest.raises(trace.TraceError, match="2 declarations match"):
        trace.resolve(store, "秀山")
