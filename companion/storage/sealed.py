"""A TinyDB Storage that keeps the decrypted document in memory and writes through, sealed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from tinydb.storages import Storage

Document = dict[str, Any]
# Saves the document and returns what is now on disk: the same document, or one merged with a
# copy that changed underneath (a sync tool's).
Persist = Callable[[Document], Document]


class SealedStorage(Storage):
    """Reads cost nothing (the document stays in memory); each write seals and saves once.

    If saving fails, the in-memory document rolls back to the last saved state, so what the
    person sees never runs ahead of what is on disk. Inside `batch()`, writes collect in memory
    and are saved once at the end (a deletion and its tombstone, an import, a merge).
    """

    def __init__(self, document: Document, persist: Persist) -> None:
        self._document = document
        self._persist = persist
        self._saved = orjson.dumps(document)
        self._depth = 0
        self._pending = False
        self.generation = 0  # goes up when the document was replaced by a merged one

    def read(self) -> Document:
        return self._document

    def write(self, data: Document) -> None:
        self._document = data
        if self._depth:
            self._pending = True
            return
        self._save()

    def _save(self) -> None:
        data = self._document
        try:
            stored = self._persist(data)
        except BaseException:
            self._document = orjson.loads(self._saved)
            self.generation += 1
            raise
        if stored is not data:
            self.generation += 1
        self._document = stored
        self._saved = orjson.dumps(stored)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the writes made inside, and save them once (or roll them all back)."""
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._pending and not self._depth:
                self._pending = False
                self._document = orjson.loads(self._saved)
                self.generation += 1
            raise
        self._depth -= 1
        if self._pending and not self._depth:
            self._pending = False
            self._save()

    def replace(self, document: Document) -> None:
        """Save a whole new document (a merge that renumbered records): tables start afresh."""
        self._document = document
        self._save()
        self.generation += 1

    def adopt(self, document: Document) -> None:
        """Take a document that is already on disk (read back after another copy changed it)."""
        self._document = document
        self._saved = orjson.dumps(document)
        self.generation += 1

    def saved_document(self) -> Document:
        """A fresh copy of the document as last saved (the common ancestor for a merge)."""
        loaded: Document = orjson.loads(self._saved)
        return loaded

    def saved_plaintext(self) -> bytes:
        """The serialised document as last saved (for re-sealing under a new header)."""
        return self._saved

    def close(self) -> None:
        self._document = {}
        self._saved = b""
