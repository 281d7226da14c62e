"""Another device's copy: notice that the file changed underneath (a sync tool renamed or rewrote it), read it,
take it in as the file known from now on, set aside the versions that lost to a concurrent edit, and say what the
merge did. Each step takes what is known of the file and returns what is known after it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from companion.crypto import envelope
from companion.errors import StorageFailure, VaultDamaged
from companion.paths import backups_dir
from companion.storage import backups, copies, disk
from companion.storage.documents import blob_source, checked, header_to_keep, read_document, seal_document
from companion.storage.lineage import rev_of
from companion.storage.merge import Kept, MergeReport, counted, set_aside
from companion.storage.segments import Document
from companion.storage.state import FileStamp, Known, Site, Source, StepFailed, open_file


@dataclass(frozen=True)
class Copy:
    """The vault file as found on disk after it changed underneath."""

    header: envelope.Header
    document: Document
    stamp: FileStamp
    digest: bytes
    source: Source  # read through its descriptor when it is format 3 and can be appended to


def changed_copy(site: Site, known: Known, ours: Callable[[], Document]) -> tuple[Known, Copy | None]:
    """The file on disk, read, when it is not what this process last read or wrote (else None).

    A file that cannot be merged is refused: this journal's version is kept in backups/ and StepFailed says
    so (that file is not looked at again until it changes)."""
    stamp = FileStamp.at(site.path)
    if stamp == known.stamp:
        return known, None
    if stamp is None:
        return replace(known, stamp=None), None  # gone (a sync tool's doing): writing it again loses nothing
    fd, stat = open_file(site.path)
    kept_open = False  # the descriptor stays open only when this file becomes the one saves go to
    try:
        blob = disk.read_all(fd, stat.st_size)
        stamp = FileStamp.of(stat)
        header, source, digest = blob_source(site.path, blob, site.data_key, fd)
        kept_open = source.fd is not None
        if digest == known.digest and header.to_bytes() == known.header.to_bytes():
            return known.reading(source, stamp, digest), None  # touched, or copied whole, not changed
        _, document = read_document(site.path, blob, site.data_key)
        document = checked(site.path, document)
    except VaultDamaged:
        kept_open = False
        kept = backups.keep_copy(site.path, "unmerged", site.clock(),
                                 data=seal_document(known.header, site.data_key, ours())[0])
        raise StepFailed(replace(known, foreign=stamp), VaultDamaged(
            f"{site.path} was replaced by a file companion cannot merge (another journal, or a damaged "
            f"copy), so companion did not save over it; your version is kept at {kept}.")) from None
    finally:
        if not kept_open:
            os.close(fd)
    return known, Copy(header, document, stamp, digest, source)


def taken(site: Site, known: Known, copy: Copy, report: MergeReport, ours: Document) -> Known:
    """From now on, the copy on disk is the one this process knows; what lost to a concurrent edit is set aside,
    and what the merge did is said."""
    after = adopt_header(site, known, copy.header).reading(copy.source, copy.stamp, copy.digest)
    return told(site, after, report, ours, copy.document)


def told(site: Site, known: Known, report: MergeReport, ours: Document, theirs: Document) -> Known:
    """Set aside what lost to a concurrent edit, and say what the merge did."""
    known = keep_lost(site, known, report, ours, theirs)
    return known.told(report.sentence()) if report.changed or report.edits_kept else known


def keep_lost(site: Site, known: Known, report: MergeReport, ours: Document, theirs: Document) -> Known:
    """Set aside the versions, on either side, that lost to a concurrent edit."""
    known = keep_versions(site, known, [k for k in report.concurrent if k.local], ours)
    return keep_versions(site, known, [k for k in report.concurrent if not k.local], theirs)


def keep_versions(site: Site, known: Known, kept: list[Kept], document: Document) -> Known:
    """A copy of `document` in backups/ in which the kept versions are records of their own: merged back
    (`companion merge`, or m on Home), each comes in beside the version that won. Said once."""
    kept = [k for k in kept if (k.table, rev_of(k.record)) not in known.set_aside]
    if not kept:
        return known
    blob = seal_document(known.header, site.data_key, set_aside(document, kept))[0]
    path = backups.keep_copy(site.path, "concurrent-edit", site.clock(), data=blob)
    what = counted(k.table for k in kept)
    return replace(known, set_aside=known.set_aside | {(k.table, rev_of(k.record)) for k in kept}).told(
        f"{what[0].upper()}{what[1:]} changed on two devices at once: the later change is kept "
        f"here, the other in {path}; merging that copy brings it back beside it.")


def adopt_header(site: Site, known: Known, found: envelope.Header) -> Known:
    """Another device changed the passphrase: use its header, and re-seal this device's copies."""
    header = header_to_keep(known.header, found)
    if header.to_bytes() == known.header.to_bytes():
        return known
    try:
        failed = copies.swap_in(copies.stage_resealed(site.path, site.data_key, header))
    except StorageFailure:
        failed = copies.kept_copies(site.path)
    after = replace(known, header=header)
    if not failed:
        return after
    return after.told(f"The passphrase was changed on another device; {len(failed)} older copies in "
                      f"{backups_dir(site.path)} could not be updated and still open with the old one.")
