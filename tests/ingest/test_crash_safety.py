"""Crash safety: an import killed with SIGKILL at a random moment leaves every declaration
wholly old or wholly new; the store opens and validates afterwards; readers that open the
store during an import see a consistent snapshot."""

import json
import random
import shutil
import signal
import subprocess
import time

import pytest

from conftest import GOALTRACE, SEED, run_goaltrace

COPIES = 4
CHANGED = ("法律援助办结案件数量\t≥\t800件", "法律援助办结案件数量\t≥\t900件")


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    seed = SEED.read_text(encoding="utf-8")
    old, new = tmp_path_factory.mktemp("old"), tmp_path_factory.mktemp("new")
    for n in range(COPIES):
        text = seed.replace("秀山土家族苗族自治县司法局", f"崩溃测试县{n:03d}司法局")
        (old / f"d{n:03d}.txt").write_text(text, encoding="utf-8")
        (new / f"d{n:03d}.txt").write_text(text.replace(*CHANGED), encoding="utf-8")
    return old, new


def import_duration(store, *folders) -> float:
    """Seconds an uninterrupted import of the folders into the store takes here, now."""
    started = time.monotonic()
    run_goaltrace("import", "--store", str(store), *map(str, folders), check=True)
    return time.monotonic() - started


def kill_during(prepare, args: list[str], moment: float) -> None:
    """Prepare the store, start an import and SIGKILL it `moment` seconds in. An import that
    ended on its own tested nothing: the store is prepared again and the kill comes earlier."""
    for _attempt in range(4):
        prepare()
        process = subprocess.Popen([GOALTRACE, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            return
        moment *= 0.6
    pytest.fail(f"the import always ended on its own before the kill (last at {moment:.2f} s): nothing was tested")


def fresh(store, *files):
    """A function that makes `store` anew holding the files."""
    def prepare():
        shutil.rmtree(store, ignore_errors=True)
        run_goaltrace("import", "--store", str(store), *map(str, files), check=True)
    return prepare


def versions(store) -> dict[str, set[str]]:
    """For each unit: the target values its 法律援助办结案件数量 has (one per copy of the form)."""
    rows = json.loads(run_goaltrace("export", "indicators", "--format", "json", "--store", str(store), check=True).stdout_text)
    seen: dict[str, set[str]] = {}
    for row in rows:
        if row["indicator"] == "法律援助办结案件数量":
            seen.setdefault(row["department"], set()).add(str(row["value"]))
    counts = {}
    for row in rows:
        counts[row["department"]] = counts.get(row["department"], 0) + 1
    assert set(counts.values()) == {65}, "every declaration keeps all 65 indicators"
    return seen


@pytest.mark.slow
def test_sigkill_during_import_leaves_each_declaration_whole(batches, tmp_path):
    old, new = batches
    rng = random.Random(20231124)
    timed = tmp_path / "timed"
    run_goaltrace("import", "--store", str(timed), str(old), check=True)
    duration = import_duration(timed, new)  # how long the replacing import takes when left alone
    for round_number in range(1):  # one kill at a random moment; every CI run draws the same one
        store = tmp_path / f"store-{round_number}"
        kill_during(fresh(store, old), ["import", "--store", str(store), str(new)], rng.uniform(0.3, 0.9) * duration)
        seen = versions(store)  # the store opens
        assert len(seen) == COPIES
        assert all(values in ({"800"}, {"900"}) for values in seen.values())
        states = {next(iter(v)) for v in seen.values()}
        assert len(states) == 1  # one batch, one transaction: all old or all new
        result = run_goaltrace("validate", "--store", str(store), "--format", "json", "--workers", "2")
        assert result.returncode in (0, 1) and json.loads(result.stdout_text)["forms"] == COPIES * 9


@pytest.mark.slow
def test_readers_during_an_import_see_a_consistent_snapshot(batches, tmp_path):
    old, new = batches
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(old), check=True)
    process = subprocess.Popen([GOALTRACE, "import", "--store", str(store), str(new)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    snapshots = []
    while process.poll() is None:
        seen = versions(store)  # a read-only open while the writer works
        snapshots.append({next(iter(v)) for v in seen.values()})
        assert all(len(v) == 1 for v in seen.values())
    assert process.returncode == 0
    assert all(len(s) == 1 for s in snapshots)  # never half old, half new
    assert {next(iter(v)) for v in versions(store).values()} == {"900"}


@pytest.mark.slow
def test_opening_the_store_to_read_during_an_import_never_fails(batches, tmp_path):
    """A read-only open lists the store's files, then opens them; a compaction between the
    two deletes some, and Oxigraph reports the whole store corrupt (about one open in 170
    without the retry). Hundreds of opens while imports run: every one must succeed."""
    from goaltrace.graph.store import open_read_only

    old, new = batches
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(old), check=True)
    opened, imports = 0, 0
    while opened < 200 and imports < 20:  # as many imports as it takes, on a fast machine or a slow one
        folder = (new, old)[imports % 2]
        imports += 1
        process = subprocess.Popen([GOALTRACE, "import", "--store", str(store), str(folder)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None:
            reader = open_read_only(str(store))
            assert next(iter(reader.quads_for_pattern(None, None, None, None)), None) is not None
            del reader
            opened += 1
        assert process.returncode == 0
    assert opened >= 100, f"only {opened} opens during {imports} imports: too few to meet the race"


def _declarations(store_dir) -> dict[str, int]:
    """For each unit in the store: how many indicators its declaration has."""
    rows = json.loads(run_goaltrace("export", "indicators", "--format", "json", "--store", str(store_dir), check=True).stdout_text)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["department"]] = counts.get(row["department"], 0) + 1
    return counts


def test_an_unfinished_bulk_write_is_refused_by_readers_and_undone_by_the_next_writer(batches, tmp_path):
    """What a crash between two batches leaves: marked declarations, half written."""
    from goaltrace.forms import read_declaration
    from goaltrace.graph.mapper import map_declaration
    from goaltrace.graph.store import Store, StoreError

    old, _new = batches
    store_dir = tmp_path / "store"
    run_goaltrace("import", "--store", str(store_dir), str(SEED), check=True)
    before = _declarations(store_dir)
    store = Store.open(str(store_dir))
    mapped = [map_declaration(read_declaration(str(path))) for path in sorted(old.iterdir())[:4]]
    store.begin_bulk([m.iri for m in mapped])
    store.add_bulk([q for m in mapped[:2] for q in m.quads])  # two of four written, then the process dies
    store.flush()
    del store

    with pytest.raises(StoreError, match="an import of 4 new declarations did not finish"):
        Store.open(str(store_dir), read_only=True)
    refused = run_goaltrace("export", "funds", "--store", str(store_dir))
    assert refused.returncode == 1 and f"goaltrace repair --store {store_dir}" in refused.stderr_text
    repaired = run_goaltrace("repair", "--store", str(store_dir), check=True)
    assert "removed 4 declarations an interrupted import had begun to write" in repaired.stderr_text
    assert _declarations(store_dir) == before  # exactly as before the import
    assert run_goaltrace("repair", "--store", str(store_dir), check=True).stdout_text.endswith("nothing to repair\n")


@pytest.mark.slow
def test_sigkill_during_a_bulk_import_loses_the_import_never_half_of_it(batches, tmp_path):
    old, _new = batches
    rng = random.Random(20261125)
    timed = tmp_path / "timed"
    run_goaltrace("import", "--store", str(timed), str(SEED), check=True)
    duration = import_duration(timed, old)
    for round_number in range(1):  # one kill at a random moment; every CI run draws the same one
        store = tmp_path / f"store-{round_number}"
        kill_during(fresh(store, SEED), ["import", "--store", str(store), str(old)], rng.uniform(0.3, 0.9) * duration)
        run_goaltrace("repair", "--store", str(store), check=True)
        counts = _declarations(store)
        assert set(counts.values()) == {65}  # every declaration there is whole
        assert len(counts) in (1, 1 + COPIES)  # the seed alone, or the seed and the whole batch
