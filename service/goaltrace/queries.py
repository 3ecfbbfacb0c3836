"""Named SPARQL queries: the ``.rq`` files of ``data/queries``, each with a title and a
description in its leading comments (``# title: …``, ``# description: …``)."""

from dataclasses import dataclass

from . import resources


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str


def _parse(name: str, text: str) -> NamedQuery:
    meta = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        field, sep, value = line.lstrip("# ").partition(":")
        if sep:
            meta[field.strip().lower()] = value.strip()
    return NamedQuery(name, meta.get("title", name), meta.get("description", ""), text)


def named_queries() -> dict[str, NamedQuery]:
    return {
        f.name[: -len(".rq")]: _parse(f.name[: -len(".rq")], f.read_text(encoding="utf-8"))
        for f in resources.query_files()
    }


def named_query(name: str) -> NamedQuery | None:
    return named_queries().get(name)
