"""Format 3: saves append what changed, segments are bound by the manifest, old files move on, files compact."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from companion.crypto import envelope
from companion.domain.reflection import Reflection
from companion.errors import VaultDamaged
from companion.services.journal import Journal
from companion.storage import backups, disk, segments
from companion.storage.repositories import ReflectionRepository
from companion.storage.saving import COMPACT_MIN_WASTE
from companion.storage.vault import Vault

from conftest import FAST_KDF, NOW, PASSPHRASE, fixed_clock, open_vault_file


def _add(vault: Vault, text: str, when: int = 0) -> int:
    return ReflectionRepository(vault).add(Reflection(text=text, created=NOW + timedelta(minutes=when)))


def _texts(vault: Vault) -> list[str]:
    return sorted(row["text"] for _, row in ReflectionRepository(vault).rows())


def _many(path: Path, count: int) -> None:
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).insert_many([
            Reflection(text=f"entry {i}", created=NOW - timedelta(hours=count - i)).to_record() for i in range(count)])


def _frames(path: Path) -> dict[str, segments.SegmentRef]:
    """The newest manifest's segments, read with the journal's key (what an attacker cannot do)."""
    blob = path.read_bytes()
    header = envelope.parse_header(blob)
    key = envelope.unwrap_key(header, PASSPHRASE)
    manifest = segments.read_manifest(segments.blob_reader(blob), len(blob), key, header)
    return {f"{name}/{i}": ref for name, refs in manifest.tables.items() for i, ref in refs.items()}


def test_reading_the_newest_entries_opens_only_their_segment(make_vault: Callable[..., Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault([])
    _many(path, 1000)  # four segments of reflections
    opened: list[str] = []
    real = segments.open_segment

    def counting(read, key, table, index, ref):  # type: ignore[no-untyped-def]
        opened.append(f"{table}/{index}")
        return real(read, key, table, index, ref)

    monkeypatch.setattr(segments, "open_segment", counting)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        page = journal.reflections.page(limit=5)
        assert [r.text for r in page.items] == [f"entry {i}" for i in range(999, 994, -1)]
        assert page.total == 1000
        assert [o for o in opened if o.startswith("reflections/")] == ["reflections/3"]
        assert journal.reflections.flagged_count() == 0  # from the manifest's summaries
        assert len([o for o in opened if o.startswith("reflections/")]) == 1
        # the full list, once read, orders the same way
        assert [r.text for r in journal.reflections.page(limit=None).items][:5] == [r.text for r in page.items]


def test_newest_and_since_agree_with_the_full_sort_on_ties_and_imports(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        repo = ReflectionRepository(vault)
        # imported out of order, several at the same moment, across segments
        repo.insert_many([Reflection(text=f"e{i}", created=NOW - timedelta(days=(i * 37) % 600)).to_record()
                          for i in range(700)])
        full = repo.rows()
        assert repo.newest(40) == full[:40]
        cutoff = (NOW - timedelta(days=30)).isoformat()
        assert repo.since(cutoff) == [row for row in full if row[1]["created"] >= cutoff]


def test_a_changed_segment_frame_is_refused_when_read(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["private words"])
    ref = _frames(path)["reflections/0"]
    blob = bytearray(path.read_bytes())
    blob[ref.offset + ref.length // 2] ^= 1
    path.write_bytes(bytes(blob))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault, pytest.raises(VaultDamaged, match="damaged or tampered"):
        _texts(vault)


LINEAGE_STEP = len('"0123456789abcdef"')  # what an edit adds to a record: one more revision among its ancestors


def test_an_older_version_of_a_segment_cannot_be_replayed(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        entry = _add(vault, "first words" + "." * LINEAGE_STEP)  # the edit's lineage grows by one revision
        old = _frames(path)["reflections/0"]
        ReflectionRepository(vault).update(Reflection(text="later words", created=NOW, id=entry))
    new = _frames(path)["reflections/0"]
    assert old.length == new.length and old.offset != new.offset
    blob = bytearray(path.read_bytes())
    blob[new.offset : new.offset + new.length] = blob[old.offset : old.offset + old.length]
    path.write_bytes(bytes(blob))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        # the newest save's frame is not the one its manifest names: it is never read as that save; the
        # journal opens as of the save before, says so, and keeps the file as found
        assert _texts(vault) == ["first words" + "." * LINEAGE_STEP]
        assert "could not be read" in " ".join(vault.take_news())
    assert path.read_bytes() == bytes(blob)


def test_a_segment_from_another_copy_cannot_be_swapped_in(make_vault: Callable[..., Path], tmp_path: Path) -> None:
    path = make_vault(["mine" + "." * LINEAGE_STEP])
    copy = tmp_path / "copy.companion"
    copy.write_bytes(path.read_bytes())
    with Vault.open(copy, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).replace(1, {"text": "mind"})
    theirs, mine = _frames(copy)["reflections/0"], _frames(path)["reflections/0"]
    frame = copy.read_bytes()[theirs.offset : theirs.offset + theirs.length]
    assert len(frame) == mine.length  # same key, same name, same size: only the manifest tells them apart
    blob = bytearray(path.read_bytes())
    blob[mine.offset : mine.offset + mine.length] = frame
    path.write_bytes(bytes(blob))
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault, pytest.raises(VaultDamaged):
        _texts(vault)


@pytest.mark.parametrize("cut", [1, 7, 20, 21, 60, -1])
def test_a_save_cut_short_opens_as_of_the_last_whole_save_and_keeps_the_file(
        make_vault: Callable[..., Path], cut: int) -> None:
    path = make_vault(["one"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        _add(vault, "two")
        before = path.stat().st_size
        _add(vault, "three")
    whole = path.read_bytes()
    appended = len(whole) - before
    torn = whole[: before + (appended - cut if cut > 0 else appended // 2)]
    path.write_bytes(torn)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["one", "two"]
        news = vault.take_news()
        assert len(news) == 1 and "could not be read" in news[0]
        kept = [p for p in backups.list_kept(path) if p.name.startswith("unreadable-end-")]
        assert len(kept) == 1 and kept[0].read_bytes() == torn and str(kept[0]) in news[0]
    assert path.read_bytes() == torn  # opening never cuts or rewrites the journal
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:  # told again, kept once
        assert vault.take_news() == news and len(backups.list_kept(path)) == 1
        _add(vault, "four")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["four", "one", "two"]
        assert vault.take_news() == []  # the unreadable end was written over
    assert path.read_bytes()[-8:] == segments.TAIL_MAGIC


def test_bytes_appended_to_the_file_are_told_and_never_read(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["one"])
    with open(path, "ab") as handle:
        handle.write(b"someone's extra bytes")
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["one"]
        assert "could not be read" in vault.take_news()[0]


def test_a_file_with_no_whole_save_is_damaged(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    blob = path.read_bytes()
    path.write_bytes(blob[:-1])  # the only trailer
    with pytest.raises(VaultDamaged, match="damaged or tampered"):
        Vault.open(path, PASSPHRASE, clock=fixed_clock)
    assert path.read_bytes() == blob[:-1]


def _legacy(path: Path, tables: dict[str, dict[str, dict[str, object]]]) -> bytes:
    """A journal as companion before 0.3 wrote it: one sealed body under a version 1 header."""
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    old = envelope.Header(header.kdf, header.salt, header.wrap_nonce, b"", segmented=False)
    kek = envelope.derive_key(PASSPHRASE, old.salt, old.kdf)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    old = envelope.Header(old.kdf, old.salt, old.wrap_nonce,
                          AESGCM(kek).encrypt(old.wrap_nonce, key, old.kdf_part()), segmented=False)
    assert old.version == 1
    blob = envelope.seal(old, key, orjson.dumps({"_meta": {"1": {"schema": 1, "created": NOW.isoformat()}},
                                                 **tables}))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob


def test_a_version_1_journal_moves_to_segments_on_unlock_and_the_old_file_is_kept(vault_path: Path) -> None:
    blob = _legacy(vault_path, {"reflections": {"1": {"text": "written long ago", "created": NOW.isoformat()}}})
    with Vault.open(vault_path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["written long ago"]
        assert "faster format" in vault.take_news()[0]
        _add(vault, "written today")
    assert envelope.parse_header(vault_path.read_bytes()).version == 3
    kept = [p for p in backups.list_kept(vault_path) if p.name.startswith("before-upgrade-")]
    assert len(kept) == 1 and kept[0].read_bytes() == blob
    with Vault.open(vault_path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["written long ago", "written today"]
        assert vault.take_news() == []


def test_a_version_1_journal_opened_by_recovery_key_keeps_saving_whole_until_a_new_passphrase(
        vault_path: Path) -> None:
    _legacy(vault_path, {"reflections": {}})
    with Vault.open(vault_path, PASSPHRASE, clock=fixed_clock) as vault:
        header, code = vault.header_with_new_recovery_key(PASSPHRASE, FAST_KDF)
        vault.rewrap_to(header)
    with Vault.open_with_recovery(vault_path, code, clock=fixed_clock) as vault:
        _add(vault, "kept through a recovery")
        vault.change_passphrase("a new passphrase for this", FAST_KDF)
    with Vault.open(vault_path, "a new passphrase for this", clock=fixed_clock) as vault:
        assert _texts(vault) == ["kept through a recovery"]
    assert envelope.parse_header(vault_path.read_bytes()).version == 3


def test_a_version_1_copy_from_an_older_companion_on_another_device_is_merged(make_vault: Callable[..., Path],
                                                                              tmp_path: Path) -> None:
    path = make_vault(["mine"])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        old_style = envelope.seal(envelope.Header(vault.header.kdf, vault.header.salt, vault.header.wrap_nonce,
                                                  vault.header.wrapped_key, segmented=False),
                                  vault._site.data_key, orjson.dumps({**vault.document(), "reflections": {
                                      **vault.document()["reflections"],
                                      "9": {"text": "from the old device", "created": NOW.isoformat()}}}))
        incoming = tmp_path / "incoming"
        incoming.write_bytes(old_style)
        os.replace(incoming, path)
        vault.sync()
        assert _texts(vault) == ["from the old device", "mine"]
    assert envelope.parse_header(path.read_bytes()).version == 3


def test_edits_compact_the_file_and_the_retired_file_becomes_a_backup(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    _many(path, 300)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        repo = ReflectionRepository(vault)
        _add(vault, "the day's first save keeps a backup")
        first = len(backups.list_backups(path))
        sizes = []
        for i in range(200):  # each edit re-seals one segment of 256 entries
            repo.replace(1, {"text": f"edit {i}"})
            sizes.append(path.stat().st_size)
        assert max(sizes) < 3 * (COMPACT_MIN_WASTE + sizes[0])  # never grows without bound
        assert any(b < a for a, b in zip(sizes, sizes[1:], strict=False))  # it was compacted
        assert len(backups.list_backups(path)) > first
        assert repo.get(1) is not None and repo.get(1).text == "edit 199"  # type: ignore[union-attr]
    for backup in backups.list_backups(path):
        assert "reflections" in open_vault_file(backup.path.read_bytes())
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert len(_texts(vault)) == 301


def test_a_save_whose_file_is_renamed_over_mid_append_loses_nothing(make_vault: Callable[..., Path],
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_vault(["both had this"])
    original = path.read_bytes()
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as there:
        _add(there, "from the other device", when=5)
    theirs = path.read_bytes()
    path.write_bytes(original)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as here:
        _add(here, "from this device", when=10)
        real = disk.write_at

        def sync_tool_renames(fd: int, data: bytes, offset: int) -> None:
            real(fd, data, offset)
            incoming = tmp_path / "incoming"
            incoming.write_bytes(theirs)  # the sync tool's write-beside-then-rename, right then
            os.replace(incoming, path)
            monkeypatch.setattr(disk, "write_at", real)

        monkeypatch.setattr(disk, "write_at", sync_tool_renames)
        _add(here, "written while the file was replaced", when=15)
        assert _texts(here) == ["both had this", "from the other device", "from this device",
                                "written while the file was replaced"]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        assert _texts(vault) == ["both had this", "from the other device", "from this device",
                                 "written while the file was replaced"]


def test_segments_not_yet_read_are_found_after_a_compaction_or_a_passphrase_change(
        make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    _many(path, 600)  # three segments of reflections
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).replace(1, {"text": "edited: its old frame is waste before the others"})
    days = iter(range(100))
    with Vault.open(path, PASSPHRASE, clock=lambda: NOW + timedelta(days=2 * next(days))) as vault:
        before = len(backups.list_backups(path))
        _add(vault, "a new day's first save compacts the file")  # only the newest segment was read
        assert len(backups.list_backups(path)) == before + 1
        assert len(_texts(vault)) == 601  # the others, read from where the compaction put them
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).replace(1, {"text": "edited again, so the re-sealed file moves the rest"})
        vault.change_passphrase("another passphrase here", FAST_KDF)
        assert len(_texts(vault)) == 601
