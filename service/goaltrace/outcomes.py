"""Outcomes: what year-end self-evaluations report, tied back to the targets declared.

An outcome reports on the declared indicator of the same unit, year and project that has the
same name: that link is stated by the forms themselves and written into the graph
(`gt:reportsOn`, in the self-evaluation's links graph, redone whenever either side is
imported). Where the wording differs, a link is only suggested, with the terms the two names
share, and never stored. Whether a target was met is judged when the self-evaluation is read
(`goaltrace.achievement`); achievement per project and per goal follows the trace links.
"""

import pyoxigraph as ox

from .trace import shared_terms

REPORTS_ON = ox.NamedNode("https://w3id.org/goaltrace/ontology#reportsOn")


def links_graph(evaluation: str) -> str:
    return f"{evaluation}/links"


def link(store, evaluations: list[str], declarations: list[str] = ()):
    """Write the outcome links of these self-evaluations, and of those of these declarations'
    units and years, each into its own links graph (replaced, so a re-import never leaves a
    stale link)."""
    chosen = set(evaluations)
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
