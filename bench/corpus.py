"""A small benchmark corpus: the seed declared again by N different units.

(A generator with realistic variety across the whole catalogue belongs to the scale work;
copies of the real seed are enough to measure how validation cost grows with the number of
forms.)"""

from goaltrace import resources
from goaltrace.forms import parse_declaration
from goaltrace.graph.mapper import map_declaration
from goaltrace.graph.store import MEMORY, Store


def seed_text() -> str:
    return resources.bundled_forms()[0].read_text(encoding="utf-8")


def corpus_store(declarations: int) -> Store:
    """An in-memory store holding `declarations` copies of the seed, each a distinct unit."""
    text = seed_text()
    store = Store.open(MEMORY)
    mapped = []
    for n in range(declarations):
        copy = text.replace("秀山土家族苗族自治县司法局", f"基准县{n:05d}司法局")
        mapped.append(map_declaration(parse_declaration(copy, f"bench-{n}.txt")))
    store.replace(mapped)
    return store
