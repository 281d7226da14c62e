"""Where companion keeps its files: platformdirs, overridable by --data and COMPANION_HOME."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
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


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """This device's own state, never in a synced folder: the platform's user state dir (XDG_STATE_HOME)."""
    from platformdirs import user_state_dir

    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME")
    return Path(base).expanduser() / "companion" if base else Path(user_state_dir("companion", appauthor=False))


def capture_pin_path(vault: Path) -> Path:
    """This device's copy of a journal's public capture key, pinned when the journal was unlocked here."""
    return state_dir() / "capture-keys" / f"{_named_for(vault)}.pub"


def readable_plan_path(vault: Path) -> Path:
    """This device's readable copy of a journal's safety plan, when the person chose to see it while locked:
    in the user's state folder, never beside the journal (a synced folder)."""
    return state_dir() / "safety-plan" / f"{_named_for(vault)}.txt"


def _named_for(vault: Path) -> str:
    """A file name of this device's state for the journal at `vault` (its resolved path, hashed)."""
    import hashlib  # here, as in device_tag: a command finds its journal before it needs either

    return hashlib.sha256(str(vault.resolve()).encode()).hexdigest()[:16]


def lock_path(vault: Path) -> Path:
    """The lock file beside the vault (the vault's own inode changes on every save)."""
    return vault.with_name(vault.name + ".lock")


@cache
def device_tag() -> str:
    """A short, stable name for this machine, so per-device files never collide in a synced folder."""
    import hashlib
    import socket

    try:
        seed = Path("/etc/machine-id").read_text(encoding="ascii").strip()
    except OSError:
        seed = ""
    seed = seed or socket.gethostname()
    return hashlib.sha256(f"companion-device\x1f{seed}\x1f{os.getuid()}".encode()).hexdigest()[:8]


def draft_path(vault: Path) -> Path:
    """The sealed autosave of an unfinished entry, beside the vault, named for this device."""
    return vault.with_name(f"{vault.name}.{device_tag()}.draft")


def form_path(vault: Path) -> Path:
    """The sealed fields of a form left open when the journal locked, beside the vault, for this device."""
    return vault.with_name(f"{vault.name}.{device_tag()}.form")


def legacy_draft_path(vault: Path) -> Path:
    """Where companion 0.1 kept the draft (read once, then moved to draft_path)."""
    return vault.with_name(vault.name + ".draft")


def backups_dir(vault: Path) -> Path:
    """The folder of rolling encrypted backups beside the vault."""
    return vault.parent / "backups"


def settings_path(vault: Path) -> Path:
    """The unencrypted settings file beside the vault (no private content goes there)."""
    return vault.parent / SETTINGS_NAME
