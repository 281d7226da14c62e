"""Argon2id's cost parameters as a vault header stores them, and their bounds: what the app and the commands
need to know of the key derivation before anything is derived (this module imports no cryptography)."""

from __future__ import annotations

from typing import NamedTuple

from companion.errors import VaultDamaged

# Bounds a header must respect before we run its KDF: a hostile file must not ask for gigabytes of
# memory or minutes of work. Twice the strongest setting companion writes (DEFAULT_KDF) is the ceiling.
MAX_MEMORY_KIB = 2 * 64 * 1024  # 128 MiB
MAX_ITERATIONS = 2 * 3
MAX_LANES = 2 * 4


class KdfParams(NamedTuple):
    """Argon2id cost parameters, stored in the header. (The header's value types are NamedTuples, not
    dataclasses: a command reads the header before deriving its key, and importing dataclasses there delayed
    the derivation by 5 ms; ahead.py.)"""

    memory_kib: int
    iterations: int
    lanes: int

    def check(self) -> None:
        """Raise VaultDamaged when the parameters are outside sane bounds."""
        if not 1 <= self.lanes <= MAX_LANES:
            raise VaultDamaged("asks for an unsupported key-derivation setting (lanes)")
        if not 1 <= self.iterations <= MAX_ITERATIONS:
            raise VaultDamaged("asks for an unsupported key-derivation setting (iterations)")
        if not 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB:
            raise VaultDamaged("asks for an unsupported key-derivation setting (memory)")


DEFAULT_KDF = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=4)
