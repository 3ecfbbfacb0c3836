"""Content negotiation: Accept headers with q-values, and a ``format=`` parameter that wins."""

FORMAT_ALIASES = {
    "json": "application/json",
    "html": "text/html",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "srj": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
    "markdown": "text/markdown",
    "md": "text/markdown",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/html;q=0.9, */*;q=0.1`` → [("text/html", 0.9), ("*/*", 0.1)], best first."""
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def _matches(pattern: str, media: str) -> bool:
    if pattern == "*/*":
        return True
    if pattern.endswith("/*"):
        return media.startswith(pattern[:-1])
    return pattern == media


def choose(offered: list[str], accept: str | None, format_param: str | None = None) -> str | None:
    """The offered media type the client prefers (the first offered on a tie), or None."""
    if format_param:
        wanted = FORMAT_ALIASES.get(format_param.lower(), format_param.lower())
        return wanted if wanted in offered else None
    best, best_q = None, 0.0
    for media in offered:
        q = max((q for pattern, q in parse_accept(accept) if _matches(pattern, media)), default=0.0)
        if q > best_q:
            best, best_q = media, q
    return best
