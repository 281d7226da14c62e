"""Two real Syncthing instances on loopback share the journal's folder: one device writes while the
other has the app open, then both write while disconnected. Nothing is lost on either side."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import PASSPHRASE, fixed_clock
from pinned import pinned_env
from syncthing import Device, pair, wait_until
from terminals import COMPANION, Tmux

ROOT = Path(__file__).resolve().parents[2]


def readme_ignore_patterns() -> str:
    """The .stignore block exactly as the README gives it to people."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```text\n(// \.stignore.*?)```", readme, re.S)
    assert match, "the README's 'Syncing between devices' section gives a .stignore block"
    return match.group(1)


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    laptop, phone = pair(tmp_path, readme_ignore_patterns())
    yield laptop, phone
    laptop.stop()
    phone.stop()


def _edit(vault: Path, old: str, new: str) -> None:
    """An edit on that device (its companion, in this process, at the pinned time)."""
    with Vault.open(vault, PASSPHRASE, clock=fixed_clock) as opened:
        repo = ReflectionRepository(opened)
        doc_id = next(i for i, r in repo.rows() if r["text"] == old)
        entry = repo.get(doc_id)
        assert entry is not None
        entry.text = new
        repo.update(entry)


def _apart(laptop: Device, phone: Device, write: Callable[[], None], what: str) -> Path:
    """Both devices disconnected while `write` writes on each; once they meet again, Syncthing's conflict copy."""
    laptop.pause(phone)
    phone.pause(laptop)
    write()
    laptop.resume(phone)
    phone.resume(laptop)
    laptop.rescan()
    phone.rescan()
    wait_until(lambda: any("sync-conflict" in p.name for p in laptop.folder.iterdir()), timeout=90, what=what)
    return next(p for p in laptop.folder.iterdir() if "sync-conflict" in p.name)


def cli(vault: Path, pw: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMPANION, "--data", str(vault), "--passphrase-file", str(pw), *args],
                          capture_output=True, text=True, env=pinned_env(), timeout=60)


def test_two_devices_through_syncthing(devices: tuple[Device, Device],
                                       passphrase_file: Callable[..., Path]) -> None:
    laptop, phone = devices
    pw = passphrase_file()
    here, there = laptop.folder / "vault.companion", phone.folder / "vault.companion"
    assert cli(here, pw, "init").returncode == 0
    laptop.rescan()
    wait_until(lambda: there.exists() and there.read_bytes() == here.read_bytes(), what="the journal on the phone")

    app = Tmux("laptop")
    try:
        app.start([COMPANION, "--data", str(here)])
        app.unlock(PASSPHRASE)
        app.wait_for("Today's prompt")

        # 1. The phone writes while the laptop has the app open.
        assert cli(there, pw, "add", "Written on the phone").returncode == 0
        phone.rescan()
        app.wait_for("Written on the phone", timeout=60)  # merged in, and Home shows it

        # The laptop writes; the phone gets both.
        app.new_entry()
        app.type("Written on the laptop")
        app.keys("C-s")
        app.wait_for("Newest reflections")
        laptop.rescan()
        wait_until(lambda: "Written on the laptop" in cli(there, pw, "list").stdout, what="the laptop's entry")
        assert "Written on the phone" in cli(there, pw, "list").stdout

        # 2. Both write while disconnected.
        laptop.pause(phone)
        phone.pause(laptop)
        app.new_entry()
        app.type("Laptop, offline")
        app.keys("C-s")
        app.wait_for("Laptop, offline")
        assert cli(there, pw, "add", "Phone, offline").returncode == 0
        laptop.resume(phone)
        phone.resume(laptop)
        laptop.rescan()
        phone.rescan()

        def laptop_has_everything() -> bool:
            screen = app.screen()
            if "press m on Home" in screen or "Press m to merge" in screen:
                app.keys("1", "m")  # the app offers a conflict copy: merge it
            return "Your journal holds 4 reflections" in screen  # (notices may cover the list itself)

        wait_until(laptop_has_everything, timeout=90, every=1.0,
                   what=lambda: "both offline entries in the laptop's app; it shows:\n" + app.screen())
        laptop.rescan()
        everything = ["Written on the phone", "Written on the laptop", "Laptop, offline", "Phone, offline"]
        wait_until(lambda: all(t in cli(there, pw, "list").stdout for t in everything), timeout=90,
                   what="every entry on the phone")
        app.keys("C-q")
        app.wait_for("companion-exited=0")
    finally:
        app.kill()

    # 3. Both write while disconnected with no app open: Syncthing itself leaves a conflict copy.
    def both_add() -> None:
        assert cli(here, pw, "add", "Laptop, second trip").returncode == 0
        assert cli(there, pw, "add", "Phone, second trip").returncode == 0

    copy = _apart(laptop, phone, both_add, "Syncthing's conflict copy")
    wait_until(lambda: copy.name in cli(here, pw, "check").stdout, what="check naming the conflict copy")
    app = Tmux("laptop-again")
    try:
        app.start([COMPANION, "--data", str(here)])
        app.unlock(PASSPHRASE)
        app.wait_for("A sync tool left another copy of your journal")
        app.keys("m")
        app.wait_for("was merged")
        app.keys("C-q")
        app.wait_for("companion-exited=0")
    finally:
        app.kill()
    everything += ["Laptop, second trip", "Phone, second trip"]
    laptop.rescan()
    wait_until(lambda: all(t in cli(there, pw, "list").stdout for t in everything), timeout=90,
               what="every entry on the phone after the merge")
    wait_until(lambda: not any("sync-conflict" in p.name for p in phone.folder.iterdir()), timeout=90,
               what="the merged conflict copy to leave the phone's folder too")

    # 4. Each device edits an entry while disconnected: neither edit is reverted when the copies meet.
    def both_edit() -> None:
        _edit(here, "Laptop, second trip", "Laptop, second trip (edited on the laptop)")
        _edit(there, "Written on the laptop", "Written on the laptop (edited on the phone)")

    copy = _apart(laptop, phone, both_edit, "Syncthing's conflict copy of the edits")
    merged = cli(here, pw, "merge", str(copy))
    assert merged.returncode == 0, merged.stderr
    everything = [t for t in everything if t not in ("Laptop, second trip", "Written on the laptop")]
    everything += ["Laptop, second trip (edited on the laptop)", "Written on the laptop (edited on the phone)"]
    laptop.rescan()
    wait_until(lambda: all(t in cli(there, pw, "list").stdout for t in everything), timeout=90,
               what="both edits on the phone")

    for vault in (here, there):
        listed = cli(vault, pw, "list").stdout
        assert all(listed.count(t) == 1 for t in everything), listed
        assert "Laptop, second trip\n" not in listed and "Written on the laptop\n" not in listed  # none reverted
        checked = cli(vault, pw, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "concurrent-edit" not in checked.stdout  # different entries: nothing was concurrent
    # What belongs to one device never travelled: each side's backups are its own.
    mine = {p.name for p in (laptop.folder / "backups").iterdir()}
    theirs = {p.name for p in (phone.folder / "backups").iterdir()}
    assert mine and theirs and not mine & theirs
