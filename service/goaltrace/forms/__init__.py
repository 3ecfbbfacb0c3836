"""Reading the forms as published: text in, plain records out (no RDF here)."""

from .errors import FormError
from .parser import parse_declaration, read_declaration
from .self_evaluation import read_self_evaluation

__all__ = ["FormError", "parse_declaration", "read_declaration", "read_self_evaluation"]
