"""This device's side files beside the journal, sealed with the journal's key: an unfinished entry (the draft)
and the fields of a form left open (the form). One job, apart from the journal file itself: keep them, give them
back, set a damaged or foreign one aside, and say how each one reads (for `companion check`).

What the person is to be told comes back as sentences, for the caller to tell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson

from companion.crypto import envelope
from companion.errors import CompanionError, StorageFailure, VaultDamaged
from companion.paths import draft_path, form_path, legacy_draft_path
from companion.storage import backups
from companion.storage.disk import atomic_write, read_bytes

# kind -> (where it lives, the label it is sealed with, what it is called in a sentence)
SIDE_FILES: dict[str, tuple[Callable[[Path], Path], bytes, str]] = {
    "draft": (draft_path, envelope.DRAFT_LABEL, "unfinished entry"),
    "form": (form_path, envelope.FORM_LABEL, "unfinished form"),
}


class SideFiles:
    """The draft and the form of one journal on this device."""

    def __init__(self, vault: Path, data_key: bytes) -> None:
        self._vault = vault
        self._key = data_key

    def save(self, plaintext: bytes | None, kind: str = "draft") -> None:
        """Seal `plaintext` into the side file of `kind`; None removes it."""
        where, label, _ = SIDE_FILES[kind]
        path = where(self._vault)
        if plaintext is None:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise StorageFailure(f"companion could not remove the draft at {path} "
                                     f"({exc.strerror or type(exc).__name__}).") from None
            return
        atomic_write(path, envelope.seal_draft(self._key, plaintext, label), action="keep your draft")

    def load(self, kind: str = "draft") -> tuple[bytes | None, list[str]]:
        """What the side file holds (None: there is none), and what to tell: a damaged or foreign one is set aside
        in backups/."""
        where, label, what = SIDE_FILES[kind]
        path = where(self._vault)
        if not path.exists():
            return None, []
        try:
            return envelope.open_draft(read_bytes(path, "read the draft"), self._key, label), []
        except VaultDamaged:
            kept = backups.move_in(self._vault, path, "set-aside-draft")
            return None, [f"An {what} could not be read (damaged, or from another journal), so it was set aside "
                          f"as {kept}."]

    def migrate_legacy(self) -> list[str]:
        """companion 0.1 sealed the draft like a whole journal file under the vault's header: re-seal it the new
        way, once. What to tell."""
        old = legacy_draft_path(self._vault)
        if not old.exists() or draft_path(self._vault).exists():
            return []
        try:
            blob = read_bytes(old, "read the draft")
            envelope.parse_header(blob)
            plaintext = envelope.open_body(blob, self._key)
            value = orjson.loads(plaintext)
            if not isinstance(value, dict) or "text" not in value:
                raise VaultDamaged("is not a draft")
        except (CompanionError, orjson.JSONDecodeError):
            kept = backups.move_in(self._vault, old, "set-aside-draft")
            return [f"An unfinished entry could not be read, so it was set aside as {kept}."]
        self.save(plaintext)
        old.unlink(missing_ok=True)
        return []

    def states(self) -> dict[str, tuple[Path, str]]:
        """Each side file there is: where, and "ok" or why it cannot be read."""
        found = {}
        for kind, (where, label, _) in SIDE_FILES.items():
            path = where(self._vault)
            if path.exists():
                found[kind] = (path, self._state(path, label))
        return found

    def _state(self, path: Path, label: bytes) -> str:
        try:
            value = orjson.loads(envelope.open_draft(read_bytes(path, "read the draft"), self._key, label))
        except CompanionError as exc:
            return exc.message
        except orjson.JSONDecodeError:
            return "holds data companion cannot read"
        return "ok" if isinstance(value, dict) else "holds data companion cannot read"

    def forget(self) -> None:
        """The journal is locked: its key goes."""
        self._key = b""
