"""Findings remembered by content, so that only new or changed forms are validated again.

A form's findings depend on nothing but its own triples, its declaration's budget year, the
shapes, the vocabulary and goaltrace itself; a declaration's cross-form findings on all of its
forms and alignments besides. Each outcome is kept in a file named by the SHA-256 of all of
that, so an entry can never be stale: change any of it and the name changes. Entries are
written whole (to a temporary file, then renamed), so parallel workers and interrupted runs
never leave a torn one.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .. import __version__, resources


def default_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "goaltrace" / "validation"


def rules_digest() -> str:
    """What every outcome also depends on: the shapes, the vocabulary, the goaltrace version."""
    digest = hashlib.sha256(__version__.encode())
    for source in [*(resources.shapes_file(n) for n in ("form.ttl", "declaration.ttl", "alignment.ttl", "outcome.ttl", "reviewer.ttl")), *resources.ontology_files()]:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def key(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def get(self, name: str) -> dict | None:
        try:
            return json.loads((self.directory / name[:2] / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or unreadable: validate again

    def put(self, name: str, outcome: dict):
        folder = self.directory / name[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as out:
                json.dump(outcome, out, ensure_ascii=False)
            os.replace(out.name, folder / f"{name}.json")
        except OSError:
            pass  # a cache that cannot be written costs time, never an answer
