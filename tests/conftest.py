import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
GOALTRACE = str(Path(sys.executable).parent / "goaltrace")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def run_goaltrace(*args: str, check: bool = False, input: bytes | None = None, cwd=None) -> subprocess.CompletedProcess:
    """Run the installed ``goaltrace`` command as a user would, in its own process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([GOALTRACE, *args], capture_output=True, input=input, env=env, cwd=cwd, timeout=120)
    result.stdout_text = result.stdout.decode("utf-8")
    result.stderr_text = result.stderr.decode("utf-8")
    if check and result.returncode != 0:
        raise AssertionError(f"goaltrace {' '.join(args)} exited {result.returncode}: {result.stderr_text}")
    return result


@pytest.fixture
def goaltrace():
    return run_goaltrace
