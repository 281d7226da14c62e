"""Where companion keeps its files: platformdirs, overridable by --data and COMPANION_HOME."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

VAULT_NAME = "vault.companion"
SETTINGS_NAME = "settings.toml"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder holding the vault: $COMPANION_HOME, else the platform's user data dir."""
    env = os.environ if environ is None else environ
    home = env.get("COMPANION_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("companion", appauthor=False))


def vault_path(data: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The vault file: --data PATH when given, else vault.companion in data_dir()."""
    path = Path(data).expanduser() if data else data_dir(environ) / VAULT_NAME
    # Saving replaces the file; follow a symlinked vault so the link itself is never replaced.
    return path.resolve() if path.is_symlink() else path


def lock_path(vault: Path) -> Path:
    """The lock file beside the vault (the vault's own inode changes on every save)."""
    return vault.with_name(vault.name + ".lock")


def draft_path(vault: Path) -> Path:
    """The sealed autosave of an unfinished entry, beside the vault."""
    return vault.with_name(vault.name + ".draft")


def backups_dir(vault: Path) -> Path:
    """The folder of rolling encrypted backups beside the vault."""
    return vault.parent / "backups"


def settings_path(vault: Path) -> Path:
    """The unencrypted settings file beside the vault (no private content goes there)."""
    return vault.parent / SETTINGS_NAME
