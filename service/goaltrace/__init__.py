"""goaltrace: budget performance-target declarations (绩效目标申报表) as a knowledge graph."""

__version__ = "0.1.0"
__all__ = ["Corpus"]


def __getattr__(name: str):
    """``goaltrace.Corpus``, loaded when first asked for: ``import goaltrace`` stays light."""
    if name == "Corpus":
        from .notebook import Corpus

        return Corpus
    raise AttributeError(f"module 'goaltrace' has no attribute {name!r}")
