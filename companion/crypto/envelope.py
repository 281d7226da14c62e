"""The vault envelope: Argon2id-wrapped data key, AES-256-GCM body (see docs/FORMAT.md)."""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from companion.errors import VaultDamaged, WrongPassphrase

MAGIC = b"\x89CMP\r\n\x1a\n"
FORMAT_VERSION = 1
KDF_ARGON2ID = 1

SALT_LEN = 16
NONCE_LEN = 12
KEY_LEN = 32
TAG_LEN = 16

# magic, version, kdf id, reserved, memory KiB, iterations, lanes, salt
_KDF_PART = struct.Struct(f">8sHBBIII{SALT_LEN}s")
_WRAP_PART = struct.Struct(f">{NONCE_LEN}s{KEY_LEN + TAG_LEN}s")
CHECKSUM_LEN = 32
HEADER_LEN = _KDF_PART.size + _WRAP_PART.size + CHECKSUM_LEN
MIN_FILE_LEN = HEADER_LEN + NONCE_LEN + TAG_LEN

# Bounds a header must respect before we run its KDF: a hostile file must not ask for gigabytes of
# memory or minutes of work. Twice the strongest setting companion writes (DEFAULT_KDF) is the ceiling.
MAX_MEMORY_KIB = 2 * 64 * 1024  # 128 MiB
MAX_ITERATIONS = 2 * 3
MAX_LANES = 2 * 4


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored in the header."""

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


@dataclass(frozen=True)
class Header:
    """The fixed-size header: KDF parameters, salt and the wrapped data key."""

    kdf: KdfParams
    salt: bytes
    wrap_nonce: bytes
    wrapped_key: bytes
    version: int = FORMAT_VERSION

    def kdf_part(self) -> bytes:
        """The bytes that bind the wrapped key to its KDF settings (its associated data)."""
        k = self.kdf
        return _KDF_PART.pack(
            MAGIC, self.version, KDF_ARGON2ID, 0, k.memory_kib, k.iterations, k.lanes, self.salt
        )

    def to_bytes(self) -> bytes:
        """Serialise the header, checksum last."""
        head = self.kdf_part() + _WRAP_PART.pack(self.wrap_nonce, self.wrapped_key)
        return head + hashlib.sha256(head).digest()


def _normalise(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Derive the 256-bit passphrase key with Argon2id (deliberately slow)."""
    params.check()
    kdf = Argon2id(
        salt=salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(_normalise(passphrase))


def _wrap(data_key: bytes, passphrase: str, params: KdfParams) -> Header:
    salt = os.urandom(SALT_LEN)
    nonce = os.urandom(NONCE_LEN)
    draft = Header(kdf=params, salt=salt, wrap_nonce=nonce, wrapped_key=b"\0" * (KEY_LEN + TAG_LEN))
    kek = derive_key(passphrase, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, draft.kdf_part())
    return Header(kdf=params, salt=salt, wrap_nonce=nonce, wrapped_key=wrapped)


def new_envelope(passphrase: str, params: KdfParams = DEFAULT_KDF) -> tuple[Header, bytes]:
    """A fresh random data key and a header that wraps it under the passphrase."""
    data_key = AESGCM.generate_key(bit_length=256)
    return _wrap(data_key, passphrase, params), data_key


def rewrap(data_key: bytes, new_passphrase: str, params: KdfParams = DEFAULT_KDF) -> Header:
    """A new header wrapping the same data key under a new passphrase and salt."""
    return _wrap(data_key, new_passphrase, params)


def parse_header(blob: bytes) -> Header:
    """Read and check the header; VaultDamaged names what is wrong."""
    if len(blob) == 0:
        raise VaultDamaged("is empty (0 bytes)")
    if len(blob) < len(MAGIC) + 2 or blob[: len(MAGIC)] != MAGIC:
        raise VaultDamaged("is not a companion vault")
    (version,) = struct.unpack_from(">H", blob, len(MAGIC))
    if version > FORMAT_VERSION:
        raise VaultDamaged(f"was written by a newer version of companion (format {version})")
    if len(blob) < MIN_FILE_LEN:
        raise VaultDamaged("is truncated")
    head, checksum = blob[: HEADER_LEN - CHECKSUM_LEN], blob[HEADER_LEN - CHECKSUM_LEN : HEADER_LEN]
    if not hmac.compare_digest(hashlib.sha256(head).digest(), checksum):
        raise VaultDamaged("has a damaged header")
    _, version, kdf_id, reserved, memory, iterations, lanes, salt = _KDF_PART.unpack_from(blob, 0)
    if version == 0 or kdf_id != KDF_ARGON2ID or reserved != 0:
        raise VaultDamaged("has a damaged header")
    nonce, wrapped = _WRAP_PART.unpack_from(blob, _KDF_PART.size)
    params = KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes)
    params.check()
    return Header(kdf=params, salt=salt, wrap_nonce=nonce, wrapped_key=wrapped, version=version)


