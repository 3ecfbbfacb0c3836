"""The importer under fuzzing: mutated seeds either import or fail with FILE:LINE, never with a
traceback, and a failure leaves the store byte-for-byte as it was.

Bounded for CI (HYPOTHESIS_PROFILE=long runs many more examples by hand)."""

import os
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from goaltrace.forms import FormError
from goaltrace.graph.store import MEMORY, Store
from goaltrace.importing import import_files

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEED = (__import__("conftest").SEED).read_text(encoding="utf-8")
LINES = SEED.split("\n")


def attempt(tmp_path, data: bytes):
    """Import the bytes into a store holding the seed; check the outcome is one of the two allowed."""
    store = Store.open(MEMORY)
    import_files(store, [str(__import__("conftest").SEED)])
    before = sorted(str(q) for q in store.quads())
    path = tmp_path / "mutant.txt"
    path.write_bytes(data)
    try:
        import_files(store, [str(path)])
    except FormError as error:
        assert re.match(rf"^{re.escape(str(path))}:\d+: \S", str(error)), str(error)
        assert 1 <= error.line <= max(1, data.count(b"\n") + 1)
        assert sorted(str(q) for q in store.quads()) == before
        return "refused"
    return "imported"


@given(st.integers(min_value=0, max_value=len(SEED.encode("utf-8"))))
def test_cut_anywhere(tmp_path_factory, cut):
    attempt(tmp_path_factory.mktemp("cut"), SEED.encode("utf-8")[:cut])


@given(st.lists(st.tuples(st.sampled_from(["drop", "duplicate", "swap-cells", "blank-cell", "junk"]),
                          st.integers(0, len(LINES) - 1), st.integers(0, 12)), min_size=1, max_size=6),
       st.binary(min_size=1, max_size=8))
def test_lines_and_cells_mutated(tmp_path_factory, edits, junk):
    lines = list(LINES)
    for action, index, column in edits:
        index %= len(lines)
        cells = lines[index].split("\t")
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap-cells" and len(cells) > 1:
            a, b = column % len(cells), (column + 1) % len(cells)
            cells[a], cells[b] = cells[b], cells[a]
            lines[index] = "\t".join(cells)
        elif action == "blank-cell":
            cells[column % len(cells)] = ""
            lines[index] = "\t".join(cells)
        elif action == "junk":
            lines[index] = lines[index] + junk.decode("utf-8", errors="replace")
        if not lines:
            break
    attempt(tmp_path_factory.mktemp("mut"), "\n".join(lines).encode("utf-8"))


@given(st.sampled_from(["gb18030", "utf-16", "latin-1", "big5"]), st.integers(0, len(LINES)))
def test_other_encodings(tmp_path_factory, encoding, upto):
    text = "\n".join(LINES[:upto])
    data = text.encode(encoding, errors="replace")
    outcome = attempt(tmp_path_factory.mktemp("enc"), data)
    if upto > 40 and encoding in ("utf-16", "gb18030"):
        assert outcome == "refused"  # never read as UTF-8 by mistake


@given(st.binary(max_size=2000))
def test_random_bytes(tmp_path_factory, data):
    attempt(tmp_path_factory.mktemp("bytes"), data)
