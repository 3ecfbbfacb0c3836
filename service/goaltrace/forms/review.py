"""Reasons to doubt a reading: each code names one guess a reader made, so that a person can
check the rows it touched first. The codes are the local names of the concepts of
`gtf:review-reasons` (ontology/framework.ttl), where each has its labels and definition."""

REASONS = (
    "repaired",  # the reader mended the text (an OCR comparator, a target read from a sentence)
    "column-by-position",  # a cell taken by its place in the row, not under a header naming it
    "level-inherited-across-page",  # a level name carried over from a row on an earlier page
    "unit-split-by-rule",  # value and unit were one cell, split where the number ends
    "target-not-understood",  # the target is neither a number nor a known qualitative form
    "weight-not-a-number",  # a weight column is there, but its cell is not a number
    "cell-fits-column-badly",  # a cell that does not look like its column (a name that is a number)
    "header-incomplete",  # the table's header lacked labels for some of its columns
    "several-in-one-row",  # one row holding several indicators (A；B | x；y), read as that many
    "level-not-stated",  # the table has level columns, but no level 1 or level 2 stands for the row
)


# The English labels (skos:prefLabel@en of gtf:review/<code>), as the review column writes them;
# tests/ingest/test_review_flags.py checks that they are the ontology's.
REASON_LABELS = {
    "repaired": "repaired in reading",
    "column-by-position": "column taken by position",
    "level-inherited-across-page": "level carried over a page break",
    "unit-split-by-rule": "unit split off by rule",
    "target-not-understood": "target not understood",
    "weight-not-a-number": "weight not a number",
    "cell-fits-column-badly": "cell does not fit its column",
    "header-incomplete": "header incomplete",
    "several-in-one-row": "several indicators in one row",
    "level-not-stated": "level not stated",
}


def doubted(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The reasons of all groups, once each, in the order of REASONS."""
    found = {code for group in groups for code in group}
    unknown = found - set(REASONS)
    if unknown:
        raise ValueError(f"unknown review reasons: {sorted(unknown)}")
    return tuple(code for code in REASONS if code in found)
