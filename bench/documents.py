"""Share of the hand-read rows of whole published documents that the importer reads exactly.

    python bench/documents.py [BATCH…] [-v]

Reads every document of tests/fixtures/documents/ (or the batches named) from
../shared/corpus/documents/, matches each hand-read form with the form the importer read
(the department-wide form by kind, projects and funds by name) and compares their indicator
rows. Prints a line per document and the totals; `-v` lists the rows that differ.

Then, per batch, the rows sorted four ways (`review`): right and sure, right but flagged for
review, wrong and flagged, wrong and not flagged (silent). A row read that the hand reading does
not have is wrong; an expected row not read at all is wrong and silent.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from document_corpus import REVIEW, documents, score


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    batches = tuple(a for a in argv if not a.startswith("-")) or None
    chosen = documents(batches)
    if not chosen:
        print("no hand-read documents found (is ../shared/corpus/documents/ there?)")
        return 1
    totals = dict.fromkeys(("exact", "expected", "extra", "forms_exact", "forms"), 0)
    batches_review: dict[str, dict] = {}
    for document in chosen:
        result = score(document)
        review = batches_review.setdefault(document.batch, dict.fromkeys(REVIEW, 0))
        for name in REVIEW:
            review[name] += result["review"][name]
        for name in totals:
            totals[name] += result[name]
        status = (
            f"error: {result['error']}"
            if result["error"]
            else f"{result['forms_exact']}/{result['forms']} forms exact"
        )
        print(
            f"{document.name:75} {result['exact']:4}/{result['expected']:<4} extra {result['extra']:3}  {status}"
        )
        if verbose:
            for name, found, missing, extra in result["differences"]:
                print(f"   {name}{'' if found else ' (form not found)'}")
                for row in missing:
                    print("      expected:", " | ".join(row))
                for row in extra:
                    print("      read:    ", " | ".join(row))
    share = 100 * totals["exact"] / max(totals["expected"], 1)
    print(
        f"\n{totals['exact']}/{totals['expected']} rows read exactly ({share:.1f} %), {totals['extra']} rows read "
        f"that the hand reading does not have; {totals['forms_exact']}/{totals['forms']} forms read exactly"
    )
    print_review(batches_review)
    return 0


def print_review(batches: dict[str, dict]) -> None:
    """The four figures per batch and in all, with the two shares the target is set on: wrong
    and silent against the rows read (exported), flagged against the right rows. Rows of a form
    refused with an error are counted silent, and apart: the import said it could not read them."""
    print(
        "\n| batch | rows read | right, sure | right, flagged | wrong, flagged | wrong, silent | of which missed "
        "| of which in refused forms | silent / read | silent, refused forms aside / read | flagged / right |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    everything = dict.fromkeys(REVIEW, 0)
    for batch, counts in [*sorted(batches.items()), ("**all**", everything)]:
        if batch != "**all**":
            for name in REVIEW:
                everything[name] += counts[name]
        right = counts["right_sure"] + counts["right_flagged"]
        exported = (
            right + counts["wrong_flagged"] + counts["wrong_silent"] - counts["missing"]
        )
        print(
            f"| {batch} | {exported} | {counts['right_sure']} | {counts['right_flagged']} | {counts['wrong_flagged']} | "
            f"{counts['wrong_silent']} | {counts['missing']} | {counts['refused']} | "
            f"{100 * counts['wrong_silent'] / max(exported, 1):.1f} % | "
            f"{100 * (counts['wrong_silent'] - counts['refused']) / max(exported, 1):.1f} % | "
            f"{100 * counts['right_flagged'] / max(right, 1):.1f} % |"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
