"""Share of the hand-read rows of whole published documents that the importer reads exactly.

    python bench/documents.py [BATCH…] [-v]

Reads every document of tests/fixtures/documents/ (or the batches named) from
../shared/corpus/documents/, matches each hand-read form with the form the importer read
(the department-wide form by kind, projects and funds by name) and compares their indicator
rows. Prints a line per document and the totals; `-v` lists the rows that differ.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from document_corpus import documents, score


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    batches = tuple(a for a in argv if not a.startswith("-")) or None
    chosen = documents(batches)
    if not chosen:
        print("no hand-read documents found (is ../shared/corpus/documents/ there?)")
        return 1
    totals = dict.fromkeys(("exact", "expected", "extra", "forms_exact", "forms"), 0)
    for document in chosen:
        result = score(document)
        for name in totals:
            totals[name] += result[name]
        status = f"error: {result['error']}" if result["error"] else f"{result['forms_exact']}/{result['forms']} forms exact"
        print(f"{document.name:75} {result['exact']:4}/{result['expected']:<4} extra {result['extra']:3}  {status}")
        if verbose:
            for name, found, missing, extra in result["differences"]:
                print(f"   {name}{'' if found else ' (form not found)'}")
                for row in missing:
                    print("      expected:", " | ".join(row))
                for row in extra:
                    print("      read:    ", " | ".join(row))
    share = 100 * totals["exact"] / max(totals["expected"], 1)
    print(f"\n{totals['exact']}/{totals['expected']} rows read exactly ({share:.1f} %), {totals['extra']} rows read "
          f"that the hand reading does not have; {totals['forms_exact']}/{totals['forms']} forms read exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
