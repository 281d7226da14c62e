"""When the file itself is at risk: a save torn by a power cut, a flipped byte in the newest manifest or
trailer, a save's two commit points, a full disk at unlock, and a copy whose end cannot be read. The
journal opens as of a whole save, the file is kept as found, and the last save's words come back."""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.crypto import envelope
from companion.domain.reflection import Reflection
from companion.errors import StorageFailure
from companion.storage import backups, disk, segments
from companion.storage import saving as saving_module
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, fixed_clock


def _open(path: Path) -> Vault:
    return Vault.open(path, PASSPHRASE, clock=fixed_clock)


def _texts(vault: Vault) -> list[str]:
    return sorted(r["text"] for _, r in ReflectionRepository(vault).rows())


def _add(path: Path, text: str) -> None:
    with _open(path) as vault:
        ReflectionRepository(vault).add(Reflection(text=text, created=NOW))


def _newest(path: Path) -> tuple[segments.Manifest, int]:
    """The newest manifest and where its frame starts (read with the key, as only the test can)."""
    blob = path.read_bytes()
    header = envelope.parse_header(blob)
    key = envelope.unwrap_key(header, PASSPHRASE)
    manifest = segments.read_manifest(segments.blob_reader(blob), len(blob), key, header)
    offset, _, _ = segments.TRAILER.unpack(blob[-segments.TRAILER.size:])
    return manifest, offset


def _unreadable_ends(path: Path) -> list[Path]:
    return [p for p in backups.list_kept(path) if p.name.startswith("unreadable-end-")]


@pytest.fixture
def two_saves(make_vault: Callable[..., Path]) -> Path:
    """A journal whose last save (adding "two") was appended after the one that added "one"."""
    path = make_vault(["one"])
    _add(path, "two")
    manifest, offset = _newest(path)
    assert manifest.start is not None and manifest.start < offset  # the last save appended frames
    return path


def test_a_save_whose_frames_never_reached_the_disk_opens_as_of_the_save_before(two_saves: Path) -> None:
    path = two_saves
    manifest, offset = _newest(path)
    blob = bytearray(path.read_bytes())
    blob[manifest.start : offset] = bytes(offset - manifest.start)  # type: ignore[misc]  # zeros: a reordered write
    torn = bytes(blob)
    path.write_bytes(torn)
    with _open(path) as vault:
        assert _texts(vault) == ["one"]
        [said] = vault.take_news()
        assert "could not be read" in said and "power cut" in said
    assert path.read_bytes() == torn  # opening cut nothing
    [kept] = _unreadable_ends(path)
    assert kept.read_bytes() == torn
    _add(path, "three")  # and the next save works
    with _open(path) as vault:
        assert _texts(vault) == ["one", "three"] and vault.take_news() == []


@pytest.mark.parametrize("where", ["manifest", "trailer"])
def test_one_flipped_byte_in_the_newest_manifest_or_trailer_loses_nothing(two_saves: Path, where: str) -> None:
    path = two_saves
    _, offset = _newest(path)
    blob = bytearray(path.read_bytes())
    blob[offset + 9 if where == "manifest" else len(blob) - 3] ^= 0x01
    path.write_bytes(bytes(blob))
    with _open(path) as vault:
        assert _texts(vault) == ["one"]  # as of its last whole save...
        assert "Its last save could still be read" in " ".join(vault.take_news())
        assert path.read_bytes() == bytes(blob)
        [kept] = vault.check(PASSPHRASE).offered  # ...and check names the copy that holds the last one
        vault.merge_copy(kept)
        assert _texts(vault) == ["one", "two"]
    assert backups.list_offered(path) == []  # merged: renamed merged-…, not offered again


def test_a_kept_copy_sealed_again_holds_no_less(two_saves: Path) -> None:
    path = two_saves
    _, offset = _newest(path)
    blob = bytearray(path.read_bytes())
    blob[offset + 9] ^= 0x01
    path.write_bytes(bytes(blob))
    new = "a new passphrase for the journal"
    with _open(path) as vault:
        assert vault.change_passphrase(new) == []
        [kept] = backups.list_offered(path)
    with Vault.open(path, new, clock=fixed_clock) as vault:
        vault.merge_copy(kept)  # sealed again under the new passphrase, with the last save still in it
        assert _texts(vault) == ["one", "two"]


def test_a_frame_spliced_in_from_an_older_save_cannot_win(make_vault: Callable[..., Path]) -> None:
    path = make_vault(["first words"])
    manifest, _ = _newest(path)
    old = path.read_bytes()
    [ref] = manifest.tables["reflections"].values()
    old_frame = old[ref.offset : ref.offset + ref.length]  # "first words", authentic, sealed with the key
    with _open(path) as vault:
        repo = ReflectionRepository(vault)
        [(doc_id, _)] = repo.rows()
        repo.update(Reflection(text="the words as they are now", created=NOW, id=doc_id))
    with open(path, "ab") as handle:
        handle.write(old_frame + b"garbage where a manifest would be")
    with _open(path) as vault:
        assert _texts(vault) == ["the words as they are now"]
        [kept] = backups.list_offered(path)
        report, _ = vault.merge_copy(kept)
        assert _texts(vault) == ["the words as they are now"] and not report.changed


