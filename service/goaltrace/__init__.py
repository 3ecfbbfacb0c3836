"""goaltrace: budget performance-target declarations (绩效目标申报表) as a knowledge graph."""

__version__ = "0.1.0"
