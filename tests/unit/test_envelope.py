"""The file envelope: round trip, wrong passphrase, and every kind of damage."""

from __future__ import annotations

import pytest

from companion.crypto import envelope
from companion.crypto.envelope import HEADER_LEN, HEADER_LEN_V2, KdfParams
from companion.errors import VaultDamaged, WrongPassphrase

from conftest import CANARY, FAST_KDF, PASSPHRASE


def _sealed(text: bytes = b'{"reflections": {}}') -> tuple[bytes, bytes]:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    return envelope.seal(header, key, text), key


def test_round_trip() -> None:
    blob, key = _sealed(b"hello")
    header, data_key, plaintext = envelope.open_file(blob, PASSPHRASE)
    assert plaintext == b"hello"
    assert data_key == key
    assert header.kdf == FAST_KDF


def test_wrong_passphrase_is_told_apart() -> None:
    blob, _ = _sealed()
    with pytest.raises(WrongPassphrase) as info:
        envelope.open_file(blob, PASSPHRASE + "!")
    assert info.value.exit_code == 3


def test_passphrase_is_unicode_normalised() -> None:
    header, key = envelope.new_envelope("caf\u00e9 au lait", FAST_KDF)
    blob = envelope.seal(header, key, b"x")
    assert envelope.open_file(blob, "cafe\u0301 au lait")[2] == b"x"


def test_every_byte_flip_is_detected_as_damage() -> None:
    blob, _ = _sealed(b'{"reflections": {"1": {"text": "short"}}}')
    for i in range(len(blob)):
        for mask in (0x01, 0x80):
            damaged = bytearray(blob)
            damaged[i] ^= mask
            with pytest.raises(VaultDamaged):
                envelope.open_file(bytes(damaged), PASSPHRASE)


@pytest.mark.parametrize("keep", [0, 1, 8, 9, 40, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 12, -1])
def test_truncation_is_detected(keep: int) -> None:
    blob, _ = _sealed()
    with pytest.raises(VaultDamaged):
        envelope.open_file(blob[:keep], PASSPHRASE)


@pytest.mark.parametrize("extra", [b"\0", b"appended", bytes(64)])
def test_appended_bytes_are_detected(extra: bytes) -> None:
    blob, _ = _sealed()
    with pytest.raises(VaultDamaged):
        envelope.open_file(blob + extra, PASSPHRASE)


def test_empty_file_is_damage_not_a_new_vault() -> None:
    with pytest.raises(VaultDamaged, match="empty"):
        envelope.parse_header(b"")


def test_newer_format_version_is_refused() -> None:
    blob, _ = _sealed()
    newer = blob[:8] + (envelope.FORMAT_VERSION + 1).to_bytes(2, "big") + blob[10:]
    with pytest.raises(VaultDamaged, match="newer version"):
        envelope.open_file(newer, PASSPHRASE)


