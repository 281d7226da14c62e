"""The recovery key as a small file the person keeps: written 0600 in one step, read back by passwd."""

from __future__ import annotations

from pathlib import Path

from companion.errors import StorageFailure, UsageError
from companion.storage.disk import atomic_write, describe_os_error

RECOVERY_NOTE = """# companion recovery key for {vault}
# With this key, anyone can open that journal. Keep it somewhere safe, away from the computer.
# If you forget your passphrase: companion --data {vault} --recovery-key-file THIS_FILE passwd
"""


def write_recovery_key_file(path: Path, code: str, vault: Path) -> Path:
    """The recovery key in a small file readable by its owner alone (0600), written in one step."""
    atomic_write(path, (RECOVERY_NOTE.format(vault=vault) + code + "\n").encode("utf-8"),
                 action="write the recovery key")
    return path


def read_recovery_key_file(path: Path) -> str:
    """The recovery key from a file written by `companion recovery-key` (comment lines are skipped)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(4096)
    except OSError as exc:
        raise StorageFailure(describe_os_error(exc, "read the recovery key file", path)) from None
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    raise UsageError(f"The recovery key file {path} holds no recovery key.")
