"""Answers as plain data, asked of a Reader: traceability, outcomes, the report and its figures, the browsable tables, the exports and the review queue."""
