"""The wheel carries everything: installed outside the checkout, `goaltrace` works."""

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_wheel_works_outside_the_checkout(tmp_path):
    wheelhouse = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheelhouse), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(wheelhouse.glob("goaltrace-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("goaltrace/ontology/goaltrace.ttl", "goaltrace/ontology/framework.ttl",
                    "goaltrace/data/forms/xiushan-justice-bureau-2023.txt", "goaltrace/data/queries/indicators.rq",
                    "goaltrace/rendering/templates/home.html", "goaltrace/rendering/static/goaltrace.css",
                    "goaltrace/web/static/openapi.json", "goaltrace/web/static/codemirror/codemirror.js",
                    "goaltrace/web/static/codemirror/LICENSE", "goaltrace/shapes/outcome.ttl",
                    "goaltrace/cookbook/03-funds-per-goal.rq"):
        assert shipped in names, shipped

    # A fresh environment: its own interpreter, the wheel installed into it, the
    # dependencies borrowed from the test environment's site-packages.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([python, "-c", "import goaltrace; print(goaltrace.__file__)"],
                           check=True, capture_output=True, text=True, cwd=elsewhere).stdout
    assert where.startswith(str(site))
    result = subprocess.run([venv / "bin" / "goaltrace", "export", "indicators", "--format", "json"],
                            capture_output=True, text=True, cwd=elsewhere, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 65
    store = elsewhere / "store"
    seed = ROOT / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
    result = subprocess.run([venv / "bin" / "goaltrace", "import", "--store", str(store), str(seed)],
                            capture_output=True, text=True, cwd=elsewhere, timeout=120)
    assert result.returncode == 0 and "65 indicators" in result.stdout, result.stderr
