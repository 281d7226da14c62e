"""Boundaries and the secure base over an unlocked vault."""

from __future__ import annotations

from datetime import date

from companion.domain.boundary import STATUSES, Boundary, BoundaryEvent
from companion.domain.clock import Clock
from companion.domain.contact import Circles, Contact, Interaction, circles
from companion.errors import UsageError
from companion.services.records import RecordService
from companion.storage.repositories import BoundaryRepository, ContactRepository
from companion.storage.vault import Vault


def _checked(action: str, error: ValueError) -> UsageError:
    return UsageError(f"Could not {action}: {error}")


class BoundaryService(RecordService[Boundary]):
    """Boundary notes, grouped by status."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        super().__init__(BoundaryRepository(vault), clock)

    def all(self, status: str | None = None) -> list[Boundary]:
        """Grouped by status (in the order of STATUSES), then by review date, then newest."""
        order = list(STATUSES)
        items = [b for b in self.repo.all() if status is None or b.status == status]
        return sorted(items, key=lambda b: (order.index(b.status), b.review_on or date.max, -(b.id or 0)))

    def due(self) -> list[Boundary]:
        """Boundaries whose review date has come."""
        today = self._clock().date()
        return [b for b in self.all() if b.is_due(today)]

    def log(self, boundary: Boundary, event: BoundaryEvent) -> None:
        """Record what happened with a boundary."""
        try:
            boundary.log(event)
        except ValueError as exc:
            raise _checked("log that", exc) from None
        self.repo.update(boundary)


class ContactService(RecordService[Contact]):
    """The secure base, alphabetical."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        super().__init__(ContactRepository(vault), clock)

    def all(self) -> list[Contact]:
        """Every contact by name."""
        return sorted(self.repo.all(), key=lambda c: c.name.casefold())

    def due(self, people: list[Contact] | None = None) -> list[Contact]:
        """Contacts (of `people`, if already read) whose reconnect rhythm says it is time."""
        today = self._clock().date()
        return [c for c in (self.all() if people is None else people) if c.is_due(today)]

    def log(self, contact: Contact, kind: str, note: str = "", day: date | None = None,
            support: str = "") -> Interaction:
        """Log an interaction (today unless told), with the kind of support that flowed if said; this resets the
        reconnect clock."""
        interaction = Interaction(day or self._clock().date(), kind, note, support)
        try:
            contact.log(interaction)
        except ValueError as exc:
            raise _checked("log that", exc) from None
        self.repo.update(contact)
        return interaction

    def circles(self) -> Circles:
        """The rings of the secure base, the kinds nobody offers yet, the people not reached in a while."""
        return circles(self.repo.all(), self._clock().date())

    def names(self) -> dict[int, str]:
        """Contact id -> name."""
        return {c.id: c.name for c in self.repo.all() if c.id is not None}
