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
    """Encrypt to a passphrase (age's scrypt recipient, work factor pinned: see age_scrypt).

    scrypt holds the GIL for a moment; `isolated` runs it in a child process so an interface stays
    responsive. The data goes through a pipe, never a file.
    """
    if not isolated:
        from companion.crypto import age_scrypt  # cryptography's scrypt: not loaded by `companion capture`

        return age_scrypt.encrypt(data, passphrase)
    line = passphrase.encode("utf-8") + b"\n"
    done = subprocess.run([sys.executable, "-m", "companion.crypto.age_child"], input=line + data,
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise UsageError("The export could not be encrypted with that passphrase.")
    return done.stdout


MAX_HEADER_BYTES = 16 * 1024  # companion's own headers are a few hundred bytes
MAX_STANZAS = 32
MAX_WORK_FACTOR = 20  # what companion 0.1 wrote (pyrage calibrated); it now writes age_scrypt.WORK_FACTOR


def check_header(data: bytes) -> None:
    """Read the age header before any work is done: refuse a huge header or a costly scrypt setting.

    A hostile file must not make a restore take gigabytes and minutes before failing.
    """
    if not data.startswith(b"age-encryption.org/v1\n"):
        raise VaultDamaged("is not an age file")
    end = data.find(b"\n---", 0, MAX_HEADER_BYTES)
    if end < 0:
        raise VaultDamaged("has an age header companion will not read (damaged, or far longer than a backup's)")
    stanzas = [line.split(b" ") for line in data[:end].split(b"\n") if line.startswith(b"-> ")]
    if not stanzas or len(stanzas) > MAX_STANZAS:
        raise VaultDamaged("has an age header companion will not read (damaged, or far longer than a backup's)")
    for stanza in stanzas:
        if len(stanza) > 1 and stanza[1] == b"scrypt":
            if len(stanza) != 4 or not stanza[3].isdigit() or len(stanzas) != 1:
                raise VaultDamaged("has a damaged age header")
            if int(stanza[3]) > MAX_WORK_FACTOR:
                raise VaultDamaged(f"asks for far more work to open (scrypt 2^{int(stanza[3])}) than companion ever "
                                   "uses, so companion will not try; the age tool can open it if you trust it")


def decrypt_with_identity(data: bytes, identity_text: str) -> bytes:
    """Decrypt with the secret keys (AGE-SECRET-KEY-1...) found in an age identity file's text."""
    check_header(data)
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
    check_header(data)
    try:
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.DecryptError:
        raise WrongPassphrase("That passphrase does not open this backup.") from None