def unwrap_key(header: Header, passphrase: str) -> bytes:
    """The data key, or WrongPassphrase."""
    kek = derive_key(passphrase, header.salt, header.kdf)
    try:
        return AESGCM(kek).decrypt(header.wrap_nonce, header.wrapped_key, header.kdf_part())
    except InvalidTag:
        raise WrongPassphrase("That passphrase does not open this journal.") from None


def seal(header: Header, data_key: bytes, plaintext: bytes) -> bytes:
    """The whole file: header, then the body sealed with a fresh nonce and the header as AAD."""
    head = header.to_bytes()
    nonce = os.urandom(NONCE_LEN)
    return head + nonce + AESGCM(data_key).encrypt(nonce, plaintext, head)


def open_body(blob: bytes, data_key: bytes) -> bytes:
    """Decrypt the body of a whole file whose header has been parsed; VaultDamaged if altered."""
    head = blob[:HEADER_LEN]
    nonce = blob[HEADER_LEN : HEADER_LEN + NONCE_LEN]
    try:
        return AESGCM(data_key).decrypt(nonce, blob[HEADER_LEN + NONCE_LEN :], head)
    except InvalidTag:
        raise VaultDamaged("has been damaged or tampered with") from None


def open_file(blob: bytes, passphrase: str) -> tuple[Header, bytes, bytes]:
    """Parse, unwrap and decrypt a whole file: (header, data key, plaintext body)."""
    header = parse_header(blob)
    data_key = unwrap_key(header, passphrase)
    return header, data_key, open_body(blob, data_key)


# -- sealed side files (the draft): no header, so no passphrase ever opens them on their own ------
DRAFT_MAGIC = b"\x89CMPDRF\n"
DRAFT_VERSION = 2
_DRAFT_HEAD = struct.Struct(">8sH")
DRAFT_LABEL = b"companion draft"


def seal_draft(data_key: bytes, plaintext: bytes) -> bytes:
    """A draft file: magic, version, nonce, then the text sealed with the data key.

    Its associated data names it a draft, so a vault can never pass as a draft or the reverse.
    """
    head = _DRAFT_HEAD.pack(DRAFT_MAGIC, DRAFT_VERSION)
    nonce = os.urandom(NONCE_LEN)
    return head + nonce + AESGCM(data_key).encrypt(nonce, plaintext, head + DRAFT_LABEL)


def open_draft(blob: bytes, data_key: bytes) -> bytes:
    """The draft's plaintext; VaultDamaged when it is damaged, foreign, or not a draft at all."""
    size = _DRAFT_HEAD.size
    if len(blob) < size + NONCE_LEN + TAG_LEN or blob[: len(DRAFT_MAGIC)] != DRAFT_MAGIC:
        raise VaultDamaged("is not a companion draft")
    head = blob[:size]
    _, version = _DRAFT_HEAD.unpack(head)
    if version != DRAFT_VERSION:
        raise VaultDamaged("is a draft from another version of companion")
    try:
        return AESGCM(data_key).decrypt(blob[size : size + NONCE_LEN], blob[size + NONCE_LEN :], head + DRAFT_LABEL)
    except InvalidTag:
        raise VaultDamaged("is damaged, or belongs to another journal") from None
