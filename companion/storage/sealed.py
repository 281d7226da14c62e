"""A TinyDB Storage that keeps the decrypted document in memory and writes through, sealed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from tinydb.storages import Storage


class SealedStorage(Storage):
    """Reads cost nothing (the document stays in memory); each write seals and saves once.

    If saving fails, the in-memory document rolls back to the last saved state, so what the
    person sees never runs ahead of what is on disk.
    """

    def __init__(self, document: dict[str, Any], persist: Callable[[bytes], None]) -> None:
        self._document = document
        self._persist = persist
        self._saved = orjson.dumps(document)

    def read(self) -> dict[str, Any]:
        return self._document

    def write(self, data: dict[str, Any]) -> None:
        plaintext = orjson.dumps(data)
        try:
            self._persist(plaintext)
        except BaseException:
            self._document = orjson.loads(self._saved)
            raise
        self._document = data
        self._saved = plaintext

    def saved_plaintext(self) -> bytes:
        """The serialised document as last saved (for re-sealing under a new header)."""
        return self._saved

    def close(self) -> None:
        self._document = {}
        self._saved = b""
