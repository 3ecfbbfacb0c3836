"""The importer under fuzzing: mutated seeds either import or fail with FILE:LINE, never with a
traceback, and a failure leaves the store byte-for-byte as it was.

Bounded for CI (HYPOTHESIS_PROFILE=long runs many more examples by hand)."""

import os
import re

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goaltrace.forms import FormError
from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEED = (__import__("conftest").SEED).read_text(encoding="utf-8")
LINES = SEED.split("\n")


GT = "https://w3id.org/goaltrace/ontology#"
ROW_FIELDS = ("indicatorName", "comparatorText", "targetValue", "unitLabel", "weight")


def readings(store) -> dict[str, set[tuple]]:
    """What each indicator row was read as, by the row's text: the name, comparator, value, unit
    and weight the row itself states (levels may come from rows above, so they are left out)."""
    found: dict[str, set[tuple]] = {}
    for quad in store.quads(None, ox.NamedNode(f"{GT}sourceText"), None):
        fields = []
        for name in ROW_FIELDS:
            values = sorted(q.object.value for q in store.quads(quad.subject, ox.NamedNode(f"{GT}{name}"), None, quad.graph_name))
            fields.append(tuple(values))
        found.setdefault(quad.object.value, set()).add(tuple(fields))
    return found


def seed_readings() -> dict[str, set[tuple]]:
    store = Store.open(MEMORY)
    import_files(store, [str(__import__("conftest").SEED)])
    return readings(store)


SEED_READINGS = seed_readings()


def read_as_in_the_seed(store, unchanged: set[str]):
    """No silent mis-parse: a row that is in the mutant exactly as in the seed, under an
    unchanged header, is read exactly as the seed's row is."""
    for text, got in readings(store).items():
        if text in unchanged and text in SEED_READINGS:
            assert got <= SEED_READINGS[text], f"row {text!r} read as {got}, in the seed as {SEED_READINGS[text]}"


def attempt(tmp_path, data: bytes, unchanged: set[str] | None = None):
    """Import the bytes into a store holding the seed; check the outcome is one of the two
    allowed, and that rows known to be unchanged were read as in the seed."""
    store = Store.open(MEMORY)
    import_files(store, [str(__import__("conftest").SEED)])
    before = sorted(str(q) for q in store.quads())
    path = tmp_path / "mutant.txt"
    path.write_bytes(data)
    try:
        import_files(store, [str(path)])
    except FormError as error:
        assert re.match(rf"^{re.escape(str(path))}:\d+: \S", str(error)), str(error)
        assert 1 <= error.line <= max(1, data.count(b"\n") + 1, data.count(b"\r") + 1)  # CR alone ends a line too
        assert sorted(str(q) for q in store.quads()) == before
        return "refused"
    if unchanged:
        read_as_in_the_seed(store, unchanged)
    return "imported"


HEADER_WORDS = ("指标值", "一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "权重")


def is_header(line: str) -> bool:
    return sum(word in line for word in HEADER_WORDS) >= 2


@given(st.integers(min_value=0, max_value=len(SEED.encode("utf-8"))))
def test_cut_anywhere(tmp_path_factory, cut):
    data = SEED.encode("utf-8")[:cut]
    whole_lines = data.decode("utf-8", errors="ignore").split("\n")[:-1]  # the last line may be cut
    attempt(tmp_path_factory.mktemp("cut"), data, set(whole_lines))


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
    mutant = "\n".join(lines)
    # rows unchanged, under headers unchanged, must read as in the seed; edits that move
    # lines or change a header change what the rows below it mean, so then nothing is compared
    changed_headers = any(is_header(line) for line in set(LINES) ^ set(lines))
    unchanged = set() if changed_headers else set(lines) & set(LINES)
    attempt(tmp_path_factory.mktemp("mut"), mutant.encode("utf-8"), unchanged)


@given(st.sampled_from(["gb18030", "utf-16", "utf-16-le", "latin-1", "big5"]), st.integers(0, len(LINES)))
def test_other_encodings(tmp_path_factory, encoding, upto):
    text = "\n".join(LINES[:upto])
    data = text.encode(encoding, errors="replace")
    outcome = attempt(tmp_path_factory.mktemp("enc"), data)
    if upto > 40 and encoding in ("utf-16-le", "gb18030"):
        assert outcome == "refused"  # never read as UTF-8 by mistake
    if encoding == "utf-16":  # with its byte order mark: read as what it is, as the UTF-8 text would be
        assert outcome == attempt(tmp_path_factory.mktemp("utf8"), text.encode("utf-8"))


@given(st.binary(max_size=2000))
def test_random_bytes(tmp_path_factory, data):
    attempt(tmp_path_factory.mktemp("bytes"), data)


def test_the_comparison_sees_a_row_read_otherwise():
    """The check above bites: in a store holding the seed, change what one row was read as (its
    target 4500 becomes 4600, as a mis-parse would), and the comparison reports that row."""
    store = Store.open(MEMORY)
    import_files(store, [str(__import__("conftest").SEED)])
    read_as_in_the_seed(store, set(LINES))  # the seed itself reads as the seed
    target = next(q for q in store.quads(None, ox.NamedNode(f"{GT}targetValue"), None) if q.object.value == "4500")
    store.engine.remove(target)
    store.engine.add(ox.Quad(target.subject, target.predicate, ox.Literal("4600", datatype=target.object.datatype),
                             target.graph_name))
    try:
        read_as_in_the_seed(store, set(LINES))
    except AssertionError as error:
        assert "read as" in str(error) and "4600" in str(error)
    else:
        raise AssertionError("a row read otherwise went unnoticed: the comparison compares nothing")
