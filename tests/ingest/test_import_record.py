"""Imports on record: each import lists its files with their digests, and a backup is the
exact data state, which the store's readers open and answer from as from the original."""

import hashlib
import json

from conftest import run_goaltrace


def test_each_import_is_on_record_with_its_file_digests(tmp_path, seed_path, seed_text):
    store = str(tmp_path / "store")
    other = tmp_path / "2024.txt"
    other.write_text(seed_text.replace("预算年度:2023", "预算年度:2024"), encoding="utf-8")
    run_goaltrace("import", "--store", store, str(seed_path), check=True)
    run_goaltrace("import", "--store", store, str(seed_path), str(other), check=True)
    history = json.loads(run_goaltrace("history", "--store", store, "--format", "json", check=True).stdout_text)
    assert len(history) == 2
    latest, first = history
    digest = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert first["files"] == [{"sha256": digest, "names": [str(seed_path)]}]
    assert [d.rsplit("/", 1)[1] for d in first["added"]] == ["2023"] and first["replaced"] == []
    # the unchanged seed, read again, changed nothing and is not on record as replaced
    assert [f["sha256"] for f in latest["files"]] == [hashlib.sha256(other.read_bytes()).hexdigest()]
    assert [d.rsplit("/", 1)[1] for d in latest["added"]] == ["2024"] and latest["replaced"] == []
    assert latest["ended"] >= first["ended"] and latest["version"]
    other.write_text(seed_text.replace("预算年度:2023", "预算年度:2024").replace("800件", "900件"), encoding="utf-8")
    run_goaltrace("import", "--store", store, str(other), check=True)
    replaced = json.loads(run_goaltrace("history", "--store", store, "--format", "json", check=True).stdout_text)[0]
    assert [d.rsplit("/", 1)[1] for d in replaced["replaced"]] == ["2024"]
    text = run_goaltrace("history", "--store", store, check=True).stdout_text
    assert f"sha256:{digest}" in text and "replaced: " in text


def test_a_refused_import_leaves_no_record(tmp_path, seed_path):
    store = str(tmp_path / "store")
    run_goaltrace("import", "--store", store, str(seed_path), check=True)
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是申报表\n", encoding="utf-8")
    assert run_goaltrace("import", "--store", store, str(bad)).returncode == 2
    assert len(json.loads(run_goaltrace("history", "--store", store, "--format", "json", check=True).stdout_text)) == 1


def test_a_backup_opens_and_answers_the_same_queries(tmp_path, seed_path):
    store, copy = str(tmp_path / "store"), str(tmp_path / "backup")
    run_goaltrace("import", "--store", store, str(seed_path), check=True)
    run_goaltrace("backup", "--store", store, copy, check=True)
    for command in (("export", "indicators", "--format", "csv"), ("trace", "goal", "3", "--format", "json"),
                    ("history", "--format", "json"), ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")):
        original = run_goaltrace(*command, "--store", store, check=True).stdout_text
        assert run_goaltrace(*command, "--store", copy, check=True).stdout_text == original
    again = run_goaltrace("backup", "--store", store, copy)
    assert again.returncode == 2 and "expected a new or empty directory" in again.stderr_text


def test_the_bundled_data_backs_up_to_a_store_on_disk(tmp_path):
    copy = str(tmp_path / "bundled")
    run_goaltrace("backup", copy, check=True)
    assert run_goaltrace("export", "indicators", "--store", copy, check=True).stdout_text == \
        run_goaltrace("export", "indicators", check=True).stdout_text


def test_a_running_server_sees_an_import_within_seconds(tmp_path, seed_path, seed_text):
    from conftest import Server, import_while_serving

    store = str(tmp_path / "store")
    run_goaltrace("import", "--store", store, str(seed_path), check=True)
    server = Server("--store", store)
    try:
        before, years, headers = import_while_serving(server, store, seed_text, tmp_path)
        assert years == [2023, 2024]
        assert headers["X-Goaltrace-Store-Changed"] > before and headers["Last-Modified"]
        assert "2024" in server.get("/sparql?query=SELECT%20%3Fy%20WHERE%20%7B%20%3Fd%20gt%3AbudgetYear%2Fgt%3Ayear%20%3Fy%20%7D",
                                    accept="text/csv")[2].decode()
        assert before not in server.get("/", accept="text/html")[2].decode()
    finally:
        server.stop()
