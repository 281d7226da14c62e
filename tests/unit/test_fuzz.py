"""Fuzzing every reader of outside input: only the documented errors (CompanionError subclasses, each
one plain sentence and an exit code) ever come out — never a crash, never a hang.

The suite runs a bounded number of examples; `benchmarks/fuzz.py` runs the same properties longer.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from companion.crypto import age, envelope
from companion.domain.schema import SchemaError, check_tables
from companion.errors import CompanionError
from companion.services.backup import parse_dayone, parse_jrnl, read_backup
from companion.storage import segments
from companion.storage.vault import Vault

from conftest import FAST_KDF, PASSPHRASE, fixed_clock

settings.register_profile("suite", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))  # the benchmark asks for "long"

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=30,
)
DATES = st.sampled_from(["2026-01-01", "9999-12-31", "0001-01-01", "2026-02-30", "yesterday", "", "2026-01-01T10:00",
                         "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00+14:00", "10000-01-01"])
FIELD = st.one_of(JSON, DATES)


def _record() -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(["text", "created", "edited", "mood", "reliance", "tags", "contacts", "flagged",
                            "discussed", "boundary", "status", "events", "review_on", "name", "role",
                            "interactions", "day", "kind", "note", "reconnect_days", "uid", "changed"])
    return st.dictionaries(keys, FIELD, max_size=10)


TABLES = st.dictionaries(
    st.sampled_from(["reflections", "boundaries", "contacts", "prompts", "sessions", "_meta", "other"]),
    st.one_of(st.dictionaries(st.sampled_from(["1", "2", "x", "0", "17"]), _record(), max_size=3), JSON),
    max_size=5,
)


def _sealed(plaintext: bytes) -> bytes:
    header, key = envelope.new_envelope(PASSPHRASE, FAST_KDF)
    return envelope.seal(header, key, plaintext)


GOOD = _sealed(b'{"reflections": {}}')


@given(st.binary(max_size=400) | st.builds(lambda cut, junk: GOOD[:cut] + junk, st.integers(0, len(GOOD)),
                                           st.binary(max_size=40)))
def test_the_envelope_reader_raises_only_documented_errors(blob: bytes) -> None:
    try:
        envelope.open_file(blob, PASSPHRASE)
    except CompanionError:
        pass


@given(st.integers(0, len(GOOD) - 1), st.integers(1, 255))
def test_any_flipped_byte_is_refused(position: int, flip: int) -> None:
    damaged = bytearray(GOOD)
    damaged[position] ^= flip
    with pytest.raises(CompanionError):
        envelope.open_file(bytes(damaged), PASSPHRASE)


def _vault_with(tmp_path_factory: pytest.TempPathFactory, write: Any) -> Path:
    """A journal whose contents `write(path, header, key)` replaces, under the journal's own key."""
    path = tmp_path_factory.mktemp("fuzz") / "vault.companion"
    with Vault.create(path, PASSPHRASE, FAST_KDF, clock=fixed_clock) as vault:
        key = vault._site.data_key  # the test writes a document of its own under the journal's key
        header = envelope.parse_header(path.read_bytes())
    write(path, header, key)
    return path


def _opens_or_refuses(path: Path) -> None:
    try:
        with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
            report = vault.check(PASSPHRASE)
            assert isinstance(report.damaged_records, list)
            assert isinstance(vault.counts(), dict)
    except CompanionError:
        pass


@given(TABLES)
def test_the_vault_reader_opens_or_refuses_a_document(tmp_path_factory: pytest.TempPathFactory,
                                                      tables: dict[str, Any]) -> None:
    """Format 3: any JSON as a segment's records, named by a manifest sealed with the journal's key."""
    def write(path: Path, header: envelope.Header, key: bytes) -> None:
        parts, refs, offset = [header.to_bytes()], {}, header.length
        for name, value in tables.items():
            frame = segments.seal_segment(key, name, 0, value)
            count = len(value) if isinstance(value, dict) else 0
            refs[name] = {0: segments.SegmentRef(offset, len(frame), hashlib.sha256(frame).hexdigest(), count,
                                                 0, {"newest": "x", "flagged": 1})}
            parts.append(frame)
            offset += len(frame)
        parts.append(segments.seal_manifest(key, header, refs, 1, offset)[0])
        path.write_bytes(b"".join(parts))

    _opens_or_refuses(_vault_with(tmp_path_factory, write))


