"""One flipped byte in the newest manifest, through the real command line: `list` and `check` read and
never cut the journal, `check` names the kept copy that holds the last save, `merge` brings it back."""

from __future__ import annotations

from pathlib import Path

from companion.crypto import envelope
from companion.storage import segments

from test_cli import one_sentence, run


def _flip_the_newest_manifest(vault: Path) -> bytes:
    blob = bytearray(vault.read_bytes())
    offset, _, _ = segments.TRAILER.unpack(blob[-segments.TRAILER.size:])
    assert offset > envelope.parse_header(bytes(blob)).length
    blob[offset + 9] ^= 0x01
    vault.write_bytes(bytes(blob))
    return bytes(blob)


def test_a_flipped_byte_in_the_newest_manifest_through_the_command_line(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    assert run(*base, "add", "the first save").returncode == 0
    assert run(*base, "add", "the last save").returncode == 0
    damaged = _flip_the_newest_manifest(vault)
    listed = run(*base, "list")
    assert listed.returncode == 0
    assert "the first save" in listed.stdout and "the last save" not in listed.stdout
    assert "Its last save could still be read" in one_sentence(listed.stderr)
    checked = run(*base, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    [line] = [ln for ln in checked.stdout.splitlines() if ln.startswith("Kept aside to bring back:")]
    kept = line.split("companion merge ", 1)[1]
    assert vault.read_bytes() == damaged  # read-only commands never cut or rewrite the journal
    merged = run(*base, "merge", kept)
    assert merged.returncode == 0, merged.stderr
    assert "1 entry from another copy of your journal was merged." in merged.stdout
    listed = run(*base, "list")
    assert "the first save" in listed.stdout and "the last save" in listed.stdout
    assert "Kept aside to bring back" not in run(*base, "check").stdout


def test_a_damaged_segment_never_makes_a_save_report_failure(cli_vault: tuple[Path, Path]) -> None:
    import os
    from datetime import timedelta

    from companion.domain.reflection import Reflection
    from companion.storage import backups
    from companion.storage.repositories import ReflectionRepository
    from companion.storage.vault import Vault

    from conftest import NOW, PASSPHRASE, fixed_clock

    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    with Vault.open(vault, PASSPHRASE, clock=fixed_clock) as opened:  # two segments of entries
        ReflectionRepository(opened).insert_many([Reflection(text=f"entry {i}", created=NOW).to_record()
                                                  for i in range(300)])
    assert run(*base, "add", "a save that leaves an earlier version behind").returncode == 0
    blob = vault.read_bytes()
    header = envelope.parse_header(blob)
    key = envelope.unwrap_key(header, PASSPHRASE)
    manifest = segments.read_manifest(segments.blob_reader(blob), len(blob), key, header)
    first = manifest.tables["reflections"][0]  # the next save does not touch it
    damaged = bytearray(blob)
    damaged[first.offset + 40] ^= 0x01
    vault.write_bytes(bytes(damaged))
    for backup in backups.list_backups(vault):  # the newest backup is two days old: a tidy is due
        os.rename(backup.path, backup.path.with_name("vault-20261125T183000000000Z.companion"))
    done = run(*base, "add", "words that must not be written twice", at=NOW + timedelta(minutes=1))
    assert done.returncode == 0, done.stderr
    assert "Saved your reflection." in done.stdout
    said = one_sentence(done.stderr)
    assert "damaged" in said and str(vault) in said and "companion check" in said
    newest = run(*base, "list", "-n", "1")
    assert newest.returncode == 0 and newest.stdout.count("words that must not be written twice") == 1
    checked = run(*base, "check")
    assert checked.returncode == 4 and "damaged" in checked.stderr
