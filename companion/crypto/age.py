"""age (age-encryption.org/v1) through pyrage: never a hand-rolled format."""

from __future__ import annotations

import subprocess
import sys

import pyrage

from companion.errors import UsageError, VaultDamaged, WrongPassphrase


def parse_recipients(keys: list[str]) -> list[pyrage.x25519.Recipient]:
    """age public keys (age1...), or UsageError naming the one that is not."""
    recipients = []
    for key in keys:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(key.strip()))
        except Exception:
            raise UsageError(f"{key.strip()[:20]}… is not an age public key (they start with age1).") from None
    return recipients


def encrypt_to(data: bytes, keys: list[str]) -> bytes:
    """Encrypt to one or more age public keys."""
    return bytes(pyrage.encrypt(data, parse_recipients(keys)))


def encrypt_with_passphrase(data: bytes, passphrase: str, *, isolated: bool = False) -> bytes:
    """Encrypt to a passphrase (age's scrypt recipient).

    pyrage holds the GIL for about two seconds here; `isolated` runs it in a child process so an
    interface stays responsive. The data goes through a pipe, never a file.
    """
    if not isolated:
        return bytes(pyrage.passphrase.encrypt(data, passphrase))
    line = passphrase.encode("utf-8") + b"\n"
    done = subprocess.run([sys.executable, "-m", "companion.crypto.age_child"], input=line + data,
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise UsageError("The export could not be encrypted with that passphrase.")
    return done.stdout


def decrypt_with_identity(data: bytes, identity_text: str) -> bytes:
    """Decrypt with the secret keys (AGE-SECRET-KEY-1...) found in an age identity file's text."""
    identities = []
    for line in identity_text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-"):
            try:
                identities.append(pyrage.x25519.Identity.from_str(line))
            except Exception:
                raise UsageError("The identity file holds a key that age cannot read.") from None
    if not identities:
        raise UsageError("The identity file holds no age secret key (AGE-SECRET-KEY-1…).")
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError:
        raise WrongPassphrase("That age key does not open this backup.") from None


def decrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """Decrypt an age file made with a passphrase."""
    if not data.startswith(b"age-encryption.org/v1"):
        raise VaultDamaged("is not an age file")
    try:
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.DecryptError:
        raise WrongPassphrase("That passphrase does not open this backup.") from None
