"""The copies companion keeps of a journal (rolling backups, kept copies, a sync tool's conflict copies), sealed
again under a new header when the passphrase or the recovery key changes: each written beside itself first, then
swapped in, so a full disk changes nothing and a copy that cannot be swapped is named."""

from __future__ import annotations

import os
from pathlib import Path

from companion.crypto import envelope
from companion.errors import CompanionError, StorageFailure
from companion.storage import backups, segments
from companion.storage.conflicts import conflict_copies
from companion.storage.disk import discard, read_bytes, write_temp
from companion.storage.documents import blob_source, read_document, seal_document


def kept_copies(vault: Path) -> list[Path]:
    """Every file companion keeps that is sealed like the vault: backups, kept copies, conflict copies."""
    return [*(b.path for b in backups.list_backups(vault)), *backups.list_kept(vault), *conflict_copies(vault)]


def stage_resealed(vault: Path, data_key: bytes, header: envelope.Header) -> list[tuple[Path, Path]]:
    """Each copy that opens with this data key, sealed again under `header` into a temp file beside it.

    Returns (copy, temp) pairs for swap_in; an OSError removes them all and raises StorageFailure.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path in kept_copies(vault):
            try:
                blob = resealed(vault, read_bytes(path, "read a backup"), data_key, header)
            except CompanionError:
                continue  # damaged or another journal: leave it exactly as it is
            tmp, _ = write_temp(path, blob)
            staged.append((path, tmp))
    except OSError as exc:
        for _, tmp in staged:
            discard(tmp)
        raise StorageFailure(not_changed(exc)) from None
    return staged


def resealed(vault: Path, blob: bytes, data_key: bytes, header: envelope.Header) -> bytes:
    """A copy sealed under `header` (format 3); VaultDamaged if it is not this journal's or damaged.

    A copy whose end could not be read is sealed again with what it holds after its last whole save
    laid over it: no copy is ever sealed again into one that holds less."""
    source = blob_source(vault, blob, data_key)[1]
    if source.manifest.cut_short:
        return seal_document(header, data_key, read_document(vault, blob, data_key, recover=True)[1])[0]
    return segments.compacted(header, data_key, source.read, source.manifest)[0]


def swap_in(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Put each staged copy in place of its original; the copies that could not be (their temp removed)."""
    failed = []
    for path, tmp in staged:
        try:
            os.replace(tmp, path)
        except OSError:
            discard(tmp)
            failed.append(path)
    return failed


def not_changed(exc: OSError | StorageFailure) -> str:
    """The sentence for re-sealed files that could not be written: nothing changed."""
    reason = exc.message if isinstance(exc, StorageFailure) else (exc.strerror or type(exc).__name__)
    return f"companion could not write the re-sealed files ({reason.rstrip('.')}); your passphrase was not changed."
