"""Passphrases for exports: random words from the EFF large wordlist (about 12.9 bits a word)."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

WORDLIST = Path(__file__).resolve().parent.parent / "data" / "eff_large_wordlist.txt"
DEFAULT_WORDS = 6  # about 77 bits


@cache
def _words() -> tuple[str, ...]:
    return tuple(w.strip() for w in WORDLIST.read_text(encoding="utf-8").splitlines() if w.strip())


def generate_passphrase(count: int = DEFAULT_WORDS) -> str:
    """`count` random words joined by hyphens, chosen with the secrets module."""
    words = _words()
    return "-".join(secrets.choice(words) for _ in range(count))


def random_secret() -> str:
    """A long random string for passwords nobody types (the PDF owner password)."""
    return secrets.token_urlsafe(32)
