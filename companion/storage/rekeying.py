"""Re-keying: put a new header in force (a new passphrase, a new recovery key). The journal and every copy
companion keeps are sealed under it, each written beside itself first, so a full disk changes nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from companion.crypto import envelope
from companion.errors import StorageFailure
from companion.paths import backups_dir
from companion.storage import copies, segments
from companion.storage.disk import discard, fsync_dir, write_temp
from companion.storage.saving import adopt_written
from companion.storage.state import ChangedUnderneath, FileStamp, Known, Site


def rewrap(site: Site, known: Known, header: envelope.Header) -> tuple[Known, list[Path]]:
    """The journal, then every kept copy, sealed under `header`; what is known after, and the copies that could not
    be swapped in.

    All new files are written beside the old ones first; if any of that fails (a full disk), nothing has changed
    and StorageFailure says so. Then the journal is swapped in (the change has happened) and the copies after it.
    """
    source = known.open_source
    blob, manifest = segments.compacted(header, site.data_key, source.read, source.manifest)
    try:
        tmp, stat = write_temp(site.path, blob)
    except OSError as exc:
        raise StorageFailure(copies.not_changed(exc)) from None
    try:
        staged = copies.stage_resealed(site.path, site.data_key, header)
    except BaseException:
        discard(tmp)
        raise
    try:
        site.lock.verify()
        if FileStamp.at(site.path) != known.stamp:
            raise StorageFailure(f"{site.path} changed while the passphrase was being changed; "
                                 "your passphrase was not changed. Try again.")
        os.replace(tmp, site.path)
    except BaseException as exc:
        discard(tmp)
        for _, staged_tmp in staged:
            discard(staged_tmp)
        if isinstance(exc, OSError):
            raise StorageFailure(copies.not_changed(exc)) from None
        raise
    rekeyed = replace(known, header=header)
    try:
        after = adopt_written(site, rekeyed, blob, manifest, stat)
    except ChangedUnderneath:
        after = rekeyed  # renamed over at once: the next save merges with whatever is there now
    failed = copies.swap_in(staged)
    for folder in (site.path.parent, backups_dir(site.path)):
        try:
            fsync_dir(folder)
        except OSError:
            pass
    return after, failed
