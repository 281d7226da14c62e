"""Child process for age passphrase encryption: first stdin line = passphrase, the rest = data."""

from __future__ import annotations

import sys

from companion.crypto import age_scrypt


def main() -> int:
    """Encrypt standard input to standard output."""
    raw = sys.stdin.buffer.read()
    passphrase, _, data = raw.partition(b"\n")
    sys.stdout.buffer.write(age_scrypt.encrypt(data, passphrase.decode("utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
