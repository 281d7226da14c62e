"""The vault envelope: Argon2id-wrapped data key, AES-256-GCM body (see docs/FORMAT.md).

cryptography is imported where a key is derived or a frame sealed or opened, so reading a header (the app's
unlock screen, `companion --version`) does not load it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import threading
import unicodedata
from typing import NamedTuple

from companion.crypto.kdf import DEFAULT_KDF, KdfParams
from companion.errors import VaultDamaged, WrongPassphrase

MAGIC = b"\x89CMP\r\n\x1a\n"
FORMAT_VERSION = 3  # the newest this version reads and writes; see Header.version
SEGMENTED_VERSION = 3
KDF_ARGON2ID = 1

SALT_LEN = 16
NONCE_LEN = 12
KEY_LEN = 32
TAG_LEN = 16

# magic, version, kdf id, reserved, memory KiB, iterations, lanes, salt
_KDF_PART = struct.Struct(f">8sHBBIII{SALT_LEN}s")
_WRAP_PART = struct.Struct(f">{NONCE_LEN}s{KEY_LEN + TAG_LEN}s")
_RECOVERY_PART = struct.Struct(f">{SALT_LEN}s{NONCE_LEN}s{KEY_LEN + TAG_LEN}s")
CHECKSUM_LEN = 32
HEADER_LEN = _KDF_PART.size + _WRAP_PART.size + CHECKSUM_LEN  # version 1
HEADER_LEN_V2 = HEADER_LEN + _RECOVERY_PART.size  # version 2: a recovery slot before the checksum
MIN_FILE_LEN = HEADER_LEN + NONCE_LEN + TAG_LEN
HEAD_READ_LEN = HEADER_LEN_V2 + NONCE_LEN + TAG_LEN  # enough bytes to check a header of any version
RECOVERY_BYTES = 20  # 160 random bits
RECOVERY_LABEL = b"companion recovery key"



class RecoverySlot(NamedTuple):
    """A second wrapping of the data key, under a recovery key the person keeps somewhere safe."""

    salt: bytes
    nonce: bytes
    wrapped_key: bytes


class Header(NamedTuple):
    """The header: KDF parameters, salt, the wrapped data key, and (version 2) a recovery slot."""

    kdf: KdfParams
    salt: bytes
    wrap_nonce: bytes
    wrapped_key: bytes
    recovery: RecoverySlot | None = None
    segmented: bool = True

    @property
    def version(self) -> int:
        """3: a segmented file (companion 0.3 on); 1 and 2: one sealed body, without or with a recovery slot."""
        if self.segmented:
            return SEGMENTED_VERSION
        return 1 if self.recovery is None else 2

    @property
    def length(self) -> int:
        """How many bytes the header takes in the file."""
        return HEADER_LEN if self.version == 1 else HEADER_LEN_V2

    def kdf_part(self) -> bytes:
        """The bytes that bind the wrapped key to its KDF settings (its associated data)."""
        k = self.kdf
        flags = int(self.segmented and self.recovery is not None)
        return _KDF_PART.pack(
            MAGIC, self.version, KDF_ARGON2ID, flags, k.memory_kib, k.iterations, k.lanes, self.salt
        )

    def to_bytes(self) -> bytes:
        """Serialise the header, checksum last."""
        head = self.kdf_part() + _WRAP_PART.pack(self.wrap_nonce, self.wrapped_key)
        if self.recovery is not None:
            r = self.recovery
            head += _RECOVERY_PART.pack(r.salt, r.nonce, r.wrapped_key)
        elif self.segmented:
            head += bytes(_RECOVERY_PART.size)
        return head + hashlib.sha256(head).digest()


def _normalise(passphrase: str) -> bytes:
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


class _Ahead(threading.Thread):
    """A key being derived on a thread of its own, for the derive_key call that asks for it."""

    def __init__(self, passphrase: str, salt: bytes, params: KdfParams) -> None:
        super().__init__(name="companion-derive-ahead", daemon=True)  # never holds up the process's end
        self.inputs = (passphrase, salt, params)
        self.key = b""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.key = _derive(*self.inputs)
        except BaseException as exc:  # raised again by derive_key, in the thread that asks
            self.error = exc

    def result(self) -> bytes:
        self.join()
        if self.error is not None:
            raise self.error
        return self.key


_ahead: dict[tuple[str, bytes, KdfParams], _Ahead] = {}


def derive_ahead(passphrase: str, header: Header) -> None:
    """Start deriving the key that opens `header` on a thread: a command loads its modules meanwhile (Argon2id
    runs outside Python's lock), and the derive_key call for the same passphrase, salt and parameters takes the
    result, once. Another passphrase or another file derives its own."""
    import cryptography.hazmat.primitives.kdf.argon2  # noqa: F401  here: the thread derives from its first moment

    job = _Ahead(passphrase, header.salt, header.kdf)
    _ahead[job.inputs] = job
    job.start()


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Derive the 256-bit passphrase key with Argon2id (deliberately slow), or take the one derive_ahead began."""
    ahead = _ahead.pop((passphrase, salt, params), None)
    return ahead.result() if ahead is not None else _derive(passphrase, salt, params)


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    params.check()
    kdf = Argon2id(
        salt=salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(_normalise(passphrase))


def _wrap(data_key: bytes, passphrase: str, params: KdfParams, recovery: RecoverySlot | None = None) -> Header:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = os.urandom(SALT_LEN)
    nonce = os.urandom(NONCE_LEN)
    draft = Header(kdf=params, salt=salt, wrap_nonce=nonce, wrapped_key=b"\0" * (KEY_LEN + TAG_LEN), recovery=recovery)
    kek = derive_key(passphrase, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, draft.kdf_part())
    return draft._replace(wrapped_key=wrapped)



def new_envelope(passphrase: str, params: KdfParams = DEFAULT_KDF) -> tuple[Header, bytes]:
    """A fresh random data key and a header that wraps it under the passphrase."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data_key = AESGCM.generate_key(bit_length=256)
    return _wrap(data_key, passphrase, params), data_key


def rewrap(data_key: bytes, new_passphrase: str, params: KdfParams = DEFAULT_KDF,
           recovery: RecoverySlot | None = None) -> Header:
    """A new header wrapping the same data key under a new passphrase and salt (keeping `recovery`)."""
    return _wrap(data_key, new_passphrase, params, recovery)


# -- the recovery key: 160 random bits, shown as eight groups of four letters and digits ------------
def new_recovery_key() -> str:
    """A fresh recovery key, grouped for reading aloud or writing down (base32: no 0, 1, 8 or 9)."""
    code = base64.b32encode(os.urandom(RECOVERY_BYTES)).decode("ascii")
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _recovery_bytes(code: str) -> bytes:
    letters = "".join(ch for ch in code.upper() if ch.isalnum()).translate(str.maketrans("018", "OIB"))
    try:
        raw = base64.b32decode(letters)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != RECOVERY_BYTES:
        raise WrongPassphrase("That is not a companion recovery key (eight groups of four letters and digits).")
    return raw


def _recovery_kek(code: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=RECOVERY_LABEL).derive(_recovery_bytes(code))



def recovery_slot(data_key: bytes, code: str) -> RecoverySlot:
    """The data key wrapped under a recovery key (fast: the key is 160 random bits, no KDF is needed)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(SALT_LEN), os.urandom(NONCE_LEN)
    wrapped = AESGCM(_recovery_kek(code, salt)).encrypt(nonce, data_key, RECOVERY_LABEL)
    return RecoverySlot(salt, nonce, wrapped)


def unwrap_with_recovery(header: Header, code: str) -> bytes:
    """The data key, from the recovery key; WrongPassphrase when it does not open this header."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    slot = header.recovery
    if slot is None:
        raise WrongPassphrase("This journal has no recovery key; only its passphrase opens it.")
    try:
        return AESGCM(_recovery_kek(code, slot.salt)).decrypt(slot.nonce, slot.wrapped_key, RECOVERY_LABEL)
    except InvalidTag:
        raise WrongPassphrase("That recovery key does not open this journal (a replaced one no longer does).") from None


def parse_header(blob: bytes) -> Header:
    """Read and check the header; VaultDamaged names what is wrong."""
    if len(blob) == 0:
        raise VaultDamaged("is empty (0 bytes)")
    if len(blob) < len(MAGIC) + 2 or blob[: len(MAGIC)] != MAGIC:
        raise VaultDamaged("is not a companion vault")
    (version,) = struct.unpack_from(">H", blob, len(MAGIC))
    if version > FORMAT_VERSION:
        raise VaultDamaged(f"was written by a newer version of companion (format {version})")
    length = HEADER_LEN if version == 1 else HEADER_LEN_V2
    if len(blob) < length + NONCE_LEN + TAG_LEN:
        raise VaultDamaged("is truncated")
    head, checksum = blob[: length - CHECKSUM_LEN], blob[length - CHECKSUM_LEN : length]
    if not hmac.compare_digest(hashlib.sha256(head).digest(), checksum):
        raise VaultDamaged("has a damaged header")
    _, version, kdf_id, flags, memory, iterations, lanes, salt = _KDF_PART.unpack_from(blob, 0)
    segmented = version == SEGMENTED_VERSION
    if version == 0 or kdf_id != KDF_ARGON2ID or flags > int(segmented):
        raise VaultDamaged("has a damaged header")
    nonce, wrapped = _WRAP_PART.unpack_from(blob, _KDF_PART.size)
    recovery = None
    if version == 2 or flags:
        recovery = RecoverySlot(*_RECOVERY_PART.unpack_from(blob, _KDF_PART.size + _WRAP_PART.size))
    params = KdfParams(memory_kib=memory, iterations=iterations, lanes=lanes)
    params.check()
    return Header(kdf=params, salt=salt, wrap_nonce=nonce, wrapped_key=wrapped, recovery=recovery,
                  segmented=segmented)


def unwrap_key(header: Header, passphrase: str) -> bytes:
    """The data key, or WrongPassphrase."""
    return unlock(header, passphrase)[0]


def unlock(header: Header, passphrase: str) -> tuple[bytes, Header]:
    """The data key, and the header to write from now on: an older file's header is moved to format 3.

    The upgrade wraps the same key under the same passphrase key (same salt, a fresh nonce), so the
    KDF runs once.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = derive_key(passphrase, header.salt, header.kdf)
    try:
        data_key = AESGCM(kek).decrypt(header.wrap_nonce, header.wrapped_key, header.kdf_part())
    except InvalidTag:
        raise WrongPassphrase("That passphrase does not open this journal.") from None
    if header.segmented:
        return data_key, header
    upgraded = header._replace(segmented=True, wrap_nonce=os.urandom(NONCE_LEN))
    return data_key, upgraded._replace(wrapped_key=AESGCM(kek).encrypt(upgraded.wrap_nonce, data_key,
                                                                       upgraded.kdf_part()))


def seal(header: Header, data_key: bytes, plaintext: bytes) -> bytes:
    """The whole file: header, then the body sealed with a fresh nonce and the header as AAD."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    head = header.to_bytes()
    nonce = os.urandom(NONCE_LEN)
    return head + nonce + AESGCM(data_key).encrypt(nonce, plaintext, head)


def open_body(blob: bytes, data_key: bytes, header: Header | None = None) -> bytes:
    """Decrypt the body of a whole file (its header parsed here unless given); VaultDamaged if altered."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    length = (header or parse_header(blob)).length
    head = blob[:length]
    nonce = blob[length : length + NONCE_LEN]
    try:
        return AESGCM(data_key).decrypt(nonce, blob[length + NONCE_LEN :], head)
    except InvalidTag:
        raise VaultDamaged("has been damaged or tampered with") from None


def open_file(blob: bytes, passphrase: str) -> tuple[Header, bytes, bytes]:
    """Parse, unwrap and decrypt a whole file: (header, data key, plaintext body)."""
    header = parse_header(blob)
    data_key = unwrap_key(header, passphrase)
    return header, data_key, open_body(blob, data_key, header)


def open_file_with_recovery(blob: bytes, code: str) -> tuple[Header, bytes, bytes]:
    """Parse, unwrap with the recovery key and decrypt: (header, data key, plaintext body)."""
    header = parse_header(blob)
    data_key = unwrap_with_recovery(header, code)
    return header, data_key, open_body(blob, data_key, header)


# -- sealed side files (the draft): no header, so no passphrase ever opens them on their own ------
DRAFT_MAGIC = b"\x89CMPDRF\n"
DRAFT_VERSION = 2
_DRAFT_HEAD = struct.Struct(">8sH")
DRAFT_LABEL = b"companion draft"  # an unfinished entry
FORM_LABEL = b"companion form"  # an open form's fields (a boundary, a person, a session...)


def seal_draft(data_key: bytes, plaintext: bytes, label: bytes = DRAFT_LABEL) -> bytes:
    """A draft file: magic, version, nonce, then the text sealed with the data key.

    Its associated data names what it is (`label`), so a vault can never pass as a draft, nor an entry's
    draft as a form's, or the reverse.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    head = _DRAFT_HEAD.pack(DRAFT_MAGIC, DRAFT_VERSION)
    nonce = os.urandom(NONCE_LEN)
    return head + nonce + AESGCM(data_key).encrypt(nonce, plaintext, head + label)


def open_draft(blob: bytes, data_key: bytes, label: bytes = DRAFT_LABEL) -> bytes:
    """The draft's plaintext; VaultDamaged when it is damaged, foreign, or not this kind of draft at all."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    size = _DRAFT_HEAD.size
    if len(blob) < size + NONCE_LEN + TAG_LEN or blob[: len(DRAFT_MAGIC)] != DRAFT_MAGIC:
        raise VaultDamaged("is not a companion draft")
    head = blob[:size]
    _, version = _DRAFT_HEAD.unpack(head)
    if version != DRAFT_VERSION:
        raise VaultDamaged("is a draft from another version of companion")
    try:
        return AESGCM(data_key).decrypt(blob[size : size + NONCE_LEN], blob[size + NONCE_LEN :], head + label)
    except InvalidTag:
        raise VaultDamaged("is damaged, or belongs to another journal") from None
