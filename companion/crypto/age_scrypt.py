"""Writing age files (age-encryption.org/v1) to a passphrase with a pinned scrypt work factor.

pyrage picks the work factor itself (it calibrates to the machine, 2^20 here and more on faster ones),
so a reader cannot know the most it should accept. companion writes 2^18 — what the age reference
implementation writes — and refuses to read more than 2^20 (companion 0.1 wrote that). This follows the
age specification (https://age-encryption.org/v1) with `cryptography`'s primitives only; files written
here are decrypted by pyrage and by the `age` command in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

WORK_FACTOR = 18  # log2 of scrypt's N, as the age reference implementation writes
CHUNK = 64 * 1024  # the STREAM chunk size of the age payload
_INTRO = b"age-encryption.org/v1\n"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"


def _b64(data: bytes) -> bytes:
    """age's base64: the standard alphabet without padding."""
    return base64.b64encode(data).rstrip(b"=")


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def encrypt(data: bytes, passphrase: str, work_factor: int = WORK_FACTOR) -> bytes:
    """`data` as an age file that opens with `passphrase` (one scrypt recipient)."""
    file_key = os.urandom(16)
    salt = os.urandom(16)
    scrypt = Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=2**work_factor, r=8, p=1)
    wrapping = scrypt.derive(passphrase.encode("utf-8"))
    wrapped = ChaCha20Poly1305(wrapping).encrypt(bytes(12), file_key, None)
    header = _INTRO + b"-> scrypt " + _b64(salt) + b" " + str(work_factor).encode() + b"\n" + _b64(wrapped) + b"\n---"
    mac = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
    nonce = os.urandom(16)
    payload = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    body = bytearray()
    for counter, chunk in enumerate(chunks):
        last = counter == len(chunks) - 1
        body += payload.encrypt(counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), chunk, None)
    return header + b" " + _b64(mac) + b"\n" + nonce + bytes(body)
