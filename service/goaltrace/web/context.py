"""What the web app works on: the store, and the validation report computed once per store."""

import threading

from ..graph.store import Store
from .. import validate


class Context:
    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._validation: validate.Report | None = None

    def validation(self) -> validate.Report:
        with self._lock:  # one run at a time: the shapes are parsed per run, never shared
            if self._validation is None:
                self._validation = validate.validate(self.store, workers=1)
            return self._validation

    def changed(self):
        with self._lock:
            self._validation = None
