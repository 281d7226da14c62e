"""Conflict copies that sync tools leave beside the vault when two devices changed it at once.

- Syncthing: `vault.sync-conflict-20261128-101500-ABCDEFG.companion`
- Dropbox: `vault (Sam's conflicted copy 2026-11-28).companion`
- Nextcloud / ownCloud: `vault_conflict-20261128-101500.companion`,
  and newer Nextcloud: `vault (conflicted copy 2026-11-28 101500).companion`
"""

from __future__ import annotations

import re
from pathlib import Path

_MARKERS = re.compile(r"(\.sync-conflict-|conflicted copy|_conflict-)", re.IGNORECASE)


def conflict_copies(vault: Path) -> list[Path]:
    """Conflict copies of `vault` in its folder, by name."""
    folder = vault.parent
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if not name.startswith(vault.stem) or name == vault.name or entry.is_symlink() or not entry.is_file():
            continue
        if name.endswith(vault.suffix) and _MARKERS.search(name[len(vault.stem):]):
            found.append(entry)
    return sorted(found)
