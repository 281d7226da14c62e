"""Sealing a captured entry into this device's inbox: all `companion capture` does, so it imports little.

It reads only the journal's public capture key beside it, never the journal, and needs no passphrase.
Taking inboxes in on unlock is services/capture.py.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path

import orjson

from companion.crypto.age import encrypt_to
from companion.domain.reflection import clean_tags
from companion.errors import CompanionError, UsageError
from companion.paths import device_tag
from companion.storage.disk import append_durably, read_bytes

KEY_SUFFIX = ".capture-key"
MAX_INBOX_BYTES = 64 * 1024 * 1024  # far beyond a lifetime of quick notes between two unlocks
NOT_SET_UP = ("Capturing without the passphrase is set up the first time this journal is unlocked by this "
              "version of companion: open it once (companion, or companion list), then capture works.")


def key_path(vault: Path) -> Path:
    """The journal's public capture key (age1...), beside it."""
    return vault.with_name(vault.name + KEY_SUFFIX)


def inbox_path(vault: Path) -> Path:
    """This device's inbox (per device, so two devices syncing a folder never write the same file)."""
    return vault.with_name(f"{vault.name}.{device_tag()}.inbox")


def capture(vault: Path, text: str, tags: list[str], now: datetime) -> Path:
    """Seal `text` to the journal's capture key and append it to this device's inbox; returns the inbox."""
    if not vault.exists():
        raise UsageError(f"There is no journal at {vault} yet; run 'companion init' to create one.")
    try:
        recipient = read_bytes(key_path(vault), "read the capture key", limit=200).decode("ascii").strip()
    except (CompanionError, UnicodeDecodeError):  # missing or unreadable
        raise UsageError(NOT_SET_UP) from None
    record = {"id": uuid.uuid4().hex, "text": text, "created": now.astimezone(UTC).isoformat(),
              "tags": clean_tags(tags)}
    try:
        sealed = encrypt_to(orjson.dumps(record), [recipient])
    except UsageError:
        raise UsageError(f"{key_path(vault)} does not hold a capture key; unlock the journal once to set it "
                         "right again.") from None
    inbox = inbox_path(vault)
    append_durably(inbox, base64.b64encode(sealed) + b"\n", action="add to the capture inbox")
    return inbox


