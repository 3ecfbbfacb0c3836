"""Share of real forms' indicator rows the importer reads exactly as a person does.

    python bench/real_forms.py [BATCH] [-v]

Reads every form in tests/fixtures/real/ (or one batch), compares its rows with the hand
reading, and prints a line per form, the share of rows read exactly, and how many rows were
read that the hand reading does not have; then, per batch, the rows sorted by right or wrong and
flagged for review or not (as bench/documents.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from document_corpus import REVIEW
from documents import print_review
from real_corpus import forms, read_rows, review, score


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    batches = [a for a in argv if not a.startswith("-")]
    total_exact = total = forms_exact = total_extra = 0
    chosen = forms(batches[0] if batches else None)
    batches_review: dict[str, dict] = {}
    for form in chosen:
        counts = review(form)
        tally = batches_review.setdefault(
            form.path.parent.name, dict.fromkeys(REVIEW, 0)
        )
        for name in REVIEW:
            tally[name] += counts[name]
        exact, expected, extra, error = score(form)
        total_exact += exact
        total += expected
        total_extra += extra
        whole = exact == expected and not extra and error is None
        forms_exact += whole
        status = (
            "ok"
            if whole
            else (
                f"error: {error}"
                if error
                else f"differs ({extra} rows read that are not there)"
                if extra
                else "differs"
            )
        )
        print(f"{form.name:55} {exact:3}/{expected:<3} {status}")
        if verbose and status == "differs":
            _, rows = read_rows(form)
            want = form.expected_rows()
            for row in want:
                if row not in rows:
                    print("   expected:", row)
            for row in rows:
                if row not in want:
                    print("   read:    ", row)
    print(
        f"\n{total_exact}/{total} rows read exactly ({100 * total_exact / max(total, 1):.1f} %), "
        f"{total_extra} rows read that the hand reading does not have; {forms_exact}/{len(chosen)} forms read exactly"
    )
    print_review(batches_review)
    if not batches or batches[0].startswith("selfeval"):
        print(
            "\nSelf-evaluations (outcome rows, as tests/forms/test_real_self_evaluations.py compares them):"
        )
        print_review(self_evaluation_review(batches[0] if batches else None))
    return 0


def self_evaluation_review(batch: str | None) -> dict[str, dict]:
    """The real self-evaluations' outcome rows sorted four ways, per batch."""
    from test_real_self_evaluations import rows_of, self_evaluations

    from document_corpus import review_counts

    tallies: dict[str, dict] = {}
    for form in self_evaluations():
        if batch and form.path.parent.name != batch:
            continue
        expected = form.expected_rows()
        try:
            evaluation = form.read()
        except Exception:  # noqa: BLE001 - a score: a form that does not read misses all its rows
            counts = {
                **dict.fromkeys(REVIEW, 0),
                "wrong_silent": len(expected),
                "missing": len(expected),
                "refused": len(expected),
            }
        else:
            counts = review_counts(
                expected, rows_of(evaluation), [o.doubts for o in evaluation.outcomes]
            )
        tally = tallies.setdefault(form.path.parent.name, dict.fromkeys(REVIEW, 0))
        for name in REVIEW:
            tally[name] += counts[name]
    return tallies


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
