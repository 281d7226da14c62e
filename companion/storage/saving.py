"""Saving: append the changed segments to the file, compact it now and then, or write it whole (atomically, the
old file kept as a backup). Each step takes what is known of the file and returns what is known after it.

A step that meets a file changed underneath raises ChangedUnderneath, and one that fails after learning something
raises StepFailed; both carry the `Known` to carry on from."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

from companion.errors import StorageFailure, VaultDamaged
from companion.storage import backups, disk, segments
from companion.storage.disk import atomic_write, describe_os_error, sync_file
from companion.storage.documents import memory_source, seal_document, summarise
from companion.storage.segments import Document
from companion.storage.state import ChangedUnderneath, FileStamp, Known, Site, Source, StepFailed, digest_of, open_file

COMPACT_MIN_WASTE = 1 << 20  # compact once earlier versions of segments take more than this and the live ones
BACKUP_EVERY = timedelta(days=1)  # or when the newest rolling backup is older than this

UNCONFIRMED = ("Saved, but the disk reported an error while confirming it; "
               "companion will confirm again on the next save.")


def append(site: Site, known: Known, changes: dict[str, dict[int, segments.Records]]) -> Known:
    """Seal the changed segments onto the end of the file and sync them, then a new manifest and its
    trailer, and sync again: two commit points, so no manifest is ever durable before its frames."""
    source = known.open_source
    fd = source.fd
    assert fd is not None and known.stamp is not None
    old = source.manifest
    tables = {name: dict(refs) for name, refs in old.tables.items()}
    frames, offset = segments.add_segments(site.data_key, tables, changes, old.end, summarise)
    tail, manifest = segments.seal_manifest(site.data_key, known.header, tables, old.seq + 1, offset, start=old.end)
    expected = known.stamp
    try:
        if FileStamp.of(os.fstat(fd)) != expected:
            raise ChangedUnderneath(known)  # written to in place by someone else
        if expected.size > old.end:  # what followed the last whole save (kept in backups/ when opened)
            os.ftruncate(fd, old.end)
        disk.write_at(fd, b"".join(frames), old.end)
        sync_file(fd)
        disk.write_at(fd, tail, offset)
        sync_file(fd)
        stat = os.fstat(fd)
    except OSError as exc:
        failure = StorageFailure(describe_os_error(exc, "save your journal", site.path))
        raise StepFailed(replace(known, stamp=_truncated(fd, old.end) or expected), failure) from None
    after = known.reading(replace(source, manifest=manifest), FileStamp.of(stat), manifest.digest)
    if FileStamp.at(site.path) != after.stamp:
        # Renamed over while we wrote: what we appended went to the file that was replaced. It is
        # still in memory; the next attempt merges it into the new file.
        raise ChangedUnderneath(after)
    return after


def compaction_due(site: Site, known: Known) -> bool:
    """When earlier versions of segments take more room than the live ones, or no backup is a day old."""
    source = known.source
    if source is None or not source.appendable or not known.compacting:
        return False
    waste = source.manifest.end - known.header.length - source.manifest.live
    if waste > max(source.manifest.live, COMPACT_MIN_WASTE):
        return True
    newest = backups.newest_backup(site.path)
    return waste > 0 and (newest is None or site.clock() - newest > BACKUP_EVERY)


def compact(site: Site, known: Known) -> Known:
    """Rewrite the file with only its live segments (copied sealed); the old file becomes a backup.

    The save itself is done already: a compaction that cannot happen never reports the save failed.
    """
    source = known.open_source
    try:
        blob, manifest = segments.compacted(known.header, site.data_key, source.read, source.manifest)
        return replace_file(site, known, blob, manifest, action="tidy your journal", check=True)
    except ChangedUnderneath:
        return known  # tried again on the next save
    except StorageFailure as exc:  # say why no backup was kept, once
        return replace(known, compacting=False).told(exc.message)
    except VaultDamaged:  # leave the file as it is
        return replace(known, compacting=False).told(
            f"Saved. Part of {site.path} is damaged, so companion left the file as it is "
            "instead of tidying it; run companion check to see what it found.")


def write_whole(site: Site, known: Known, document: Document, *, action: str = "save your journal",
                check: bool = False, keep: bool = True) -> Known:
    """Write `document` as a whole new file (atomically, the old one kept as a backup)."""
    blob, manifest = seal_document(known.header, site.data_key, document)
    source = memory_source(known.header, site.data_key, document) if manifest is None else None
    return replace_file(site, known, blob, manifest, action=action, check=check, keep=keep, source=source)


def replace_file(site: Site, known: Known, blob: bytes, manifest: segments.Manifest | None, *, action: str,
                 check: bool = False, keep: bool = True, source: Source | None = None) -> Known:
    """Write `blob` beside the journal, then rename it over; the previous file becomes a backup."""
    def before_replace() -> None:
        if check and FileStamp.at(site.path) != known.stamp:
            raise ChangedUnderneath(known)
        if keep:
            backups.keep_previous(site.path, site.clock())

    written = atomic_write(site.path, blob, before_replace=before_replace, action=action)
    after = known if written.confirmed else known.told(UNCONFIRMED)
    return adopt_written(site, after, blob, manifest, written.stat, source)


def adopt_written(site: Site, known: Known, blob: bytes, manifest: segments.Manifest | None,
                  written: os.stat_result, source: Source | None = None) -> Known:
    """The file just renamed into place is the one known from now on: opened, when it has a manifest (format 3);
    else `source`, its document sealed in memory."""
    if manifest is None:
        assert source is not None
        return known.reading(source, FileStamp.of(written), digest_of(blob))
    fd, stat = open_file(site.path)
    if (stat.st_dev, stat.st_ino) != (written.st_dev, written.st_ino):
        os.close(fd)
        raise ChangedUnderneath(known)  # renamed over straight away: what we wrote is still in memory
    return known.reading(Source(manifest, fd=fd), FileStamp.of(stat), manifest.digest)


def keep_cut_short(site: Site, known: Known, data: bytes) -> Known:
    """The end of the file is unreadable: keep the file as found (once), before a save writes there.

    Opening never cuts or rewrites the journal: the next save writes over what follows the last whole
    save, after this copy is kept. If it cannot be kept (a full disk), the journal opens read-only."""
    manifest = known.open_source.manifest
    recovered = segments.recover_tail(segments.blob_reader(data), len(data), site.data_key, manifest)
    said = ("The end of your journal file could not be read (a save cut short by a crash or a power cut, "
            "or damage), so it opened as of its last complete save")
    try:
        kept = backups.kept_already(site.path, "unreadable-end", data) or \
            backups.keep_copy(site.path, "unreadable-end", site.clock(), data=data)
    except StorageFailure as exc:
        read_only = f"{said}, and the file as found could not be kept ({exc.message.rstrip('.')}); " \
                    "it is open read-only, so nothing is written over it. Free some space and open it again."
        return replace(known, read_only=read_only).told(read_only)
    if recovered:
        return known.told(f"{said}. Its last save could still be read, in the copy kept at {kept}: merging "
                          "that copy (m on Home, or companion merge) brings it back.")
    return known.told(f"{said}; the file as it was is kept at {kept}.")


def upgrade(site: Site, known: Known, document: Document) -> Known:
    """Keep the older-format file in backups/ for good, and write the journal in format 3."""
    try:
        kept = backups.keep_copy(site.path, "before-upgrade", site.clock(), source=site.path)
        after = write_whole(site, known, document, action="move your journal to the new format", keep=False)
    except (StorageFailure, ChangedUnderneath):
        return known  # a read-only disk, say: it stays as it is, readable, and moves on a later unlock
    return after.told(f"Your journal now saves in a faster format; the file as it was is kept at {kept}.")


def _truncated(fd: int, size: int) -> FileStamp | None:
    """Cut off what a failed save appended; the file's new stamp, or None if even that failed."""
    try:
        os.ftruncate(fd, size)
        return FileStamp.of(os.fstat(fd))
    except OSError:
        return None