@given(TABLES)
def test_an_older_vault_opens_or_refuses_a_document(tmp_path_factory: pytest.TempPathFactory,
                                                    tables: dict[str, Any]) -> None:
    """Formats 1 and 2 (one sealed body): any JSON document, moved to format 3 on unlock or refused."""
    def write(path: Path, header: envelope.Header, key: bytes) -> None:
        legacy = header._replace(segmented=False)
        kek = envelope.derive_key(PASSPHRASE, legacy.salt, legacy.kdf)
        legacy = legacy._replace(wrapped_key=AESGCM(kek).encrypt(legacy.wrap_nonce, key, legacy.kdf_part()))
        path.write_bytes(envelope.seal(legacy, key, orjson.dumps(tables)))

    _opens_or_refuses(_vault_with(tmp_path_factory, write))


@given(TABLES)
def test_the_schema_answers_with_a_sentence(tables: dict[str, Any]) -> None:
    try:
        check_tables(tables)
    except SchemaError as exc:
        assert str(exc) and "\n" not in str(exc)


@given(st.binary(max_size=300) | JSON.map(lambda value: orjson.dumps(value)))
def test_the_draft_reader_raises_only_documented_errors(data: bytes) -> None:
    key = os.urandom(32)
    try:
        envelope.open_draft(data, key)
    except CompanionError:
        pass
    sealed = envelope.seal_draft(key, data)
    assert envelope.open_draft(sealed, key) == data


@given(st.binary(max_size=300) | JSON.map(lambda value: orjson.dumps({"entries": value}))
       | st.lists(st.dictionaries(st.sampled_from(["title", "body", "date", "time", "tags", "starred", "text",
                                                   "creationDate", "uuid"]), FIELD, max_size=6), max_size=4)
       .map(lambda entries: json.dumps({"entries": entries}).encode()))
def test_both_importers_raise_only_documented_errors(raw: bytes) -> None:
    for parse in (parse_jrnl, parse_dayone):
        try:
            for entry, source in parse(raw):
                assert entry.text and source
        except CompanionError:
            pass


@given(TABLES.map(lambda tables: {"format": "companion-backup", "version": 1, "made": "x", "tables": tables})
       | JSON.map(lambda value: {"format": "companion-backup", "tables": value}) | JSON)
def test_the_backup_reader_raises_only_documented_errors(payload: Any) -> None:
    try:
        tables, summary = read_backup(orjson.dumps(payload))
    except CompanionError:
        return
    check_tables(tables)  # whatever it accepts, the schema accepts
    assert summary.describe()


@given(st.binary(max_size=200)
       | st.lists(st.binary(max_size=60), max_size=40).map(lambda lines: b"age-encryption.org/v1\n" + b"\n".join(lines)))
def test_the_age_header_check_raises_only_documented_errors(data: bytes) -> None:
    assume(len(data) < 5000)
    try:
        age.check_header(data)
    except CompanionError:
        pass


def test_the_suite_profile_is_bounded() -> None:
    assert settings.default.max_examples <= 5000
    assert Path(__file__).name == "test_fuzz.py"


DAYLIO_HEAD = "full_date,date,weekday,time,mood,activities,note_title,note\n"
DAYLIO_FIELD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.binary(max_size=300)
       | st.lists(st.lists(DAYLIO_FIELD | st.sampled_from(["2026-11-20", "10:00 pm", "18:52", "rad", "meh", "a | b"]),
                           min_size=8, max_size=8), max_size=4)
       .map(lambda rows: (DAYLIO_HEAD + "".join(",".join(f'"{v.replace(chr(34), "")}"' for v in row) + "\n"
                                                for row in rows)).encode()))
@example(b"full_date,date,weekday,time,mood,activities,note_title,note\n\"a\rb\",x\r,\n")  # a bare CR in a field
@example(b"full_date,date,weekday,time,mood,activities,note_title,note\n1,2,3,4,5,6,7,8,9\n")  # more fields than named
def test_the_daylio_importer_raises_only_documented_errors(raw: bytes) -> None:
    from zoneinfo import ZoneInfo

    from companion.services.daylio import DEFAULT_MOODS, parse_daylio

    try:
        for entry, source in parse_daylio(raw, ZoneInfo("Europe/Paris"), dict(DEFAULT_MOODS)):
            assert entry.text and source and entry.mood in range(1, 6)
    except CompanionError:
        pass
