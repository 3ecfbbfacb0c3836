"""Rules of the domain that both the mapping and the answers apply: whether a target was met, indicator concepts, and where a budget unit stands among China's administrative divisions."""
