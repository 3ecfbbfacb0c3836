"""The vocabulary a query is written in (本体词汇): the prefixes every query may use without
declaring them, and the classes, properties, concept schemes and concepts of the ontology and
the framework, each with its Chinese and English label, read from the store by a named query
(``vocabulary-terms``) so that what the query page offers is what the store holds."""

import re

from ..graph.namespaces import PREFIXES
from .named import Reader

KINDS = ("class", "property", "scheme", "concept")  # the order terms are listed in


def prefixes() -> list[dict[str, str]]:
    """The predeclared prefixes, as /sparql and `goaltrace query` declare them."""
    return [{"prefix": name, "iri": iri} for name, iri in PREFIXES.items()]


# A local name that SPARQL reads as written (a simplification of PN_LOCAL: no escapes or %).
_LOCAL_NAME = re.compile(r"[\w:-](?:[\w.:-]*[\w:-])?|")


def prefixed_name(iri: str) -> str | None:
    """``gt:Indicator`` for the IRI of gt:Indicator, with the longest predeclared namespace
    the IRI starts with; None when none does, or when the rest is no plain local name."""
    found = [(name, namespace) for name, namespace in PREFIXES.items() if iri.startswith(namespace)]
    if not found:
        return None
    prefix, namespace = max(found, key=lambda pair: len(pair[1]))
    local = iri[len(namespace):]
    return f"{prefix}:{local}" if _LOCAL_NAME.fullmatch(local) else None


def terms(reader: Reader) -> list[dict[str, str]]:
    """Every term of the vocabulary: ``iri``, ``name`` (its prefixed name, or the IRI in angle
    brackets), ``kind`` (one of `KINDS`), ``zh`` and ``en`` (its labels, empty when it has none);
    classes first, then properties, schemes and concepts, each by name."""
    found: dict[str, dict[str, str]] = {}
    for row in reader.run("vocabulary-terms"):
        iri = row["term"].value
        if iri in found:  # declared as two kinds: the first in KINDS wins
            if KINDS.index(row["kind"].value) >= KINDS.index(found[iri]["kind"]):
                continue
        found[iri] = {"iri": iri, "name": prefixed_name(iri) or f"<{iri}>", "kind": row["kind"].value,
                      "zh": row["zh"].value if "zh" in row else "", "en": row["en"].value if "en" in row else ""}
    return sorted(found.values(), key=lambda t: (KINDS.index(t["kind"]), t["name"].lower()))


def vocabulary(reader: Reader) -> dict:
    """What the query page completes and lists: ``{"prefixes": [...], "terms": [...]}``."""
    return {"prefixes": prefixes(), "terms": terms(reader)}
