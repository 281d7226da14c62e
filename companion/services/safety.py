"""The safety plan: read and saved in the journal, shown with the secure base's people and the support card's
crisis lines, and (only when the person chooses it) a readable copy on this device for before unlocking."""

from __future__ import annotations

from pathlib import Path

from companion.domain.contact import Contact
from companion.domain.safety_plan import SafetyPlan, plan_text
from companion.errors import StorageFailure
from companion.paths import readable_plan_path
from companion.storage.disk import atomic_write, ensure_private_dir, read_bytes
from companion.storage.repositories import SafetyPlanRepository
from companion.storage.vault import Vault

MAX_READABLE_BYTES = 256 * 1024  # a plan is a page; a larger file is not ours


class SafetyPlanService:
    """The one plan of a journal."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.repo = SafetyPlanRepository(vault)

    def get(self) -> SafetyPlan:
        """The plan, or an empty one."""
        return self.repo.current()

    def revision(self, plan: SafetyPlan) -> str | None:
        """The version of the plan an edit starts from."""
        return None if plan.id is None else self.repo.revision(plan.id)

    def save(self, plan: SafetyPlan, since: str | None = None) -> SafetyPlan:
        """Keep the plan (an edit from revision `since`: a change from another device meanwhile is set aside)."""
        if plan.id is None or self.repo.get(plan.id) is None:
            plan.id = None
            self.repo.add(plan)
        else:
            self.repo.update(plan, since=since)
        return plan

    def keep(self, plan: SafetyPlan, since: str | None, *, readable: bool, people: list[Contact],
             crisis_lines: list[str]) -> SafetyPlan:
        """Save the plan, then write this device's readable copy (or remove it when no longer wanted)."""
        self.save(plan, since)
        if readable:
            write_readable_copy(self.vault.path, self.text(people, crisis_lines))
        else:
            drop_readable_copy(self.vault.path)
        return plan

    def steps(self, people: list[Contact], crisis_lines: list[str]) -> list[tuple[str, list[str]]]:
        """The six steps with their lines, the people named from `people` (the secure base)."""
        return self.get().steps({c.id: c for c in people if c.id is not None}, crisis_lines)

    def text(self, people: list[Contact], crisis_lines: list[str]) -> str:
        """The plan as plain text."""
        return plan_text(self.steps(people, crisis_lines))

    def refresh_readable_copy(self, people: list[Contact], crisis_lines: list[str]) -> None:
        """At each unlock and save: rewrite this device's readable copy from the journal, if the person keeps one
        (so a copy changed on disk by anyone else is put right from the sealed plan)."""
        if keeps_readable_copy(self.vault.path):
            write_readable_copy(self.vault.path, self.text(people, crisis_lines))


def readable_copy(vault: Path) -> str | None:
    """This device's readable copy of the plan, or None when the person did not choose one."""
    path = readable_plan_path(vault)
    if not path.is_file():
        return None
    try:
        return read_bytes(path, "read the safety plan's readable copy", limit=MAX_READABLE_BYTES).decode(
            "utf-8", "replace")
    except StorageFailure:
        return None


def keeps_readable_copy(vault: Path) -> bool:
    """Whether the person chose, on this device, to see the plan before unlocking."""
    return readable_plan_path(vault).is_file()


def write_readable_copy(vault: Path, text: str) -> None:
    """Write (or rewrite) the readable copy: mode 0600 in a 0700 folder of the user's state folder."""
    path = readable_plan_path(vault)
    ensure_private_dir(path.parent)
    atomic_write(path, text.encode("utf-8"), action="write the safety plan's readable copy")


def drop_readable_copy(vault: Path) -> None:
    """Remove the readable copy (the person no longer wants the plan shown while locked)."""
    readable_plan_path(vault).unlink(missing_ok=True)
