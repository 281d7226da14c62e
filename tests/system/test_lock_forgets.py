"""A lock that forgets (docs/SECURITY.md, "What a lock leaves in memory"): after ctrl+l, no readable page of the
process that shows the lock screen holds a word of the journal, a draft or the passphrase. The app runs in a real
terminal (tmux); its memory is read through /proc/PID/mem, every readable mapping, for canaries in UTF-8, Latin-1,
UTF-16 and UTF-32 (the forms Python and Textual hold text in). Reading another process's memory needs ptrace
rights (root, as CI runs): a run without them fails here rather than pass blind."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminals import COMPANION, Tmux, made_journal, replaced, seconds_until_gone

PASSPHRASE = "lantern ostrich quietly 42"  # a canary itself: it must not outlive the lock
OLDER = "OlderQuokkaWord"  # an entry written before, that Home shows
SAVED = "SavedPangolinŐword"  # an entry typed and saved in the app (Ő: held as UTF-16 by Python)
DRAFT = "DraftNarwhalWord"  # typed in the editor left open when the lock came
CANARIES = (PASSPHRASE, OLDER, SAVED, DRAFT)
FRESH_START = b"\x1b[?1049h"  # the first thing a fresh process writes: Textual enters the alternate screen


def _forms(word: str) -> list[bytes]:
    forms = [word.encode(), word.encode("utf-16-le"), word.encode("utf-32-le")]
    try:
        forms.append(word.encode("latin-1"))
    except UnicodeEncodeError:
        pass
    return list(dict.fromkeys(forms))


def copies_in_memory(pid: int, words: tuple[str, ...]) -> dict[str, int]:
    """How many times each word is found, in any of its forms, in the readable memory of process `pid`."""
    found = dict.fromkeys(words, 0)
    patterns = {word: _forms(word) for word in words}
    regions = 0
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            span, perms, *rest = line.split()
            if not perms.startswith("r") or rest[-1] in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:
                continue  # a guard page, or a mapping gone meanwhile
            regions += 1
            for word, forms in patterns.items():
                found[word] += sum(data.count(form) for form in forms)
    assert regions > 10, "the process's memory could not be read: this test needs ptrace rights (run as root)"
    return found


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    vault, pw = made_journal(tmp_path, PASSPHRASE, f"Written last week: {OLDER} and asking for help")
    pw.unlink()
    return vault


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    pane = Tmux("lock-forgets")
    yield pane
    pane.kill()


HOW = {  # how the lock comes, and what is open when it does
    "ctrl+l in the editor": ("editor", "C-l"),
    "ctrl+l in a form": ("form", "C-l"),
    "the idle lock": ("editor", None),
}


@pytest.mark.parametrize("how", list(HOW))
def test_after_a_lock_no_word_and_no_passphrase_is_left_in_memory(journal: Path, tmux: Tmux, how: str) -> None:
    opened, key = HOW[how]
    if key is None:  # locks after 3 seconds without a key press
        (journal.parent / "settings.toml").write_text("auto_lock_minutes = 0.05\n")
    tmux.start([COMPANION, "--data", str(journal)])
    tmux.unlock(PASSPHRASE)
    tmux.wait_for(OLDER[:10])  # Home shows the older entry
    tmux.new_entry()
    tmux.type(f"Today {SAVED} felt lighter")
    tmux.keys("C-s")
    tmux.wait_for("Newest reflections")
    if opened == "editor":
        tmux.new_entry()
        tmux.type(f"Half a thought {DRAFT}")  # left open in the editor: the lock seals it as a draft
    else:
        tmux.keys("3")
        tmux.wait_for("No boundaries yet")
        tmux.keys("n")
        tmux.wait_for("A new boundary")
        tmux.type(f"My sister {DRAFT}")  # a form left open: the lock keeps its fields sealed
    pid = tmux.program_pid()
    before = copies_in_memory(pid, CANARIES)
    assert all(before[word] > 0 for word in CANARIES), before  # the scan finds them while unlocked

    if key is not None:
        tmux.keys(key)
    replaced(pid)
    tmux.type("x")  # the fresh process reads keys: its lock screen is up
    tmux.wait_for("Passphrase  ║•")
    assert copies_in_memory(pid, CANARIES) == dict.fromkeys(CANARIES, 0)

    tmux.keys("BSpace")  # and the journal opens again as before, what was open offered back
    tmux.type(PASSPHRASE)
    tmux.keys("Enter")
    tmux.wait_for("Your unfinished entry was kept safe" if opened == "editor" else "The form you had open was kept")
    tmux.wait_for(DRAFT)


def test_keys_typed_with_the_lock_reach_the_fresh_lock_screen(journal: Path, tmux: Tmux) -> None:
    tmux.start([COMPANION, "--data", str(journal)])
    tmux.unlock(PASSPHRASE)
    tmux.wait_for("Today's prompt")
    pid = tmux.program_pid()
    tmux.burst("C-l", PASSPHRASE, "Enter")  # one read: the lock, then the passphrase typed straight after
    replaced(pid)
    tmux.wait_for("Today's prompt")  # the fresh process unlocked with it
    tmux.burst("C-l", "lan")  # and keys with no Enter wait in its field
    tmux.wait_for("Passphrase  ║•••")
    tmux.type(PASSPHRASE[3:])
    tmux.keys("Enter")
    tmux.wait_for("Today's prompt")


def test_the_lock_screen_is_drawn_before_the_process_is_replaced(journal: Path, tmux: Tmux, tmp_path: Path) -> None:
    """Until the fresh process draws its first screen (a quarter second, longer on a slow machine), the terminal
    shows what the locked one drew last: that must be the lock screen, never the journal. Keys typed with the
    lock (a passphrase and Enter in one read) had the old process replaced before its lock screen was drawn in
    some locks, not all (Textual held drawing back for 50 ms as it switched modes): six locks here."""
    written = tmp_path / "terminal-output"
    tmux.start([COMPANION, "--data", str(journal)])
    tmux.record(written)
    tmux.unlock(PASSPHRASE)
    tmux.wait_for("Today's prompt")
    home, fresh_start = re.escape(b"Today's prompt"), re.escape(FRESH_START)
    locks = 6
    for lock in range(1, locks + 1):
        tmux.burst("C-l", PASSPHRASE, "Enter")
        # the lock's fresh process has unlocked with the keys and drawn Home
        stream = _written(written, re.compile(home + (b".*?" + fresh_start + b".*?" + home) * lock, re.DOTALL))
    starts = [found.start() for found in re.finditer(fresh_start, stream) if found.start() > stream.find(b"Today's")]
    assert len(starts) == locks
    for start in starts:
        last_drawn = stream[stream.rindex(b"Today's prompt", 0, start):start]  # from Home, until the fresh one
        assert b"Your journal is locked" in last_drawn, f"replaced with Home on the terminal: {last_drawn[-300:]!r}"


def _written(path: Path, pattern: re.Pattern[bytes], timeout: float = 30.0) -> bytes:
    """What the program wrote to the terminal, once it holds `pattern` (tmux pipes it to `path` as it goes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stream = path.read_bytes() if path.exists() else b""
        if pattern.search(stream):
            return stream
        time.sleep(0.05)
    raise AssertionError(f"the terminal never showed {pattern.pattern!r}")


def _locked_afresh(pane: Tmux, journal: Path) -> int:
    """companion started, unlocked and locked in `pane`: the pid of the fresh process on its lock screen."""
    pane.start([COMPANION, "--data", str(journal)])
    pane.unlock(PASSPHRASE)
    pane.wait_for("Today's prompt")
    pid = pane.program_pid()
    pane.keys("C-l")
    replaced(pid)
    pane.type("x")
    pane.wait_for("Passphrase  ║•")
    return pid


def test_the_fresh_process_still_ends_on_a_hang_up_or_a_closed_terminal(journal: Path, tmux: Tmux) -> None:
    os.kill(_locked_afresh(tmux, journal), signal.SIGHUP)  # a dropped SSH connection
    tmux.wait_for("companion-exited=129")
    again = Tmux("lock-closed")
    try:
        pid = _locked_afresh(again, journal)
    finally:
        again.kill()  # the terminal itself goes away: the process must not linger
    assert seconds_until_gone(pid, timeout=10) < 10
