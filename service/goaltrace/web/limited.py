"""The store as pages and the API read it: every named query runs in a query worker, with the
time limit and the row cap that ``/sparql`` has, so that no page can hold a request thread
for longer than a SPARQL query may."""

import pyoxigraph as ox

from ..graph.endpoint import AnswerCut, EndpointError
from ..graph.namespaces import PREFIXES
from ..query.named import prepare
from .query_workers import QueryJob, QueryStopped, QueryWorkers

_JSON = "application/sparql-results+json"


class QueryLimitExceeded(Exception):
    """A page's query ran past the time limit or the memory limit, or its answer past the row cap."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class LimitedReader:
    """The web app's `goaltrace.query.named.Reader`: what the core's functions take in the command
    line as the store itself, here run in the query workers."""

    def __init__(self, workers: QueryWorkers):
        self.workers = workers

    @property
    def row_limit(self) -> int:
        """The row cap of one request."""
        return self.workers.row_limit

    def run(self, name: str, bindings: dict | None = None, limit: int | None = None,
            offset: int = 0) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """A named query's rows; an answer a remote store cut is asked again piece by piece
        (`goaltrace.query.paging`)."""
        from ..query.paging import complete

        return complete(self._run, name, bindings, limit, offset)

    def _run(self, name: str, bindings: dict | None, limit: int | None,
             offset: int) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        job = QueryJob(prepare(name, bindings, limit, offset), (), (), {"select": _JSON}, PREFIXES)
        try:
            outcome = self.workers.run(job)
        except QueryStopped as error:  # 408 for time, 503 for memory
            raise QueryLimitExceeded(f"{error} (query {name!r}); narrow the question", error.status) from None
        if outcome.status == 502:  # the remote store failed
            raise EndpointError(outcome.body.decode("utf-8", "replace"))
        if outcome.status != 200:
            raise RuntimeError(f"the named query {name!r} failed: {outcome.body.decode('utf-8', 'replace')}")
        if outcome.store_cut is not None:
            raise AnswerCut(f"the store's answer to {name!r}", outcome.store_cut or None,
                            f"the store sent {outcome.store_cut} rows" if outcome.store_cut else "its time limit")
        if outcome.truncated:
            raise QueryLimitExceeded(f"the answer to {name!r} has more than {self.workers.row_limit} rows, the limit "
                                     "of one request; narrow the question", 503)
        results = ox.parse_query_results(outcome.body, ox.QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in results]
