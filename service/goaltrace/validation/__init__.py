"""Validation with the SHACL shapes, and the findings remembered by content."""
