"""Quick capture without unlocking: `companion capture TEXT` seals an entry to the journal's own age X25519
key and appends it to an inbox beside the journal; the next unlock takes it in.

The journal keeps the key pair: the secret key inside the sealed document (a preference), the public key
in `vault.companion.capture-key` beside it. Capturing reads only that public key, never the journal, and
needs no passphrase. Each inbox line is one captured entry: base64 of an age file (age-encryption.org/v1,
X25519 recipient) holding JSON {"id", "text", "created", "tags"}. On unlock, each inbox is renamed aside
first (a capture running meanwhile starts a new one), its lines are opened and checked, new entries
(by id) are added tagged #captured, lines that cannot be opened are kept encrypted in backups/, and only
then is the renamed inbox removed. See docs/FORMAT.md, "Captured entries".
"""

from __future__ import annotations

import base64
import binascii
import glob
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pyrage

from companion.domain.text import plural
from companion.errors import CompanionError, UsageError
from companion.paths import backups_dir
from companion.services.backup import Imported, checked_entry, import_entries
from companion.services.inbox import MAX_INBOX_BYTES, key_path
from companion.services.journal import Journal
from companion.storage.disk import atomic_write, ensure_private_dir, read_bytes

IDENTITY_KEY = "capture_identity"
CAPTURED_TAG = "captured"


def capture_on_unlock(journal: Journal) -> None:
    """On unlock: the capture key in place beside the journal, then every inbox taken in; never stops it."""
    _telling(journal, lambda: _key_in_place(journal) + take_inbox(journal))


def take_captured(journal: Journal) -> None:
    """While the journal is open (the app's poll): take in whatever was captured meanwhile."""
    _telling(journal, lambda: take_inbox(journal))


def _telling(journal: Journal, work: Callable[[], list[str]]) -> None:
    """Run `work`, telling what happened (or why it could not happen yet) through the journal's news."""
    try:
        journal.vault.news.extend(work())
    except CompanionError as exc:
        journal.vault.news.append(f"Entries captured without unlocking could not be taken in yet: {exc.message}")


def take_inbox(journal: Journal) -> list[str]:
    """Take every inbox in, as an import of entries not seen before; sentences about what happened."""
    secret = journal.preferences.get(IDENTITY_KEY)
    vault = journal.vault.path
    pending = _set_aside_inboxes(vault) if secret else []
    if not pending:
        return []
    identity = pyrage.x25519.Identity.from_str(secret)
    entries: list[Imported] = []
    damaged: list[bytes] = []
    for path in pending:
        for line in read_bytes(path, "read the capture inbox", limit=MAX_INBOX_BYTES).splitlines():
            if line.strip():
                entry = _open_line(line, identity)
                if entry is None:
                    damaged.append(line)
                else:
                    entries.append(entry)
    news: list[str] = []
    added = import_entries(journal, entries).added if entries else 0
    if added:
        news.append(f"{plural(added, 'entry', 'entries')} captured without unlocking "
                    f"{'was' if added == 1 else 'were'} added (tagged #{CAPTURED_TAG}).")
    if damaged:
        kept = _keep_damaged(vault, damaged, journal.reflections.now())
        news.append(f"{plural(len(damaged), 'captured entry', 'captured entries')} could not be opened; "
                    f"{'it is' if len(damaged) == 1 else 'they are'} kept, still encrypted, in {kept}.")
    for path in pending:
        path.unlink(missing_ok=True)  # only now: what it held is in the journal (or kept in backups/)
    return news


def _key_in_place(journal: Journal) -> list[str]:
    """The key pair made once (the secret sealed in the journal); its public half written beside it."""
    secret = journal.preferences.get(IDENTITY_KEY)
    if secret:
        identity = pyrage.x25519.Identity.from_str(secret)
    else:
        identity = pyrage.x25519.Identity.generate()
        journal.preferences.set(IDENTITY_KEY, str(identity))
    public = str(identity.to_public())
    path = key_path(journal.vault.path)
    try:
        current = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        current = ""
    if current == public:
        return []
    atomic_write(path, (public + "\n").encode("ascii"), action="write the capture key")
    if not current:
        return []
    return [f"The capture key beside your journal ({path.name}) had been changed, and is set right again. "
            "Entries captured meanwhile were sealed to another key and cannot be taken in."]


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


def _open_line(line: bytes, identity: pyrage.x25519.Identity) -> Imported | None:
    """The entry on one inbox line and its source key, or None when it cannot be opened or makes no sense."""
    try:
        record = orjson.loads(pyrage.decrypt(base64.b64decode(line, validate=True), [identity]))
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


def _keep_damaged(vault: Path, lines: list[bytes], now: datetime) -> Path:
    folder = backups_dir(vault)
    ensure_private_dir(folder)
    target = folder / f"captured-set-aside-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%S%f')}.txt"
    atomic_write(target, b"\n".join(lines) + b"\n", action="keep captured entries that could not be opened")
    return target
