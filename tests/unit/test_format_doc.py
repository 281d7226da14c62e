"""docs/FORMAT.md is enough to read a vault: run its snippet against a real vault."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import PASSPHRASE, SEED_TEXTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "FORMAT.md"


def test_format_doc_snippet_reads_a_vault(make_vault: Callable[..., Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_vault(SEED_TEXTS)
    snippet = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert snippet
    monkeypatch.chdir(path.parent)
    monkeypatch.setattr("builtins.input", lambda prompt="": PASSPHRASE)
    scope: dict[str, object] = {}
    exec(snippet.group(1), scope)
    doc = scope["doc"]
    assert isinstance(doc, dict)
    assert sorted(r["text"] for r in doc["reflections"].values()) == sorted(SEED_TEXTS)
    assert doc["_meta"]["1"]["schema"] == 1


def test_format_doc_header_size_matches_code() -> None:
    from companion.crypto.envelope import HEADER_LEN, MIN_FILE_LEN

    text = DOC.read_text()
    assert f"({HEADER_LEN} bytes)" in text
    assert f"shorter than {MIN_FILE_LEN} bytes" in text
