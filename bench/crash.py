"""Crash safety by hand: kill `goaltrace import` with SIGKILL at spread-out moments while it
replaces a batch of declarations, then reopen the store and check it.

    python bench/crash.py [--rounds 10] [--copies 60]

Each round imports the old batch, starts importing a changed batch, kills it after a random
delay, and reports whether every declaration is wholly old or wholly new, whether the store
opens, and whether validation runs.
"""

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BIN = Path(sys.executable).parent
SEED = Path(__file__).resolve().parents[1] / "data" / "forms" / "xiushan-justice-bureau-2023.txt"


def goaltrace(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "goaltrace"), *args], capture_output=True, text=True, timeout=600)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--copies", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-crash-"))
    try:
        seed = SEED.read_text(encoding="utf-8")
        old, new = work / "old", work / "new"
        old.mkdir()
        new.mkdir()
        for n in range(args.copies):
            text = seed.replace("秀山土家族苗族自治县司法局", f"崩溃测试县{n:03d}司法局")
            (old / f"d{n:03d}.txt").write_text(text, encoding="utf-8")
            (new / f"d{n:03d}.txt").write_text(text.replace("≥\t800件", "≥\t900件", 1), encoding="utf-8")
        started = time.monotonic()
        goaltrace("import", "--store", str(work / "timing"), str(old))
        goaltrace("import", "--store", str(work / "timing"), str(new))
        full = time.monotonic() - started
        rng = random.Random(7)
        print(f"crash — {date.today()}, {args.copies} declarations per batch; an uninterrupted old + new import takes {full:.1f} s")
        print()
        print("| round | killed after s | store opens | declarations old / new / mixed | validation runs |")
        print("|---:|---:|---|---|---|")
        for n in range(1, args.rounds + 1):
            store = work / f"store-{n}"
            goaltrace("import", "--store", str(store), str(old))
            delay = rng.uniform(0.1, full * 0.8)
            process = subprocess.Popen([str(BIN / "goaltrace"), "import", "--store", str(store), str(new)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            export = goaltrace("export", "indicators", "--format", "json", "--store", str(store))
            opens = export.returncode == 0
            values: dict[str, set] = {}
            for row in json.loads(export.stdout) if opens else []:
                if row["indicator"] == "法律援助办结案件数量":
                    values.setdefault(row["department"], set()).add(row["value"])
            old_count = sum(1 for v in values.values() if v == {800})
            new_count = sum(1 for v in values.values() if v == {900})
            mixed = len(values) - old_count - new_count
            validation = goaltrace("validate", "--store", str(store), "--format", "json")
            print(f"| {n} | {delay:.2f} | {'yes' if opens else 'NO'} | {old_count} / {new_count} / {mixed} | "
                  f"{'yes' if validation.returncode in (0, 1) else 'NO'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
