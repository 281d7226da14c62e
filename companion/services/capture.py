"""Quick capture without unlocking: `companion capture TEXT` seals an entry to the journal's own age X25519
key and appends it to an inbox beside the journal; the next unlock takes it in.

The journal keeps the key pair: the secret key inside the sealed document (a preference), with every
capture key it ever had (a merge unites them, so an entry sealed to another device's key is never
unreadable for good); the public key in `vault.companion.capture-key` beside it, and pinned for this device
in the user's state folder when the journal is unlocked here. Each inbox line is one captured entry: base64
of an age file (age-encryption.org/v1, X25519 recipient) holding JSON {"id", "text", "created", "tags"}.

On unlock, each inbox is renamed aside first (a capture running meanwhile starts a new one), then read a
line at a time: new entries (by id) are added tagged #captured, in batches; if any line cannot be opened
(or is far too long to be one), the whole inbox file is kept, still encrypted, in backups/, else it is
removed. Nothing is removed that was not taken in or kept. See docs/FORMAT.md, "Captured entries".
"""

from __future__ import annotations

import base64
import binascii
import glob
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from companion.domain.text import plural
from companion.errors import CompanionError, StorageFailure, UsageError
from companion.paths import capture_pin_path
from companion.services.backup import Imported, checked_entry, import_entries
from companion.services.inbox import MAX_LINE_BYTES, key_path
from companion.services.journal import Journal

if TYPE_CHECKING:
    import pyrage  # loaded by the functions that need it: not when the app starts
from companion.storage import backups
from companion.storage.disk import atomic_write, describe_os_error, ensure_private_dir
from companion.storage.merge import CAPTURE_IDENTITIES, CAPTURE_IDENTITY

CAPTURED_TAG = "captured"
BATCH = 64  # entries added in one save while taking an inbox in


def capture_on_unlock(journal: Journal) -> list[str]:
    """On unlock: the capture key in place beside the journal and pinned here, then every inbox taken in;
    sentences about what happened (or why it could not happen yet)."""
    def work() -> list[str]:
        said, keys = _key_in_place(journal)
        return said + take_inbox(journal, keys)  # the keys as just read: the preferences are read once

    return _telling(work)


def take_captured(journal: Journal) -> list[str]:
    """While the journal is open (the app's poll): take in whatever was captured meanwhile; sentences."""
    return _telling(lambda: take_inbox(journal))


def _telling(work: Callable[[], list[str]]) -> list[str]:
    """What `work` says happened, or why it could not happen yet."""
    try:
        return work()
    except CompanionError as exc:
        return [f"Entries captured without unlocking could not be taken in yet: {exc.message}"]


def identities(journal: Journal) -> list[pyrage.x25519.Identity]:
    """Every capture key this journal ever had (the current one first)."""
    current, others = journal.preferences.get(CAPTURE_IDENTITY), journal.preferences.get(CAPTURE_IDENTITIES)
    return _identities([current, *others.split()])


def _identities(texts: list[str]) -> list[pyrage.x25519.Identity]:
    import pyrage

    found: list[pyrage.x25519.Identity] = []
    for text in dict.fromkeys(t for t in texts if t):
        try:
            found.append(pyrage.x25519.Identity.from_str(text))
        except Exception:  # one damaged key must not stop the others
            continue
    return found


def take_inbox(journal: Journal, keys: list[pyrage.x25519.Identity] | None = None) -> list[str]:
    """Take every inbox in, as an import of entries not seen before; sentences about what happened.

    Inboxes kept in backups/ because some lines could not be opened are tried again once the journal has
    a capture key it did not have then (a merge brought another device's): what opens comes in."""
    keys = identities(journal) if keys is None else keys
    if not keys:
        return []
    vault = journal.vault.path
    tag = _keys_tag(keys)
    retried = [p for p in backups.folder_files(vault, "captured-set-aside-")
               if not p.name.startswith(f"captured-set-aside-{tag}-")]
    added = damaged = 0
    kept: list[Path] = []
    for path in [*_set_aside_inboxes(vault), *retried]:
        found, bad = _take_lines(journal, path, keys)
        added += found
        if bad:  # kept whole, still encrypted: nothing is removed that was not taken in
            damaged += bad if path not in retried else 0
            kept.append(_keep_inbox(vault, path, journal.reflections.now(), tag))
        else:
            path.unlink(missing_ok=True)
    news: list[str] = []
    if added:
        news.append(f"{plural(added, 'entry', 'entries')} captured without unlocking "
                    f"{'was' if added == 1 else 'were'} added (tagged #{CAPTURED_TAG}).")
    if damaged:
        where = ", ".join(str(p) for p in kept)
        news.append(f"{plural(damaged, 'captured entry', 'captured entries')} could not be opened; "
                    f"{'it is' if damaged == 1 else 'they are'} kept, still encrypted, in {where}.")
    return news


