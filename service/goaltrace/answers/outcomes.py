"""Outcomes: what year-end self-evaluations report, tied back to the targets declared.

An outcome reports on the declared indicator of the same unit, year and project that has the
same name: that link is stated by the forms themselves and written into the graph
(`gt:reportsOn`, in the self-evaluation's links graph, redone whenever either side is
imported). Where the wording differs, a link is only suggested, with the terms the two names
share, and never stored. Whether a target was met is judged when the self-evaluation is read
(`goaltrace.domain.achievement`); achievement per project and per goal follows the trace links.
"""

import pyoxigraph as ox

from ..query.named import Reader
from .trace import shared_terms

REPORTS_ON = ox.NamedNode("https://w3id.org/goaltrace/ontology#reportsOn")


def links_graph(evaluation: str) -> str:
    return f"{evaluation}/links"


def link(store, evaluations: list[str], declarations: list[str] = ()):
    """Write the outcome links of these self-evaluations, and of those of these declarations'
    units and years, each into its own links graph (replaced, so a re-import never leaves a
    stale link)."""
    chosen = set(evaluations)
    if not chosen and not store.run("any-self-evaluation"):  # no outcome to link: ask nothing per declaration
        return
    for declaration in declarations:
        chosen |= {r["evaluation"].value for r in store.run("evaluations-of-declaration", {"declaration": ox.NamedNode(declaration)})}
    for evaluation in sorted(chosen):
        rows = store.run("outcome-targets", {"evaluation": ox.NamedNode(evaluation)})
        declarations = {r["declaration"].value for r in rows}
        if len(declarations) > 1:  # the unit's name fits several declarations: no link is certain
            rows = []
        triples = sorted({ox.Triple(r["outcome"], REPORTS_ON, r["indicator"]) for r in rows}, key=str)
        store.replace_graph(links_graph(evaluation), triples)


def suggestions(outcome_name: str, declared: list[dict]) -> list[dict]:
    """Declared indicators whose names are close to an outcome's but not the same, with the
    terms they share: shown, never stored."""
    found = []
    for indicator in declared:
        if indicator["name"] == outcome_name:
            continue
        terms = shared_terms(outcome_name, indicator["name"])
        if any(len(t) >= 3 for t in terms) or len(terms) >= 2:
            found.append({**indicator, "evidence": terms})
    return found


def review(reader: Reader, declaration: str) -> list[dict]:
    """For each self-evaluation that reports on a declaration: the outcomes linked to a declared
    target, those only suggested (with the terms the names share), those with no declared
    target, and the declared targets no outcome reports on."""
    node = ox.NamedNode(declaration)
    declared = [{"iri": r["i"].value, "name": r["name"].value, "project": r["project"].value if "project" in r else ""}
                for r in reader.run("declaration-indicators", {"declaration": node})]
    found = []
    for evaluation in sorted(r["evaluation"].value for r in reader.run("evaluations-of-declaration", {"declaration": node})):
        outcomes = reader.run("outcomes", {"form": ox.NamedNode(evaluation)})
        table = [{k: v.value for k, v in r.items()} for r in outcomes]
        project = table[0]["project"] if table else ""
        candidates = [d for d in declared if d["project"] == project]
        reported = {row.get("target_indicator") for row in table}
        linked = [row for row in table if row.get("target_indicator")]
        unmatched = [row for row in table if not row.get("target_indicator")]
        found.append({
            "evaluation": evaluation,
            "project": project or None,
            "linked": [{"outcome": r["o"], "indicator": r["indicator"], "declared": r["target_indicator"], "met": r["met"]}
                       for r in linked],
            "suggested": [{"outcome": r["o"], "indicator": r["indicator"], "declared": s["iri"], "declared_name": s["name"],
                           "evidence": s["evidence"]}
                          for r in unmatched for s in suggestions(r["indicator"], [c for c in candidates if c["iri"] not in reported])],
            "without_target": [{"outcome": r["o"], "indicator": r["indicator"]} for r in unmatched],
            "without_outcome": [{"declared": c["iri"], "indicator": c["name"]} for c in candidates if c["iri"] not in reported],
        })
    return found
