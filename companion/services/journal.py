"""The journal use cases shared by the CLI and the TUI: add, list and summarise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from companion.domain.reflection import Reflection, check_mood, clean_tags
from companion.errors import UsageError
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault


@dataclass(frozen=True)
class Summary:
    """What the home screen shows: counts and the newest reflections."""

    reflections: int
    boundaries: int
    contacts: int
    newest: list[Reflection]


class Journal:
    """An unlocked vault seen as a journal."""

    def __init__(self, vault: Vault, clock: Callable[[], datetime]) -> None:
        self.vault = vault
        self._clock = clock
        self.reflections = ReflectionRepository(vault.db)

    def add_reflection(
        self, text: str, *, mood: int | None = None, tags: list[str] | None = None
    ) -> Reflection:
        """Save a new free reflection now."""
        if not text.strip():
            raise UsageError("A reflection needs some text.")
        try:
            check_mood(mood)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        entry = Reflection(text=text, created=self._clock(), mood=mood, tags=clean_tags(tags or []))
        self.reflections.add(entry)
        return entry

    def summary(self, newest: int = 5) -> Summary:
        """Counts of each record kind and the newest reflections."""
        counts = self.vault.counts()
        return Summary(
            reflections=counts["reflections"],
            boundaries=counts["boundaries"],
            contacts=counts["contacts"],
            newest=self.reflections.newest(limit=newest),
        )

    def close(self) -> None:
        """Lock: drop the decrypted document and release the vault."""
        self.vault.close()
