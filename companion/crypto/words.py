"""Passphrases for exports: six words from the EFF short wordlist, at most 32 bytes of plain ASCII.

They are read aloud in a session, so no word may hurt: REMOVED takes out the words of death, harm, illness,
violence, loss, loneliness and fear, of anger and shame, of crime and debt, of drugs, religion and politics,
and of bodies in ways nobody wants to hear (the README lists them, and the entropy left).

Why 32 bytes: poppler (Evince, Okular and most Linux PDF viewers) cannot open an AES-256 PDF whose
password is longer than that. Six words of 3-5 letters joined by hyphens are at most 35 characters,
so a draw longer than 32 is drawn again, and each sequence that fits is equally likely: entropy_bits()
counts them (about 60 bits with the words removed).
"""

from __future__ import annotations

import math
import secrets
from functools import cache
from pathlib import Path

WORDLIST = Path(__file__).resolve().parent.parent / "data" / "eff_short_wordlist.txt"
SEPARATOR = "-"
DEFAULT_WORDS = 6
MAX_BYTES = 32  # the longest password every common PDF reader accepts
REMOVED_LIST = WORDLIST.with_name("eff_short_wordlist_removed.txt")
REMOVED = frozenset(line.strip() for line in REMOVED_LIST.read_text(encoding="ascii").splitlines()
                    if line.strip() and not line.startswith("#"))


@cache
def words() -> tuple[str, ...]:
    """The wordlist, without any word that holds the separator (it would make the words ambiguous) and without
    the words that could hurt when read aloud (REMOVED)."""
    found = (w.strip() for w in WORDLIST.read_text(encoding="ascii").splitlines())
    return tuple(w for w in found if w and w.isascii() and w.isalpha() and w not in REMOVED)


def generate_passphrase(count: int = DEFAULT_WORDS) -> str:
    """`count` random words joined by hyphens (chosen with the secrets module), never over MAX_BYTES."""
    pool = words()
    while True:
        candidate = SEPARATOR.join(secrets.choice(pool) for _ in range(count))
        if len(candidate) <= MAX_BYTES:
            return candidate


def entropy_bits(count: int = DEFAULT_WORDS) -> float:
    """The entropy of generate_passphrase(count): log2 of how many passphrases it can make."""
    lengths: dict[int, int] = {}
    for word in words():
        lengths[len(word)] = lengths.get(len(word), 0) + 1
    totals = {0: 1}
    for _ in range(count):
        step: dict[int, int] = {}
        for total, ways in totals.items():
            for length, n in lengths.items():
                step[total + length] = step.get(total + length, 0) + ways * n
        totals = step
    budget = MAX_BYTES - len(SEPARATOR) * (count - 1)
    return math.log2(sum(ways for total, ways in totals.items() if total <= budget))


def random_secret() -> str:
    """A long random string for passwords nobody types (the PDF owner password)."""
    return secrets.token_urlsafe(32)
