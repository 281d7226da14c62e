"""Shared fixtures: an isolated data dir, cheap KDF parameters, a fixed clock, seeded vaults."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from companion.crypto import envelope
from companion.crypto.kdf import KdfParams
from companion.domain.reflection import Reflection
from companion.storage.documents import read_document
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    # CI runs the suite a second time under `faketime --exclude-monotonic -f +400d` (see pinned.py).
    # libfaketime 0.9.10 shifts time.sleep's monotonic deadline by the fake offset, and time.sleep fails
    # with EINVAL; the standard library's subprocess waits use it. In this process, a timed wait stands in.
    time.sleep = lambda seconds: threading.Event().wait(seconds) and None

# Tests pass these in through code; production never reads them from anywhere.
FAST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
PASSPHRASE = "quiet harbour lanterns"
CANARY = "CANARY-7f3a-secret-words"
NOW = datetime(2026, 11, 27, 19, 30, tzinfo=timezone(timedelta(hours=1)))

# Snapshots must not show the random pytest folder: the support card names this path instead.
SHOWN_SETTINGS = Path("/home/you/.local/share/companion/settings.toml")

SEED_TEXTS = [
    "Asked Priya to help carry the boxes. She said yes before I finished asking.",
    "Spent the evening alone on purpose. It felt restful, not lonely.",
    "Said no to the extra shift and the sky did not fall.",
    "Offered to cook for Jonas; he offered to wash up. Give and take.",
    "Noticed I wanted to fix everyone's evening again. Let it be.",
]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. About half of a test's time is spent waiting (for a terminal to draw,
    a subprocess, a worker thread), so two a core finished the suite in 2:02 here against 3:05 for one."""
    return 2 * len(os.sched_getaffinity(0))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/system is a system test (`-m "not system"` leaves them out)."""
    for item in items:
        if "system" in item.path.parts:
            item.add_marker(pytest.mark.system)


def open_vault_file(blob: bytes, passphrase: str = PASSPHRASE, *, recovery: str | None = None) -> dict[str, Any]:
    """A vault file of any format, opened the way companion opens one: its whole document."""
    header = envelope.parse_header(blob)
    if recovery is not None:
        key = envelope.unwrap_with_recovery(header, recovery)
    else:
        key = envelope.unwrap_key(header, passphrase)
    return read_document(Path("copy.companion"), blob, key)[1]


def fixed_clock() -> datetime:
    """A clock stuck at NOW."""
    return NOW


class HandClock:
    """A monotonic clock that moves only when the test moves it (the idle auto-lock counts on it)."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.seconds += seconds


@pytest.fixture(autouse=True, scope="session")
def faketime_leaves_nothing_behind() -> Iterator[None]:
    """The pinned programs tests start and kill leave nothing of libfaketime's in /dev/shm: what belongs to a
    process that has ended is removed when a session starts (the last test's programs may still be ending
    when the one before finished) and when it ends."""
    from pinned import forget_shared_memory, shared_memory_pids

    forget_shared_memory(shared_memory_pids())
    yield
    forget_shared_memory(shared_memory_pids())


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own user folders (data, config, state: a pinned capture key, ...), here and in every
    program it starts: never the machine's."""
    base = tmp_path_factory.mktemp("user")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(base / name.lower()))


@pytest.fixture(autouse=True)
def presses_wait_for_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """pilot.press returns once its keys have acted. companion hands a key on only after the one before it has
    settled (textual_private.KeysInOrder), so a key pressed meanwhile waits: press waits for it too."""
    from textual.pilot import Pilot

    press = Pilot.press

    async def press_and_wait(self: Pilot[Any], *keys: str) -> None:
        await press(self, *keys)
        if hasattr(self.app, "keys_acted") and self.app.is_running:
            await asyncio.wait_for(self.app.keys_acted(), timeout=10)
            await self.pause()

    monkeypatch.setattr(Pilot, "press", press_and_wait)


@pytest.fixture(autouse=True)
def no_machine_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, the machine's clocks are out of reach: a test that reaches them fails, whatever the day."""
    import companion.clocks

    def refuse() -> object:
        raise AssertionError("a test read the machine's clock; hand the code a fixed one (conftest.fixed_clock)")

    monkeypatch.setattr(companion.clocks, "local_now", refuse)
    monkeypatch.setattr(companion.clocks, "monotonic", refuse)


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    """Where the vault lives, in a fresh folder that does not exist yet."""
    return tmp_path / "data" / "vault.companion"


