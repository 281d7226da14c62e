"""Passphrase rules shared by the create screen and `companion init`."""

from __future__ import annotations

MIN_LENGTH = 8


def too_short(passphrase: str) -> bool:
    """Whether the passphrase is under the minimum length."""
    return len(passphrase) < MIN_LENGTH


def strength_hint(passphrase: str) -> str:
    """A gentle, non-judging hint about how hard the passphrase is to guess."""
    n = len(passphrase)
    if n == 0:
        return f"At least {MIN_LENGTH} characters. A few unrelated words make a strong passphrase."
    if n < MIN_LENGTH:
        return f"{MIN_LENGTH - n} more character{'s' if MIN_LENGTH - n != 1 else ''} to go."
    words = len(passphrase.split())
    if n >= 20 or words >= 4:
        return "Strong: this would be very hard to guess."
    if n >= 14 or words >= 3:
        return "Good. A word or two more makes it stronger still."
    return "Long enough. Longer is stronger: consider adding a word or two."


PDF_MAX_BYTES = 32  # poppler (Evince, Okular, most Linux viewers) cannot open a longer AES-256 password


def export_passphrase_problem(passphrase: str, fmt: str) -> str | None:
    """Why a passphrase typed for an export would not do, in one plain sentence; None when it is fine."""
    if too_short(passphrase):
        return f"A passphrase for the export needs at least {MIN_LENGTH} characters."
    if fmt == "pdf" and not passphrase.isascii():
        return ("Some PDF readers cannot open a file whose passphrase has accents or other non-English "
                "letters; please use plain letters, digits and punctuation.")
    if fmt == "pdf" and len(passphrase.encode("utf-8")) > PDF_MAX_BYTES:
        return (f"Some PDF readers (Evince, Okular and most Linux viewers) cannot open a file whose passphrase "
                f"is longer than {PDF_MAX_BYTES} characters; please choose a shorter one.")
    return None
