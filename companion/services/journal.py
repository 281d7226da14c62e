"""The journal: one unlocked vault seen through its services, plus the home summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.domain.boundary import Boundary
from companion.domain.clock import Clock
from companion.domain.contact import Contact
from companion.domain.insight import INSIGHT_DAYS
from companion.domain.prompts import Prompt
from companion.domain.reflection import Reflection, clean_tags
from companion.domain.series import Series, last_days
from companion.domain.session import Session
from companion.domain.text import visible
from companion.services.asks import ExperimentService
from companion.services.people import BoundaryService, ContactService
from companion.services.reflections import ReflectionService
from companion.services.safety import SafetyPlanService
from companion.services.sessions import SessionService
from companion.storage.backups import list_offered
from companion.storage.checking import CheckReport as CheckReport  # what `check` returns, for its callers
from companion.storage.conflicts import conflict_copies
from companion.storage.merge import MergeReport
from companion.storage.repositories import PreferenceRepository
from companion.storage.vault import Vault

SPARK_DAYS = 30


@dataclass(frozen=True)
class Summary:
    """What the home screen shows."""

    reflections: int
    boundaries: int
    contacts: int
    newest: list[Reflection]
    prompt: Prompt
    due_contacts: list[Contact]
    due_boundaries: list[Boundary]
    mood: Series
    reliance: Series
    flagged: int
    waiting_session: Session | None  # held recently, nothing kept from it yet
    conflicts: list[str]  # names of copies a sync tool left beside the journal
    set_aside: list[str] = field(default_factory=list)  # kept copies in backups/ holding words to bring back
    asks_tried: str | None = None  # one line about the ask experiments tried (from three)
    connection: str | None = None  # one line about days of reaching out (when there are enough days)


@dataclass(frozen=True)
class Welcome:
    """What an unlock brings back, read in one job: the unfinished entry (and a line about it), and the form
    left open by a lock, a quit or a hang-up."""

    draft: dict[str, Any] | None
    draft_note: str
    form: dict[str, Any] | None


class Journal:
    """An unlocked vault seen as a journal."""

    def __init__(self, vault: Vault, clock: Clock) -> None:
        self.vault = vault
        self._clock = clock
        self.reflections = ReflectionService(vault, clock)
        self.boundaries = BoundaryService(vault, clock)
        self.contacts = ContactService(vault, clock)
        self.sessions = SessionService(vault, clock)
        self.safety = SafetyPlanService(vault, self.contacts)
        self.asks = ExperimentService(vault, clock, self.contacts, self.reflections)
        self.preferences = PreferenceRepository(vault)
        self._told: set[str] = {c.name for c in self.conflicts()}  # Home shows these already

    def add_reflection(self, text: str, *, mood: int | None = None, tags: list[str] | None = None,
                       reliance: int | None = None, flagged: bool = False,
                       created: datetime | None = None) -> Reflection:
        """Save a new free reflection, now or at a moment that has passed."""
        return self.reflections.save(Reflection(text=text, created=created or self._clock(), mood=mood,
                                                reliance=reliance, tags=clean_tags(tags or []), flagged=flagged))

    def summary(self, newest: int = 5, prompt_skip: int = 0) -> Summary:
        """Everything the home screen shows, in one read."""
        now = self._clock()
        counts = self.vault.counts()
        # One read of the entries, the people and the asks for everything Home shows: the connection line looks
        # back INSIGHT_DAYS, the charts SPARK_DAYS of the same entries (newest first, so a prefix).
        lookback = self.reflections.since(now - timedelta(days=INSIGHT_DAYS))
        spark_start = now - timedelta(days=SPARK_DAYS)
        recent = [r for r in lookback if r.created >= spark_start]
        people = self.contacts.all()
        asks_tried, connection = self.asks.home_lines(lookback, people)
        newest_items = recent[:newest] if len(recent) >= newest else self.reflections.page(limit=newest).items
        return Summary(
            reflections=counts["reflections"],
            boundaries=counts["boundaries"],
            contacts=counts["contacts"],
            newest=newest_items,
            prompt=self.reflections.today_prompt(prompt_skip),
            due_contacts=self.contacts.due(people),
            due_boundaries=self.boundaries.due(),
            mood=last_days(recent, "mood", now.date(), SPARK_DAYS, now.tzinfo),
            reliance=last_days(recent, "reliance", now.date(), SPARK_DAYS, now.tzinfo),
            flagged=self.reflections.flagged_count(),
            waiting_session=self.sessions.waiting(),
            conflicts=[visible(c.name) for c in self.conflicts()],
            set_aside=[visible(c.name) for c in self.set_aside()],
            asks_tried=asks_tried,
            connection=connection,
        )

    def welcome(self, crisis_lines: list[str]) -> Welcome:
        """Just unlocked: the draft and the open form to give back; this device's readable copy of the safety
        plan, if kept, rewritten from the journal (so a copy changed on disk by anyone else is put right)."""
        draft, note = self.reflections.draft()
        form = self.kept_form()
        self.safety.refresh_readable_copy(crisis_lines)
        return Welcome(draft, note, form)

    # -- copies of the journal: synced, left by a sync tool, restored ------------------------------
    def sync(self) -> list[str]:
        """Fold in a copy that changed underneath; sentences about anything that happened.

        A conflict copy that a sync tool just left is mentioned once (Home offers to merge it).
        """
        self.vault.sync()
        news = self.news()
        for copy in self.conflicts():
            if copy.name not in self._told:
                self._told.add(copy.name)
                news.append(f"A sync tool left another copy of your journal ({copy.name}); "
                            "press m on Home to merge it in.")
        return news

    def conflicts(self) -> list[Path]:
        """Conflict copies a sync tool left beside the journal."""
        return conflict_copies(self.vault.path)

    def set_aside(self) -> list[Path]:
        """Copies companion kept in backups/ that hold words to bring back (a last save whose end could not
        be read, versions set aside by a merge), until they are merged."""
        return list_offered(self.vault.path)

    def merge_waiting(self) -> list[str]:
        """Merge every copy waiting: a sync tool's conflict copies and the copies set aside; a sentence each."""
        told = []
        for copy in [*self.conflicts(), *self.set_aside()]:
            report, moved = self.merge_copy(copy)
            told.append(f"{report.sentence()} The copy was moved to {moved}.")
        return told

    def merge_copy(self, copy: Path) -> tuple[MergeReport, Path]:
        """Merge one copy in; it is moved into backups/ (returned) afterwards."""
        return self.vault.merge_copy(copy)

    def check(self, passphrase: str) -> CheckReport:
        """Verify the journal's backups, kept copies and draft; counts and states."""
        return self.vault.check(passphrase)

    def change_passphrase(self, current: str, new: str, kdf: KdfParams = DEFAULT_KDF) -> list[Path]:
        """Check the current passphrase, then seal everything again under the new one (see Vault.rewrap_to).

        Returns the copies that could not be re-sealed (they still open with the old passphrase).
        """
        self.vault.verify_passphrase(current)
        return self.vault.change_passphrase(new, kdf)

    def set_new_passphrase(self, new: str, kdf: KdfParams = DEFAULT_KDF) -> list[Path]:
        """After unlocking with the recovery key: seal everything under a new passphrase."""
        return self.vault.change_passphrase(new, kdf)

    def make_recovery_key(self, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> tuple[str, list[Path]]:
        """A new recovery key (a replaced one stops opening anything companion keeps), and any copies
        that could not be re-sealed. The passphrase is checked first and wrapped anew with it."""
        self.vault.verify_passphrase(passphrase)
        header, code = self.vault.header_with_new_recovery_key(passphrase, kdf)
        return code, self.vault.rewrap_to(header)

    # -- a form left open when the journal locked (its fields, sealed beside the vault for this device) ----
    def keep_form(self, state: dict[str, Any]) -> None:
        """Seal an open form's fields aside (what it was, which record, the fields; never a passphrase)."""
        self.vault.save_draft(orjson.dumps(state), "form")

    def kept_form(self) -> dict[str, Any] | None:
        """The form left open by a lock, a quit or a hang-up, if any."""
        raw = self.vault.load_draft("form")
        try:
            value = orjson.loads(raw) if raw is not None else None
        except orjson.JSONDecodeError:
            return None
        return value if isinstance(value, dict) and isinstance(value.get("fields"), dict) else None

    def drop_form(self) -> None:
        """Forget the kept form (it was opened again and closed)."""
        self.vault.save_draft(None, "form")

    def news(self) -> list[str]:
        """Sentences about what happened underneath since the last call (a merged copy, an unconfirmed save),
        each told once: taken where a job ends, on its thread (JournalRunner, a command)."""
        return self.vault.take_news()

    def restore(self, tables: dict[str, Any]) -> Path:
        """Replace the whole journal with a backup's tables; returns where the replaced one was kept."""
        return self.vault.replace_document(tables)

    def close(self) -> None:
        """Lock: drop the decrypted document and release the vault."""
        self.vault.close()