@pytest.fixture
def make_vault(vault_path: Path) -> Callable[..., Path]:
    """Create a vault (fast KDF) holding `texts` as reflections, and close it."""

    def make(texts: list[str] | None = None, passphrase: str = PASSPHRASE, path: Path = vault_path) -> Path:
        with Vault.create(path, passphrase, FAST_KDF, clock=fixed_clock) as vault:
            repo = ReflectionRepository(vault)
            for i, text in enumerate(texts or []):
                repo.add(Reflection(text=text, created=NOW - timedelta(days=len(texts or []) - i, hours=i),
                                    mood=(i % 5) + 1, tags=["seed"]))
        return path

    return make


@pytest.fixture
def seeded_vault(make_vault: Callable[..., Path]) -> Path:
    """A vault holding the fictional seed reflections."""
    return make_vault(SEED_TEXTS)


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Callable[[str], Path]:
    """Write a passphrase file and return its path."""

    def write(passphrase: str = PASSPHRASE, name: str = "pass.txt") -> Path:
        path = tmp_path / name
        path.write_text(passphrase + "\n", encoding="utf-8")
        return path

    return write


def make_app(path: Path, settings_file: Path = SHOWN_SETTINGS, **options: Any):  # type: ignore[no-untyped-def]
    """The app over `path`: fast KDF, fixed wall clock, a hand-moved monotonic clock (app.monotonic), and no
    2-second look at the disk (tests that are about it call app.check_disk()). Textual imported only here."""
    from companion.app import CompanionApp

    options = {"kdf": FAST_KDF, "clock": fixed_clock, "monotonic": HandClock(), "poll_seconds": None, **options}
    app = CompanionApp(path, settings_file=settings_file, **options)
    app.blink = False  # steady cursors: snapshots do not depend on the moment (or on running over SSH)
    return app


# Workers that finish by themselves (the journal's jobs, the KDF, encrypting an export); the others
# wait on a dialog and are left alone.
BACKGROUND = {"journal", "unlock", "export", "share-written", "passphrase", "lock"}


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the app finish what it started in the background (saves, loads, the KDF), then draw."""
    for _ in range(50):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.group in BACKGROUND and w.is_running]
        if not busy:
            await pilot.pause()
            return
        for worker in busy:
            await worker.wait()
    raise AssertionError("the app never settled")


async def submit_passphrase(pilot, *values: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the focused field with each value and press Enter, then wait for the KDF and the first loads."""
    for value in values:
        pilot.app.focused.value = value  # typing key by key is covered by test_strength_hint_follows_typing
        await pilot.press("enter")
    await settle(pilot)


def journal_of(app):  # type: ignore[no-untyped-def]
    """The open journal behind the app (tests look at it only after settle())."""
    assert app.runner is not None, "the journal is locked"
    return app.runner.journal


