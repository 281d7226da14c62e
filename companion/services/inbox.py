"""Sealing a captured entry into this device's inbox: all `companion capture` does, so it imports little.

It reads only the journal's public capture key, never the journal, and needs no passphrase. The key is the
one pinned for this device when the journal was last unlocked here (in the user's state folder, outside any
synced folder); the copy beside the journal is used only by a device that has no pin yet. Taking inboxes in
on unlock is services/capture.py.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path

import orjson

from companion.domain.reflection import clean_tags
from companion.errors import CompanionError, UsageError
from companion.paths import capture_pin_path, device_tag
from companion.storage.disk import append_durably, read_bytes

KEY_SUFFIX = ".capture-key"
MAX_LINE_BYTES = 16 * 1024 * 1024  # one sealed entry (1 MiB of text, escaped, sealed, base64) with room to spare
NOT_SET_UP = ("Capturing without the passphrase is set up the first time this journal is unlocked by this "
              "version of companion: open it once (companion, or companion list), then capture works.")
SWAPPED = ("The capture key beside your journal is not the one this device was given when the journal was last "
           "unlocked here, so your words were sealed to the one it was given.")


def key_path(vault: Path) -> Path:
    """The journal's public capture key (age1...), beside it."""
    return vault.with_name(vault.name + KEY_SUFFIX)


def inbox_path(vault: Path) -> Path:
    """This device's inbox (per device, so two devices syncing a folder never write the same file)."""
    return vault.with_name(f"{vault.name}.{device_tag()}.inbox")


def _read_key(path: Path) -> str | None:
    try:
        return read_bytes(path, "read the capture key", limit=200).decode("ascii").strip() or None
    except (CompanionError, UnicodeDecodeError):  # missing or unreadable
        return None


def capture(vault: Path, text: str, tags: list[str], now: datetime) -> tuple[Path, str]:
    """Seal `text` to the journal's capture key and append it to this device's inbox; the inbox, and a
    sentence for the person when the key beside the journal is not the one pinned here (it is not used)."""
    if not vault.exists():
        raise UsageError(f"There is no journal at {vault} yet; run 'companion init' to create one.")
    pinned, beside = _read_key(capture_pin_path(vault)), _read_key(key_path(vault))
    recipient = pinned or beside
    if recipient is None:
        raise UsageError(NOT_SET_UP)
    record = {"id": uuid.uuid4().hex, "text": text, "created": now.astimezone(UTC).isoformat(),
              "tags": clean_tags(tags)}
    try:
        from companion.crypto.age import encrypt_to  # pyrage: only when an entry is captured

        sealed = encrypt_to(orjson.dumps(record), [recipient])
    except UsageError:
        raise UsageError(f"{key_path(vault)} does not hold a capture key; unlock the journal once to set it "
                         "right again.") from None
    inbox = inbox_path(vault)
    append_durably(inbox, base64.b64encode(sealed) + b"\n", action="add to the capture inbox")
    return inbox, SWAPPED if pinned and beside != pinned else ""
