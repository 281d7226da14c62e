"""The safety plan: read and saved in the journal, shown with the secure base's people and the support card's
crisis lines, and (only when the person chooses it) a readable copy on this device for before unlocking."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from companion.domain.safety_plan import SafetyPlan, Steps, plan_text
from companion.errors import StorageFailure
from companion.paths import readable_plan_path
from companion.services.people import ContactService
from companion.storage.disk import atomic_write, ensure_private_dir, read_bytes
from companion.storage.repositories import SafetyPlanRepository
from companion.storage.vault import Vault

MAX_READABLE_BYTES = 256 * 1024  # a plan is a page; a larger file is not ours


class SafetyPlanService:
    """The one plan of a journal, shown with the people of its secure base."""

    def __init__(self, vault: Vault, contacts: ContactService) -> None:
        self.vault = vault
        self.repo = SafetyPlanRepository(vault)
        self._contacts = contacts

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

    def keep(self, plan: SafetyPlan, since: str | None, *, readable: bool, crisis_lines: list[str]) -> SafetyPlan:
        """Save the plan, then write this device's readable copy (or remove it when no longer wanted)."""
        self.save(plan, since)
        if readable:
            write_readable_copy(self.vault.path, plan_text(self.steps(plan, crisis_lines)))
        else:
            drop_readable_copy(self.vault.path)
        return plan

    def steps(self, plan: SafetyPlan, crisis_lines: list[str], *, with_reach: bool = True) -> Steps:
        """The six steps of `plan` with their lines, its people named from the secure base (and how to reach them,
        unless `with_reach` is False: that is their data)."""
        people = {c.id: c if with_reach else dataclasses.replace(c, reach="")
                  for c in self._contacts.all() if c.id is not None}
        return plan.steps(people, crisis_lines)

    def written_steps(self, crisis_lines: list[str], *, with_reach: bool = True) -> Steps | None:
        """The plan's steps, or None when nothing is written yet."""
        plan = self.get()
        return None if plan.empty else self.steps(plan, crisis_lines, with_reach=with_reach)

    def written_text(self, crisis_lines: list[str]) -> str | None:
        """The plan as plain text, or None when nothing is written yet."""
        steps = self.written_steps(crisis_lines)
        return None if steps is None else plan_text(steps)

    def refresh_readable_copy(self, crisis_lines: list[str]) -> None:
        """At each unlock: rewrite this device's readable copy from the journal, if the person keeps one (so a
        copy changed on disk by anyone else is put right from the sealed plan); nothing is read otherwise."""
        if keeps_readable_copy(self.vault.path):
            write_readable_copy(self.vault.path, plan_text(self.steps(self.get(), crisis_lines)))


def readable_copy(vault: Path) -> str | None:
    """This device's readable copy of the plan, or None when the person did not choose one."""
    if not keeps_readable_copy(vault):
        return None
    try:
        data = read_bytes(readable_plan_path(vault), "read the safety plan's readable copy", limit=MAX_READABLE_BYTES)
    except StorageFailure:
        return None
    return data.decode("utf-8", "replace")


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