def test_hostile_kdf_parameters_are_refused_before_running(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the KDF must not run")

    monkeypatch.setattr(envelope, "derive_key", never)
    hostile = envelope.Header(
        kdf=KdfParams(memory_kib=64 * 1024 * 1024, iterations=3, lanes=4),
        salt=bytes(16), wrap_nonce=bytes(12), wrapped_key=bytes(48),
    )
    blob = hostile.to_bytes() + bytes(28)
    with pytest.raises(VaultDamaged, match="memory"):
        envelope.open_file(blob, PASSPHRASE)


@pytest.mark.parametrize(
    "params", [KdfParams(8, 0, 1), KdfParams(8, 99, 1), KdfParams(8, 1, 0), KdfParams(8, 1, 64), KdfParams(4, 1, 1)]
)
def test_kdf_bounds(params: KdfParams) -> None:
    with pytest.raises(VaultDamaged):
        params.check()


def test_default_kdf_is_within_bounds_and_strong() -> None:
    envelope.DEFAULT_KDF.check()
    assert envelope.DEFAULT_KDF.memory_kib >= 64 * 1024


def test_fresh_nonce_every_seal() -> None:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    first, second = envelope.seal(header, key, b"same"), envelope.seal(header, key, b"same")
    assert first[:HEADER_LEN] == second[:HEADER_LEN]
    assert first[HEADER_LEN:] != second[HEADER_LEN:]


def test_canary_never_in_ciphertext() -> None:
    blob, _ = _sealed(CANARY.encode() * 10)
    assert CANARY.encode() not in blob


def test_rewrap_keeps_data_key_and_changes_passphrase() -> None:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    new_header = envelope.rewrap(key, "a brand new passphrase", FAST_KDF)
    blob = envelope.seal(new_header, key, b"body")
    assert envelope.open_file(blob, "a brand new passphrase")[1] == key
    with pytest.raises(WrongPassphrase):
        envelope.open_file(blob, PASSPHRASE)


def test_a_recovery_key_opens_the_header_and_survives_a_passphrase_change() -> None:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    assert header.version == 3 and header.length == HEADER_LEN_V2
    code = envelope.new_recovery_key()
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    with_key = envelope.rewrap(key, PASSPHRASE, FAST_KDF, envelope.recovery_slot(key, code))
    assert with_key.version == 3 and with_key.length == envelope.HEADER_LEN_V2 and with_key.kdf_part()[11] == 1
    assert envelope.parse_header(with_key.to_bytes() + bytes(40)) == with_key
    blob = envelope.seal(with_key, key, b"the journal")
    assert envelope.open_file_with_recovery(blob, code)[2] == b"the journal"
    assert envelope.open_file_with_recovery(blob, code.lower().replace("-", " "))[2] == b"the journal"
    assert envelope.open_file(blob, PASSPHRASE)[2] == b"the journal"
    changed = envelope.rewrap(key, "a new passphrase", FAST_KDF, with_key.recovery)
    again = envelope.seal(changed, key, b"later")
    assert envelope.open_file_with_recovery(again, code)[2] == b"later"
    with pytest.raises(WrongPassphrase):
        envelope.open_file(again, PASSPHRASE)


def test_a_wrong_or_missing_recovery_key_is_refused() -> None:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    plain = envelope.seal(header, key, b"x")
    with pytest.raises(WrongPassphrase, match="no recovery key"):
        envelope.open_file_with_recovery(plain, envelope.new_recovery_key())
    slot = envelope.recovery_slot(key, envelope.new_recovery_key())
    blob = envelope.seal(envelope.rewrap(key, PASSPHRASE, FAST_KDF, slot), key, b"x")
    with pytest.raises(WrongPassphrase, match="does not open"):
        envelope.open_file_with_recovery(blob, envelope.new_recovery_key())
    with pytest.raises(WrongPassphrase, match="not a companion recovery key"):
        envelope.open_file_with_recovery(blob, "my cat's name")
    damaged = bytearray(blob)
    damaged[150] ^= 1  # inside the recovery slot: the checksum notices
    with pytest.raises(VaultDamaged, match="damaged header"):
        envelope.parse_header(bytes(damaged))


def test_an_entry_draft_and_a_form_cannot_pass_for_each_other() -> None:
    key = bytes(range(32))
    entry = envelope.seal_draft(key, f'{{"text": "{CANARY}"}}'.encode())
    form = envelope.seal_draft(key, b'{"fields": {}}', envelope.FORM_LABEL)
    assert CANARY.encode() not in entry
    assert envelope.open_draft(form, key, envelope.FORM_LABEL) == b'{"fields": {}}'
    with pytest.raises(VaultDamaged):
        envelope.open_draft(form, key)  # a form read where an entry's draft belongs
    with pytest.raises(VaultDamaged):
        envelope.open_draft(entry, key, envelope.FORM_LABEL)


def test_a_key_derived_ahead_is_the_one_unlock_takes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    derived: list[str] = []
    real = envelope._derive

    def counting(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
        derived.append(passphrase)
        return real(passphrase, salt, params)

    monkeypatch.setattr(envelope, "_derive", counting)
    envelope.derive_ahead(PASSPHRASE, header)
    assert envelope.unwrap_key(header, PASSPHRASE) == key
    assert derived == [PASSPHRASE]  # the derivation begun ahead, not a second one
    assert envelope.unwrap_key(header, PASSPHRASE) == key
    assert derived == [PASSPHRASE, PASSPHRASE]  # taken once: the next unlock derives its own


def test_a_key_derived_ahead_for_another_passphrase_opens_nothing() -> None:
    header, _ = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    envelope.derive_ahead(PASSPHRASE, header)
    with pytest.raises(WrongPassphrase):
        envelope.unwrap_key(header, "not the passphrase at all")
    envelope.unwrap_key(header, PASSPHRASE)  # the one begun ahead, still waiting, is taken here


def test_a_derivation_ahead_that_fails_fails_where_the_key_is_asked_for() -> None:
    header, _ = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    hostile = envelope.Header(kdf=KdfParams(memory_kib=8, iterations=99, lanes=1), salt=header.salt,
                              wrap_nonce=header.wrap_nonce, wrapped_key=header.wrapped_key)
    envelope.derive_ahead(PASSPHRASE, hostile)  # out of bounds: refused on the thread, told here
    with pytest.raises(VaultDamaged):
        envelope.derive_key(PASSPHRASE, hostile.salt, hostile.kdf)