def seed_practices(path: Path, passphrase: str = PASSPHRASE) -> None:
    """Add fictional boundaries, contacts and richer reflections to an existing vault."""
    from datetime import date

    from companion.domain.boundary import Boundary, BoundaryEvent
    from companion.domain.contact import Contact
    from companion.domain.prompts import BUILT_IN
    from companion.domain.session import Session
    from companion.services.journal import Journal

    today = NOW.date()
    with Vault.open(path, passphrase, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        priya = journal.contacts.save(Contact(
            "Priya", "secure-base", supports="Listens without trying to fix it", offer="Cooking on Sundays",
            reach="Text first, then call", reconnect_days=14, ring="closest", kinds=["listening", "company"]))
        journal.contacts.log(priya, "asked", "Asked her to help me move", day=today - timedelta(days=20),
                             support="practical")
        journal.contacts.log(priya, "together", "Walk by the canal", day=today - timedelta(days=16))
        jonas = journal.contacts.save(Contact("Jonas", "mutual", supports="Practical help", offer="Lifts to work",
                                              reconnect_days=30, ring="close", kinds=["practical"]))
        journal.contacts.log(jonas, "helped-them", "Drove him to the station", day=today - timedelta(days=2),
                             support="practical")
        journal.contacts.save(Contact("Dr. Reyes", "professional", supports="Weekly sessions", ring="wider"))
        journal.boundaries.save(Boundary(
            who="Mum", boundary="No calls about my weight", why="It leaves me anxious for days",
            script="I love you, and I won't talk about my body.", status="said",
            review_on=today - timedelta(days=1), contact_id=None,
            events=[BoundaryEvent(today - timedelta(days=5), "held", "Changed the subject kindly")]))
        journal.boundaries.save(Boundary(
            who="Work", boundary="No messages after 8pm", why="Evenings are for rest", status="holding",
            review_on=date(2027, 1, 15)))
        journal.boundaries.save(Boundary(who="", boundary="Ask for help before I am exhausted", status="thinking"))
        journal.sessions.save(Session(day=today - timedelta(days=10), agenda="Asking for help at work",
                                      takeaways="Start with small, specific asks."))
        journal.sessions.save(Session(day=today + timedelta(days=4), agenda="Evenings and rest"))
        for i, prompt in enumerate(BUILT_IN[:4]):
            journal.reflections.save(Reflection(
                text=f"A guided answer, number {i}. I leaned a little and it was fine.",
                created=NOW - timedelta(days=i, hours=2), prompt=prompt.text, theme=prompt.theme,
                mood=3 + (i % 3) - 1, reliance=2 + i % 3, tags=["guided"], flagged=i % 2 == 0,
                contacts=[priya.id] if priya.id else []))


def seed_asks(path: Path, passphrase: str = PASSPHRASE) -> None:
    """Add fictional ask experiments (after seed_practices): three tried (one went as feared), two on the ladder."""
    from companion.domain.experiment import Experiment
    from companion.services.journal import Journal

    today = NOW.date()
    with Vault.open(path, passphrase, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        people = {c.name: c.id for c in journal.contacts.all()}
        for ask, fear, before, whom, days, happened, after in [
                ("Lunch on Saturday?", "She'd rather see other friends", 70, "Priya", 10, "She said yes at once", 20),
                ("A lift to the station", "He'll say no", 50, "Sam", 6, "He couldn't, and said so kindly", 50),
                ("Help me move the sofa", "He'll think I'm using him", 80, "Jonas", 3, "He came round the same day", 30)]:
            item = journal.asks.save(Experiment(ask, fear, before, who="" if whom in people else whom,
                                                contact_id=people.get(whom)))
            journal.asks.complete(item.id or 0, today - timedelta(days=days), happened, after,
                                  learned="Asking is allowed" if after < before else "")
        journal.asks.save(Experiment("Would you look over my letter?", "He's too busy", 60,
                                     contact_id=people["Jonas"], planned=today + timedelta(days=2)))
        journal.asks.save(Experiment("Could you listen without advising?", "He'll be hurt", 85, who="Dad"))


def seed_many(path: Path, count: int, passphrase: str = PASSPHRASE) -> None:
    """Insert `count` fictional reflections in one write (fast), one of them findable."""
    with Vault.open(path, passphrase, clock=fixed_clock) as vault:
        records = [
            Reflection(text=f"Ordinary day number {i}. Tea, work, a short walk.",
                       created=NOW - timedelta(minutes=7 * i), mood=(i % 5) + 1).to_record()
            for i in range(count)
        ]
        records[count // 2]["text"] = "The one about the lighthouse keeper who finally asked for help."
        ReflectionRepository(vault).insert_many(records)


async def wait_until(pilot, condition: Callable[[], object], what: str, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until `condition()` holds; AssertionError naming `what` after `timeout` seconds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{what} never happened within {timeout} s")


async def burst(pilot, data: str) -> None:  # type: ignore[no-untyped-def]
    """`data` as one read from the terminal (a paste, a slow SSH line, a fast typist): parsed as the Linux
    driver parses it, every key queued at once (pilot.press would wait for each), then let it all act."""
    from companion.textual_private import EscapeThenKey

    app, acted = pilot.app, asyncio.Event()
    for event in EscapeThenKey().feed(data):
        app.post_message(event)
    app.call_later(app.after_keys, acted.set)  # behind the keys in the App's queue, then after they acted
    await asyncio.wait_for(acted.wait(), timeout=30)
    await settle(pilot)


@asynccontextmanager
async def unlocked(path: Path, size: tuple[int, int] = (80, 24), **options: Any):  # type: ignore[no-untyped-def]
    """The app over `path` (make_app's `options`), already unlocked: `async with unlocked(path) as (app, pilot)`."""
    app = make_app(path, **options)
    async with app.run_test(size=size) as pilot:
        await submit_passphrase(pilot, PASSPHRASE)
        yield app, pilot


@pytest.fixture
def cli_vault(tmp_path: Path, passphrase_file: Callable[..., Path]) -> tuple[Path, Path]:
    """A new journal, made as `companion init` makes one but with the fast KDF (every command that opens it
    then skips 64 MiB of Argon2id), and its passphrase file. test_cli's init tests use the real command."""
    from companion.services.opening import create_journal

    vault = tmp_path / "home" / "vault.companion"
    create_journal(vault, PASSPHRASE, clock=fixed_clock, kdf=FAST_KDF).journal.close()
    return vault, passphrase_file()
