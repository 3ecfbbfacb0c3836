"""Precision and coverage of goaltrace's indicator concept links on a hand-labelled sample.

    python bench/concepts.py SAMPLE.csv [-v]

SAMPLE.csv has the columns unit, name, unit_of_measure, level2, concept: one real indicator a
row, with the concept a person gave it (a slug of ontology/indicator-concepts.ttl, or empty
where none fits). Each name is linked by goaltrace's rule (`goaltrace.domain.concepts.link`, as the
importer links it, with the unit of measure and the level-2 category) and compared with the
person's concept. Printed, overall and per concept:

- precision: links that name the person's concept / all links made;
- coverage: rows linked / all rows (a row the person left empty counts, unlinked, as not covered).

With -v, every link that differs from the person's concept is listed.
"""

import csv
import sys
from collections import Counter
from pathlib import Path

from goaltrace.domain import concepts
from goaltrace.forms.catalogue import level2_named

COLUMNS = ("unit", "name", "unit_of_measure", "level2", "concept")


def read_sample(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if not rows or missing:
        raise SystemExit(f"{path}:1: expected the columns {', '.join(COLUMNS)}, found "
                         f"{', '.join(rows[0]) if rows else 'no rows'}")
    return rows


def linked(row: dict[str, str]) -> str:
    """The slug goaltrace links the row to, or '' when it links none."""
    level = level2_named(row["level2"].strip(), loose=True) if row["level2"].strip() else None
    found = concepts.link(row["name"], row["unit_of_measure"].strip() or None, level.key if level else None)
    return found.concept.rsplit("/", 1)[-1] if found else ""


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("-")]
    if len(paths) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    rows = read_sample(Path(paths[0]))
    made, right, per_made, per_right, per_labelled = 0, 0, Counter(), Counter(), Counter()
    wrong = []
    for row in rows:
        person, found = row["concept"].strip(), linked(row)
        per_labelled[person] += 1
        if not found:
            continue
        made += 1
        per_made[found] += 1
        if found == person:
            right += 1
            per_right[found] += 1
        else:
            wrong.append((row["name"], row["unit_of_measure"], person or "(none)", found))
    units = len({row["unit"] for row in rows})
    print(f"{len(rows)} indicators from {units} units; {made} linked")
    print(f"precision {right}/{made} = {right / made:.1%}" if made else "precision: no link made")
    print(f"coverage  {made}/{len(rows)} = {made / len(rows):.1%}")
    print(f"\n{'concept':34} {'labelled':>8} {'linked':>7} {'right':>6} {'precision':>9}")
    for slug in sorted(set(per_labelled) | set(per_made), key=lambda s: (-per_labelled[s], s)):
        precision = f"{per_right[slug] / per_made[slug]:.0%}" if per_made[slug] else "-"
        print(f"{slug or '(none)':34} {per_labelled[slug]:>8} {per_made[slug]:>7} {per_right[slug]:>6} {precision:>9}")
    if "-v" in argv and wrong:
        print("\nlinks that differ from the person's concept (name, unit, person, goaltrace):")
        for name, unit, person, found in wrong:
            print(f"  {name} [{unit}]  {person} ≠ {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
