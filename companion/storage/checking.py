"""`companion check`: every file companion keeps of a journal read through (backups, kept copies, this device's
draft and form) and every record of the open journal held against the schema; what was found, as a report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from companion.crypto import envelope
from companion.domain.schema import damaged_records
from companion.errors import CompanionError, VaultDamaged, WrongPassphrase
from companion.storage import backups
from companion.storage.conflicts import conflict_copies
from companion.storage.disk import read_bytes
from companion.storage.documents import read_document
from companion.storage.segments import Document


@dataclass
class FileStatus:
    """What `check` found for one file kept beside the vault."""

    path: Path
    state: str  # "ok", "other passphrase", or a damage reason
    taken: datetime | None = None


@dataclass
class CheckReport:
    """What `check` found: record counts and the state of every file companion keeps."""

    counts: dict[str, int]
    backups: list[FileStatus] = field(default_factory=list)
    kept: list[FileStatus] = field(default_factory=list)
    conflicts: list[Path] = field(default_factory=list)
    offered: list[Path] = field(default_factory=list)  # kept copies holding words to bring back
    draft: FileStatus | None = None
    form: FileStatus | None = None
    damaged_records: list[str] = field(default_factory=list)

    @property
    def damaged_backups(self) -> list[FileStatus]:
        """Backups and kept copies that are neither readable nor merely under another passphrase."""
        return [b for b in (*self.backups, *self.kept) if b.state not in ("ok", "other passphrase")]


def check(vault: Path, data_key: bytes, passphrase: str, *, counts: dict[str, int], document: Document,
          side_files: dict[str, tuple[Path, str]]) -> CheckReport:
    """The report for the journal at `vault` (open, with `data_key`): its records (`document`, `counts`), its
    copies, read with the key or else the passphrase, and the states of its side files."""
    report = CheckReport(counts=counts, conflicts=conflict_copies(vault), offered=backups.list_offered(vault),
                         damaged_records=damaged_records(document))
    for backup in backups.list_backups(vault):
        report.backups.append(FileStatus(backup.path, _copy_state(backup.path, data_key, passphrase), backup.taken))
    report.kept = [FileStatus(path, _copy_state(path, data_key, passphrase, kept=True))
                   for path in backups.list_kept(vault)]
    for kind, (side, state) in side_files.items():
        setattr(report, kind, FileStatus(side, state))
    return report


def _copy_state(path: Path, data_key: bytes, passphrase: str, *, kept: bool = False) -> str:
    try:
        blob = read_bytes(path, "read a backup")
        try:
            # a kept copy of a journal whose end could not be read is read as far as it can be
            read_document(path, blob, data_key, whole=not kept, recover=kept)
        except VaultDamaged:
            # Sealed under another data key (say, another journal's copy): try the passphrase.
            key = envelope.unwrap_key(envelope.parse_header(blob), passphrase)
            read_document(path, blob, key, whole=not kept, recover=kept)
    except WrongPassphrase:
        return "other passphrase"
    except CompanionError as exc:
        return exc.message
    return "ok"
