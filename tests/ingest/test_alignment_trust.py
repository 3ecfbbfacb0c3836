"""Alignments add qualified links and nothing else: what a form declares cannot be changed by
a Turtle file, and no link enters the graph without its basis, justification and author."""

import json

import pytest

from conftest import run_goaltrace

DECLARATION = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023"
HEADER = f"""@base <{DECLARATION}/> .
@prefix gt:   <https://w3id.org/goaltrace/ontology#> .
@prefix gtf:  <https://w3id.org/goaltrace/framework/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<alignment/review> a gt:Alignment ;
    rdfs:label "复核"@zh ;
    gt:alignsDeclaration <../2023> ;
    prov:wasAttributedTo <https://w3id.org/goaltrace/id/agent/reviewer> .
<https://w3id.org/goaltrace/id/agent/reviewer> a prov:Agent ; rdfs:label "复核人"@zh .
"""
LINK = """<project/法律援助> gt:qualifiedContribution <project/法律援助/supports/goal-3/review> .
<project/法律援助/supports/goal-3/review> a gt:GoalContribution ;
    gt:goal <goal/3> ;
    gt:basis gtf:basis-curated ;
    gt:justification "法律援助是公共法律服务的组成部分。"@zh , "Legal aid is part of public legal services."@en ;
    prov:wasAttributedTo <https://w3id.org/goaltrace/id/agent/reviewer> .
"""


@pytest.fixture
def store(tmp_path, seed_path):
    location = tmp_path / "store"
    run_goaltrace("import", "--store", str(location), str(seed_path), check=True)
    return str(location)


def snapshot(store: str) -> list[str]:
    return sorted(run_goaltrace("export", "graph", "--store", store, "--format", "nquads", check=True).stdout_text.splitlines())


def goal_3_projects(store: str) -> dict[str, str]:
    answer = json.loads(run_goaltrace("trace", "goal", "3", "--format", "json", "--store", store, check=True).stdout_text)
    return {p["name"]: p["basis"] for p in answer["projects"]}


REFUSED = [
    ("a bare shortcut", "<project/法律援助> gt:supportsGoal <goal/3> .\n", "gt:supportsGoal is derived by goaltrace"),
    ("a second label on a project", '<project/法律援助> rdfs:label "另一个名字"@zh .\n', "adds qualified links and nothing else"),
    ("a second text on a goal", '<goal/3> gt:goalText "另一个目标"@zh .\n', "adds qualified links and nothing else"),
    ("a link without its author", LINK.replace("    prov:wasAttributedTo <https://w3id.org/goaltrace/id/agent/reviewer> .\n", "").replace("Legal aid is part of public legal services.\"@en ;", "Legal aid is part of public legal services.\"@en ."),
     "lacks an attribution"),
    ("a link to a goal the declaration lacks", LINK.replace("<goal/3>", "<goal/9>"), "goal/9 does not exist in the declaration"),
    ("a link claimed as declared", LINK.replace("gtf:basis-curated", "gtf:basis-declared"), "has the curated basis"),
    ("a project relabelled as an agent", '<project/法律援助> a prov:Agent ; rdfs:label "某某"@zh .\n', "an agent is described by its type and label only"),
]


@pytest.mark.parametrize("name, body, reason", REFUSED, ids=[r[0] for r in REFUSED])
def test_what_is_not_a_qualified_link_is_refused_and_the_store_is_unchanged(tmp_path, store, name, body, reason):
    before = snapshot(store)
    alignment = tmp_path / "review.ttl"
    alignment.write_text(HEADER + body, encoding="utf-8")
    result = run_goaltrace("import", "--store", store, str(alignment))
    assert result.returncode == 2, result.stderr_text
    assert reason in result.stderr_text, result.stderr_text
    line = int(result.stderr_text.split(":")[1])  # FILE:LINE: the line of the offending triple
    assert line > HEADER.count("\n"), result.stderr_text
    assert snapshot(store) == before
    assert "法律援助" not in goal_3_projects(store)


def test_a_qualified_link_goes_in_with_its_shortcut_derived(tmp_path, store):
    alignment = tmp_path / "review.ttl"
    alignment.write_text(HEADER + LINK, encoding="utf-8")
    run_goaltrace("import", "--store", store, str(alignment), check=True)
    assert goal_3_projects(store)["法律援助"] == "curated"
    shortcut = run_goaltrace("query", "--store", store, "--format", "csv",
                             f"SELECT ?g WHERE {{ GRAPH ?g {{ <{DECLARATION}/project/法律援助> gt:supportsGoal <{DECLARATION}/goal/3> }} }}",
                             check=True).stdout_text
    assert f"{DECLARATION}/alignment/review" in shortcut  # derived into the alignment's own graph
    report = json.loads(run_goaltrace("validate", "--store", store, "--format", "json").stdout_text)
    assert report["results"] and not [f for f in report["results"] if f["rule"] in ("shortcut-has-its-link", "curated-link-attributed")]
