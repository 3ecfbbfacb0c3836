"""Reading the forms as published: text in, plain records out (no RDF here).

The readers are loaded when first asked for, so that a command that only queries the store
(or a module that needs only `FormError`) does not pay for compiling them.
"""

from importlib import import_module

from .errors import FormError

__all__ = ["FormError", "parse_declaration", "read_declaration", "read_self_evaluation"]
_LAZY = {"parse_declaration": ".parser", "read_declaration": ".parser", "read_self_evaluation": ".self_evaluation"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