def test_a_save_has_two_commit_points(two_saves: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    write_at = disk.write_at
    monkeypatch.setattr(disk, "write_at", lambda fd, data, offset: (
        calls.append("manifest" if data.endswith(segments.TAIL_MAGIC) else "frames"), write_at(fd, data, offset)))
    monkeypatch.setattr(saving_module, "sync_file", lambda fd: (calls.append("sync"), os.fsync(fd)))
    _add(two_saves, "three")
    assert calls == ["frames", "sync", "manifest", "sync"]


def test_commit_points_use_full_fsync_where_the_platform_has_it(two_saves: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    full: list[int] = []
    monkeypatch.setattr(fcntl, "F_FULLFSYNC", 51, raising=False)  # macOS's number
    monkeypatch.setattr(fcntl, "fcntl", lambda fd, op, *a: full.append(op) or 0)
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("plain fsync where a full one was there"))
    _add(two_saves, "three")
    assert full == [51, 51]
    disk.sync_file(os.open(two_saves, os.O_RDONLY))  # and a temp file of an atomic write the same way
    assert full == [51, 51, 51]


def test_an_unreadable_end_on_a_full_disk_opens_read_only(two_saves: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = two_saves
    with open(path, "ab") as handle:
        handle.write(b"the end of a save cut short")
    before = path.read_bytes()

    def full(*args: object, **kwargs: object) -> Path:
        raise StorageFailure(disk.describe_os_error(OSError(errno.ENOSPC, "full"), "keep a copy", path))

    monkeypatch.setattr(backups, "keep_copy", full)
    with _open(path) as vault:
        assert _texts(vault) == ["one", "two"]  # it opens, and can be read
        [said] = vault.take_news()
        assert "read-only" in said and "disk is full" in said
        with pytest.raises(StorageFailure, match="read-only"):
            ReflectionRepository(vault).add(Reflection(text="not now", created=NOW))
    assert path.read_bytes() == before


def test_a_copy_whose_end_cannot_be_read_is_not_merged_silently(two_saves: Path, tmp_path: Path) -> None:
    path = two_saves
    copy = path.with_name("vault.sync-conflict-20261127-193000-PHONE.companion")
    copy.write_bytes(path.read_bytes()[:-5])  # its last trailer cut off
    with _open(path) as vault:
        vault.merge_copy(copy)
        assert any("could not be read" in line and copy.name in line for line in vault.take_news())


def test_a_hang_up_during_a_save_never_closes_the_file_under_it(make_vault: Callable[..., Path], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from companion.services.opening import open_journal
    from companion.services.runner import JournalRunner

    path = make_vault(["one"])
    journal = open_journal(path, PASSPHRASE, clock=fixed_clock).journal
    runner = JournalRunner(journal)
    writing, go_on = threading.Event(), threading.Event()
    write_at = disk.write_at

    def slow_disk(fd: int, data: bytes, offset: int) -> None:
        writing.set()
        go_on.wait(10)
        write_at(fd, data, offset)

    monkeypatch.setattr(disk, "write_at", slow_disk)
    saving = runner.submit(lambda j: j.add_reflection("written as the line dropped"))
    assert writing.wait(10)
    sealed: list[str] = []
    runner.close(lambda j: sealed.append("the drafts"), timeout=0.1)  # a hang-up: the save is still writing
    assert sealed == ["the drafts"]  # the drafts are kept all the same
    other = tmp_path / "opened-meanwhile"
    fd = os.open(other, os.O_RDWR | os.O_CREAT, 0o600)  # would get the journal's descriptor, had it been closed
    try:
        go_on.set()
        saving.result(10)
    finally:
        os.close(fd)
    assert other.read_bytes() == b""  # nothing of the save went to another file
    journal.close()  # what the process ending does
    with _open(path) as vault:
        assert _texts(vault) == ["one", "written as the line dropped"]


@pytest.mark.parametrize("table", ["experiments", "safety_plan"])
def test_the_first_record_of_a_new_table_comes_back_from_a_torn_save(make_vault: Callable[..., Path],
                                                                     table: str) -> None:
    # A table no manifest has named yet (the first ask experiment, the first safety plan) is still looked
    # for in the bytes after the last whole save.
    from companion.domain.experiment import Experiment
    from companion.domain.safety_plan import SafetyPlan
    from companion.storage.repositories import ExperimentRepository, SafetyPlanRepository

    path = make_vault(["one"])
    with _open(path) as vault:
        if table == "experiments":
            ExperimentRepository(vault).add(Experiment("A lift on Friday", "He'll say no", 70, who="Sam"))
        else:
            SafetyPlanRepository(vault).add(SafetyPlan(warning_signs="Lying awake past 3am"))
    _, offset = _newest(path)
    blob = bytearray(path.read_bytes())
    blob[offset + 9] ^= 0x01  # the newest manifest, damaged
    path.write_bytes(bytes(blob))
    with _open(path) as vault:
        assert vault.db.table(table).all() == []  # as of its last whole save...
        [kept] = vault.check(PASSPHRASE).offered  # ...and the copy kept holds the new record
        vault.merge_copy(kept)
        [record] = vault.db.table(table).all()
        assert record.get("ask", record.get("warning_signs")) in ("A lift on Friday", "Lying awake past 3am")
