"""What goes wrong around goaltrace gets one line saying what, and a non-zero exit."""

import os

import pytest

from conftest import SEED, Server, run_goaltrace


def test_missing_store(tmp_path):
    result = run_goaltrace("export", "indicators", "--store", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr_text.strip().count("\n") == 0
    assert "no store here" in result.stderr_text and "Traceback" not in result.stderr_text


def test_store_locked_by_another_process(tmp_path, seed_path):
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    server = Server("--store", str(store), "--allow-update", env={**os.environ, "GOALTRACE_TOKEN": "t"})
    try:
        result = run_goaltrace("import", "--store", str(store), str(seed_path))
    finally:
        server.stop()
    assert result.returncode == 1
    assert result.stderr_text.strip() == f"goaltrace: {store}: the store is in use by another process (it holds the lock); stop it or open the store read-only"
    # readers are welcome while it runs: a read-only open of a store in use works
    assert run_goaltrace("export", "funds", "--store", str(store)).returncode == 0


def test_port_in_use(server):
    result = run_goaltrace("serve", "--port", str(server.port))
    assert result.returncode == 1
    assert result.stderr_text.strip() == f"goaltrace: cannot listen on 127.0.0.1:{server.port}: Address already in use"


def test_update_without_a_token():
    env_free = {k: v for k, v in os.environ.items() if k != "GOALTRACE_TOKEN"}
    import subprocess

    from conftest import GOALTRACE

    result = subprocess.run([GOALTRACE, "serve", "--allow-update"], capture_output=True, text=True, env=env_free, timeout=60)
    assert result.returncode == 2 and "GOALTRACE_TOKEN" in result.stderr


@pytest.mark.parametrize("command", [("export", "funds"), ("import", str(SEED)), ("serve", "--port", "0")])
def test_an_unreachable_endpoint_is_one_line(command, tmp_path):
    result = run_goaltrace(*command, "--store", "http://127.0.0.1:9/query", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr_text == "goaltrace: http://127.0.0.1:9/query: cannot reach the SPARQL endpoint: Connection refused\n"
    assert not list(tmp_path.iterdir())  # a URL is never taken for a directory