def _take_lines(journal: Journal, path: Path, keys: list[pyrage.x25519.Identity]) -> tuple[int, int]:
    """Take one inbox's entries in, in batches; how many were added, and how many lines could not be opened."""
    added = bad = 0
    batch: list[Imported] = []
    for line in _lines(path):
        entry = _open_line(line, keys) if line is not None else None
        if entry is None:
            bad += 1
            continue
        batch.append(entry)
        if len(batch) >= BATCH:
            added += import_entries(journal, batch).added
            batch = []
    if batch:
        added += import_entries(journal, batch).added
    return added, bad


def _keys_tag(keys: list[pyrage.x25519.Identity]) -> str:
    """Names the set of capture keys an inbox was tried with (a kept inbox is tried again when it changes)."""
    return hashlib.sha256("\n".join(sorted(str(k.to_public()) for k in keys)).encode()).hexdigest()[:8]


def _lines(path: Path) -> Iterator[bytes | None]:
    """The inbox's lines, read one at a time; None for a line too long to be one sealed entry (skipped)."""
    try:
        with open(path, "rb") as handle:
            while True:
                line = handle.readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # the rest of it, never held whole
                        line = handle.readline(MAX_LINE_BYTES)
                    yield None
                elif line.strip():
                    yield line.strip()
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, "read the capture inbox", path)) from None


def _key_in_place(journal: Journal) -> tuple[list[str], list[pyrage.x25519.Identity]]:
    """The key pair made once (the secret sealed in the journal); its public half written beside it and
    pinned for this device. A sentence if the key beside had been changed; and every capture key the journal
    has had (the current one first)."""
    import pyrage

    secret = journal.preferences.get(CAPTURE_IDENTITY)
    identity = pyrage.x25519.Identity.from_str(secret) if secret else pyrage.x25519.Identity.generate()
    known = journal.preferences.get(CAPTURE_IDENTITIES).split()
    with journal.vault.batch():  # one save
        if not secret:
            journal.preferences.set(CAPTURE_IDENTITY, str(identity))
        if str(identity) not in known:
            journal.preferences.set(CAPTURE_IDENTITIES, "\n".join([*known, str(identity)]))
    keys = _identities([str(identity), *known])
    public = str(identity.to_public())
    _pin(journal.vault.path, public)
    path = key_path(journal.vault.path)
    try:
        current = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        current = ""
    if current == public:
        return [], keys
    atomic_write(path, (public + "\n").encode("ascii"), action="write the capture key")
    if not current:
        return [], keys
    return [f"The capture key beside your journal ({path.name}) had been changed, and is set right again. "
            "This device seals to the key it was given, so what it captured meanwhile is safe; another device "
            "that has not opened the journal since may have sealed to the wrong key."], keys


def _pin(vault: Path, public: str) -> None:
    """This device's copy of the public key, outside the synced folder (a capture seals to it)."""
    pin = capture_pin_path(vault)
    try:
        if pin.read_text(encoding="ascii").strip() == public:
            return
    except (OSError, UnicodeDecodeError):
        pass
    try:
        ensure_private_dir(pin.parent)
        atomic_write(pin, (public + "\n").encode("ascii"), action="pin the capture key")
    except StorageFailure:
        pass  # a read-only home: capture then uses the key beside the journal, as before pins existed


def _set_aside_inboxes(vault: Path) -> list[Path]:
    """Rename every inbox aside (a capture meanwhile starts a new file); all set-aside ones, oldest first."""
    prefix = glob.escape(vault.name)
    for inbox in sorted(vault.parent.glob(f"{prefix}.*.inbox")):
        target = inbox.with_name(f"{inbox.name}.taking-{uuid.uuid4().hex[:8]}")
        try:
            os.replace(inbox, target)
        except FileNotFoundError:
            continue
    return sorted(vault.parent.glob(f"{prefix}.*.inbox.taking-*"), key=lambda p: p.stat().st_mtime)


def _open_line(line: bytes, keys: list[pyrage.x25519.Identity]) -> Imported | None:
    """The entry on one inbox line and its source key, or None when it cannot be opened or makes no sense."""
    import pyrage

    try:
        record = orjson.loads(pyrage.decrypt(base64.b64decode(line, validate=True), keys))
        text, tags, key = record["text"], record["tags"], record["id"]
        created = datetime.fromisoformat(record["created"])
    except (binascii.Error, pyrage.DecryptError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    if (not isinstance(text, str) or not text.strip() or not isinstance(key, str) or not isinstance(tags, list)
            or not all(isinstance(t, str) for t in tags) or created.tzinfo is None):
        return None
    try:  # the checks every imported entry passes: size, dates companion can show, the schema
        return checked_entry(0, "capture", text, created, [*tags, CAPTURED_TAG], f"capture:{key}")
    except UsageError:
        return None


def _keep_inbox(vault: Path, path: Path, now: datetime, tag: str) -> Path:
    """Move an inbox with lines that could not be opened into backups/, whole and still encrypted, named for
    the keys it was tried with."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return backups.move_aside(vault, path, f"captured-set-aside-{tag}-{stamp}", ".txt")
