"""docs/FORMAT.md is enough to read a vault: run its snippet against a real vault."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import PASSPHRASE, SEED_TEXTS, fixed_clock

DOC = Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md"


def _run_recipe(path: Path, monkeypatch) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Run the doc's Python recipe in the vault's folder, answering its passphrase prompt."""
    snippet = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert snippet
    monkeypatch.chdir(path.parent)
    monkeypatch.setattr("builtins.input", lambda prompt="": PASSPHRASE)
    scope: dict[str, object] = {}
    exec(snippet.group(1), scope)
    return scope


def test_format_doc_snippet_reads_a_vault(make_vault: Callable[..., Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_vault(SEED_TEXTS)
    scope = _run_recipe(path, monkeypatch)
    doc = scope["doc"]
    assert isinstance(doc, dict)
    assert sorted(r["text"] for r in doc["reflections"].values()) == sorted(SEED_TEXTS)
    assert doc["_meta"]["1"]["schema"] == 1


def test_format_doc_header_size_matches_code() -> None:
    from companion.crypto.envelope import HEADER_LEN, MIN_FILE_LEN

    text = DOC.read_text()
    assert f"({HEADER_LEN} bytes)" in text
    assert f"shorter than {MIN_FILE_LEN} bytes" in text


def test_the_draft_opens_as_the_format_doc_says(make_vault: Callable[..., Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import orjson
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from companion.paths import draft_path
    from companion.storage.vault import Vault

    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        vault.save_draft(orjson.dumps({"text": "half a thought", "id": None, "base": None}))
    scope = _run_recipe(path, monkeypatch)
    blob = draft_path(path).read_bytes()
    text = DOC.read_text()
    assert "`\\x89CMPDRF\\n`" in text and "label `companion draft`" in text
    assert blob[:10] == b"\x89CMPDRF\n\x00\x02"
    plain = AESGCM(scope["key"]).decrypt(blob[10:22], blob[22:], blob[:10] + b"companion draft")  # type: ignore[arg-type]
    assert orjson.loads(plain)["text"] == "half a thought"


def test_legacy_uids_are_derived_as_the_format_doc_says() -> None:
    import hashlib

    from companion.storage.lineage import record_uid

    assert '"legacy-" + sha256(table + "\\x1f" + id + "\\x1f" + anchor)[:24 hex]' in DOC.read_text()
    record = {"text": "old", "created": "2025-01-01T00:00:00+00:00"}
    expected = "legacy-" + hashlib.sha256(b"reflections\x1f7\x1f2025-01-01T00:00:00+00:00").hexdigest()[:24]
    assert record_uid("reflections", "7", record) == expected


def test_revisions_from_before_lineage_are_derived_as_the_format_doc_says() -> None:
    import hashlib
    import json

    from companion.storage.lineage import rev_of

    assert '"c-" + sha256(the record without\nrev and ancestors, as JSON with sorted keys)[:16 hex]' in DOC.read_text()
    record = {"uid": "a", "text": "old words, naïve", "created": "2025-01-01T00:00:00+00:00", "tags": ["x"]}
    as_json = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert rev_of(record) == "c-" + hashlib.sha256(as_json).hexdigest()[:16]
