"""Quick capture without unlocking: `companion capture` seals an entry to the journal's capture key and
never reads the journal; the next unlock takes it in, once, tagged #captured. Damaged lines are kept
(still encrypted), never fatal; the inbox lines are plain age files, as the age CLI makes them."""

from __future__ import annotations

import base64
import json
import shutil
import stat
import subprocess
from pathlib import Path

from companion.services.inbox import inbox_path, key_path

from pinned import pinned_env
from test_cli import one_sentence, run


def _listed(vault: Path, pw: Path) -> list[dict[str, object]]:
    done = run("--data", str(vault), "--passphrase-file", str(pw), "list", "--json")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_capture_needs_no_passphrase_and_the_next_unlock_takes_it_in(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    done = run("--data", str(vault), "capture", "Walked home the long way", "--tag", "walk")
    assert done.returncode == 0, done.stderr
    assert run("--data", str(vault), "capture", stdin="Second thought, from standard input\n").returncode == 0
    inbox = inbox_path(vault)
    assert stat.S_IMODE(inbox.stat().st_mode) == 0o600 and len(inbox.read_bytes().splitlines()) == 2
    assert vault.read_bytes() == before  # the journal itself was not touched
    assert b"Walked home" not in inbox.read_bytes()  # sealed
    listing = run("--data", str(vault), "--passphrase-file", str(pw), "list", "--json")
    assert "2 entries captured without unlocking were added (tagged #captured)." in listing.stderr
    entries = json.loads(listing.stdout)
    assert {e["text"].strip() for e in entries} == {"Walked home the long way", "Second thought, from standard input"}
    assert all("captured" in e["tags"] for e in entries) and ["walk", "captured"] in [e["tags"] for e in entries]
    assert not list(vault.parent.glob("*.inbox*"))  # taken in, and gone
    assert len(_listed(vault, pw)) == 2  # nothing is taken in twice


def test_capture_never_reads_the_journal(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    kept = tmp_path / "kept.companion"
    shutil.copy(vault, kept)
    vault.write_bytes(b"not a journal at all")  # capture only reads the public key beside it
    assert run("--data", str(vault), "capture", "Still works").returncode == 0
    shutil.copy(kept, vault)
    assert [e["text"] for e in _listed(vault, pw)] == ["Still works"]


def test_before_the_first_unlock_capture_says_how_to_set_it_up(tmp_path: Path) -> None:
    vault = tmp_path / "journal" / "vault.companion"
    done = run("--data", str(vault), "capture", "Too early")
    assert done.returncode == 2 and "no journal at" in one_sentence(done.stderr)
    vault.parent.mkdir()
    vault.write_bytes(b"x")
    done = run("--data", str(vault), "capture", "Too early")
    assert done.returncode == 2 and "open it once" in one_sentence(done.stderr)
    assert not list(vault.parent.glob("*.inbox"))


def test_a_damaged_line_is_kept_encrypted_and_the_rest_is_taken_in(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    assert run("--data", str(vault), "capture", "First").returncode == 0
    inbox = inbox_path(vault)
    good = inbox.read_bytes()
    flipped = bytearray(base64.b64decode(good.strip()))
    flipped[-5] ^= 0x40
    inbox.write_bytes(good + base64.b64encode(bytes(flipped)) + b"\n" + b"half a line with no end")
    listing = run("--data", str(vault), "--passphrase-file", str(pw), "list", "--json")
    assert listing.returncode == 0, listing.stderr
    assert [e["text"] for e in json.loads(listing.stdout)] == ["First"]
    assert "2 captured entries could not be opened" in listing.stderr
    [kept] = list((vault.parent / "backups").glob("captured-set-aside-*.txt"))
    assert kept.read_bytes().count(b"\n") == 2 and b"First" not in kept.read_bytes()


def test_an_inbox_left_by_a_crash_is_not_taken_in_twice(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    assert run("--data", str(vault), "capture", "Only once").returncode == 0
    line = inbox_path(vault).read_bytes()
    assert len(_listed(vault, pw)) == 1
    # As if the last unlock stopped after saving but before removing what it had set aside:
    inbox_path(vault).with_name(inbox_path(vault).name + ".taking-deadbeef").write_bytes(line)
    assert [e["text"] for e in _listed(vault, pw)] == ["Only once"]
    assert not list(vault.parent.glob("*.inbox*"))


def test_an_inbox_line_is_a_plain_age_file(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    _listed(vault, pw)  # the key exists from the first unlock
    recipient = key_path(vault).read_text().strip()
    record = {"id": "from-the-age-cli", "text": "Sealed by age itself", "created": "2026-11-20T09:00:00+00:00",
              "tags": ["outside"]}
    sealed = subprocess.run(["age", "-r", recipient], input=json.dumps(record).encode(), capture_output=True,
                            check=True).stdout
    inbox_path(vault).write_bytes(base64.b64encode(sealed) + b"\n")
    [entry] = _listed(vault, pw)
    assert entry["text"] == "Sealed by age itself" and entry["tags"] == ["outside", "captured"]


def test_only_the_first_unlock_sets_up_the_key(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    _listed(vault, pw)
    settled = vault.read_bytes()
    _listed(vault, pw)  # the key pair is in place: unlocking again writes nothing
    assert vault.read_bytes() == settled


def test_capture_loads_no_journal_code(cli_vault: tuple[Path, Path]) -> None:
    """Capturing starts quickly: it imports neither the vault, TinyDB, Textual nor the journal services."""
    import sys

    vault, _ = cli_vault
    probe = ("import sys\nfrom companion.cli import main\ncode = main(['--data', sys.argv[1], 'capture', 'quick'])\n"
             "heavy = [m for m in ('companion.storage.vault', 'tinydb', 'textual', 'companion.services.journal',"
             " 'companion.commands', 'cryptography.hazmat.primitives.kdf.scrypt') if m in sys.modules]\n"
             "print(code, heavy)")
    done = subprocess.run([sys.executable, "-c", probe, str(vault)], capture_output=True, text=True, env=pinned_env())
    assert done.stdout.strip().endswith("0 []"), done.stdout + done.stderr


def test_an_inbox_larger_than_any_limit_is_all_taken_in(cli_vault: tuple[Path, Path]) -> None:
    from datetime import timedelta

    from companion.services.inbox import capture

    from conftest import NOW

    vault, pw = cli_vault
    for i in range(60):  # 60 captures of about 1.2 MB each: 73 MB, more than an inbox was ever read of
        capture(vault, f"capture {i:02d} " + "words, " * 130_000, [], NOW + timedelta(minutes=i))
    assert inbox_path(vault).stat().st_size > 64 * 1024 * 1024
    listing = run("--data", str(vault), "--passphrase-file", str(pw), "list", "-n", "100")
    assert listing.returncode == 0, listing.stderr
    assert "60 entries captured without unlocking were added" in listing.stderr
    assert all(f"capture {i:02d} " in listing.stdout for i in range(60))
    assert not list(vault.parent.glob("*.inbox*")) and not list((vault.parent / "backups").glob("captured-*"))


def test_a_garbage_line_of_any_length_lets_the_captures_after_it_in(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    inbox = inbox_path(vault)
    inbox.write_bytes(b"x" * (70 * 1024 * 1024) + b"\n")  # 70 MB of something that is not a capture
    for text in ("one", "two", "three"):
        assert run("--data", str(vault), "capture", text).returncode == 0
    listing = run("--data", str(vault), "--passphrase-file", str(pw), "list")
    assert listing.returncode == 0, listing.stderr
    assert all(t in listing.stdout for t in ("one", "two", "three"))
    assert "3 entries captured without unlocking were added" in listing.stderr
    assert "1 captured entry could not be opened; it is kept, still encrypted" in listing.stderr
    [kept] = list((vault.parent / "backups").glob("captured-set-aside-*.txt"))
    assert kept.stat().st_size > 70 * 1024 * 1024  # the whole inbox, as it was: nothing removed unread
    assert not list(vault.parent.glob("*.inbox*"))


def test_an_entry_captured_to_the_other_devices_key_is_taken_in_after_a_merge(cli_vault: tuple[Path, Path],
                                                                             tmp_path: Path) -> None:
    import pyrage

    from companion.storage.merge import CAPTURE_IDENTITY
    from companion.storage.repositories import PreferenceRepository
    from companion.storage.vault import Vault

    from conftest import PASSPHRASE, fixed_clock

    vault, pw = cli_vault
    phone = tmp_path / "phone" / "vault.companion"
    phone.parent.mkdir()
    shutil.copy2(vault, phone)
    theirs = pyrage.x25519.Identity.generate()  # the phone made a capture key of its own
    with Vault.open(phone, PASSPHRASE, clock=fixed_clock) as there:
        PreferenceRepository(there).set(CAPTURE_IDENTITY, str(theirs))
    record = {"id": "from-the-phone", "text": "Captured on the phone", "created": "2026-11-27T08:00:00+00:00",
              "tags": []}
    sealed = pyrage.encrypt(json.dumps(record).encode(), [theirs.to_public()])
    inbox_path(vault).with_name("vault.companion.0badcafe.inbox").write_bytes(base64.b64encode(sealed) + b"\n")
    conflict = vault.with_name("vault.sync-conflict-20261127-193000-PHONE.companion")
    shutil.copy2(phone, conflict)
    assert run("--data", str(vault), "--passphrase-file", str(pw), "merge", str(conflict)).returncode == 0
    assert [e["text"] for e in _listed(vault, pw)] == ["Captured on the phone"]
    assert not list((vault.parent / "backups").glob("captured-set-aside-*"))


def test_a_capture_key_swapped_beside_the_journal_is_not_sealed_to(cli_vault: tuple[Path, Path]) -> None:
    import pyrage

    vault, pw = cli_vault
    stranger = pyrage.x25519.Identity.generate()
    key_path(vault).write_text(str(stranger.to_public()) + "\n")  # someone who can write the synced folder
    done = run("--data", str(vault), "capture", "Words for me alone")
    assert done.returncode == 0, done.stderr
    assert "not the one this device was given" in one_sentence(done.stderr)
    line = inbox_path(vault).read_bytes().strip()
    with __import__("pytest").raises(pyrage.DecryptError):
        pyrage.decrypt(base64.b64decode(line), [stranger])  # not sealed to them
    listing = run("--data", str(vault), "--passphrase-file", str(pw), "list")
    assert "Words for me alone" in listing.stdout  # sealed to the journal's own key, the one pinned here
    assert "set right again" in listing.stderr and key_path(vault).read_text().strip() != str(stranger.to_public())
