"""Hostile input meets a plain sentence, a bounded cost and an unchanged journal, through the real
command line: edited KDF settings, endless passphrase files, bytes that are not text, terminal escapes,
impossible dates, malformed backups, huge imports, costly or enormous age headers, damaged records."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from tinydb.table import Document

from companion.crypto import age
from companion.services.backup import BACKUP_FORMAT
from companion.storage.vault import Vault

from conftest import CANARY, PASSPHRASE, fixed_clock
from pinned import pinned_env
from test_cli import COMPANION, one_sentence, run

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07\x9b31m"


def _base(vault: Path, pw: Path) -> tuple[str, ...]:
    return ("--data", str(vault), "--passphrase-file", str(pw))


def _timed(*args: str, **kwargs: object) -> tuple[object, float]:
    start = time.monotonic()
    done = run(*args, **kwargs)  # type: ignore[arg-type]
    return done, time.monotonic() - start


def test_an_edited_header_cannot_make_unlocking_costly(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    blob = bytearray(vault.read_bytes())
    struct.pack_into(">III", blob, 12, 1024 * 1024, 16, 4)  # 1 GiB and 16 passes, checksum made to match
    blob[176:208] = hashlib.sha256(bytes(blob[:176])).digest()  # format 3: the checksum follows the slot
    vault.write_bytes(bytes(blob))
    done, seconds = _timed(*_base(vault, pw), "list")
    assert done.returncode == 4  # type: ignore[attr-defined]
    assert "unsupported key-derivation setting" in one_sentence(done.stderr)  # type: ignore[attr-defined]
    assert seconds < 3 and vault.read_bytes() == bytes(blob)


@pytest.mark.parametrize("source", ["/dev/zero", "huge"])
def test_a_passphrase_file_is_read_one_short_line_at_most(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                           source: str) -> None:
    vault, _ = cli_vault
    if source == "huge":
        source = str(tmp_path / "huge")
        with open(source, "wb") as handle:
            handle.write(b"x" * (20 * 1024 * 1024))
    done, seconds = _timed("--data", str(vault), "--passphrase-file", source, "list")
    assert done.returncode == 2  # type: ignore[attr-defined]
    assert "short line" in one_sentence(done.stderr)  # type: ignore[attr-defined]
    assert seconds < 5


def test_text_that_is_not_utf8_is_refused_plainly(cli_vault: tuple[Path, Path]) -> None:
    import subprocess

    vault, pw = cli_vault
    before = vault.read_bytes()
    piped = subprocess.run([COMPANION, *_base(vault, pw), "add"], input=b"caf\xe9 with my sister\n",
                           capture_output=True, env=pinned_env(), timeout=60)
    assert piped.returncode == 2
    assert "not UTF-8" in one_sentence(piped.stderr.decode())
    argv = subprocess.run([COMPANION.encode(), *(a.encode() for a in _base(vault, pw)), b"add", b"caf\xe9"],
                          capture_output=True, env=pinned_env(), timeout=60)
    assert argv.returncode == 2 and b"not valid Unicode" in argv.stderr
    assert vault.read_bytes() == before


def test_terminal_escapes_in_entries_are_shown_never_obeyed(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    entries = {"entries": [{"title": f"Imported {ESCAPES} words", "body": "", "date": "2025-03-01", "time": "09:00",
                            "tags": [f"tag{ESCAPES}"]}]}
    source = tmp_path / "jrnl.json"
    source.write_text(json.dumps(entries), encoding="utf-8")
    assert run(*_base(vault, pw), "import", "jrnl", str(source)).returncode == 0
    listed = run(*_base(vault, pw), "list")
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in listed.stdout
    assert "␛[2J" in listed.stdout and "\\x9b31m" in listed.stdout
    as_json = run(*_base(vault, pw), "list", "--json").stdout
    assert "\x1b" not in as_json and "\x9b" not in as_json and "\x07" not in as_json
    assert json.loads(as_json)[0]["text"].startswith("Imported ␛[2J␛]0;pwned␇")  # shown, every character kept


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "America/Los_Angeles"])
def test_dates_outside_1900_to_2200_are_refused_on_import(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                           tz: str) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    source = tmp_path / "far.json"
    source.write_text(json.dumps({"entries": [{"title": "From the far future", "date": "9999-12-31", "time": "23:59"}]}))
    done = run(*_base(vault, pw), "import", "jrnl", str(source), env={"TZ": tz})
    assert done.returncode == 2
    assert "from 1900 to 2200" in one_sentence(done.stderr) or "no readable date" in done.stderr
    assert vault.read_bytes() == before
    assert run(*_base(vault, pw), "list", env={"TZ": tz}).returncode == 0


def _good_tables() -> dict[str, object]:
    return {
        "_meta": {"1": {"schema": 1}},
        "reflections": {"1": {"text": "ok", "created": "2026-01-01T10:00:00+00:00", "tags": [], "contacts": [],
                              "flagged": False}},
        "boundaries": {"1": {"who": "", "boundary": "No calls after nine", "status": "said", "events": []}},
        "contacts": {"1": {"name": "Sam", "role": "mutual", "interactions": []}},
    }


MALFORMED: list[tuple[str, Callable[[dict], None]]] = [  # type: ignore[type-arg]
    ("text not a string", lambda t: t["reflections"]["1"].update(text=5)),
    ("no created", lambda t: t["reflections"]["1"].pop("created")),
    ("created not a date", lambda t: t["reflections"]["1"].update(created="yesterday")),
    ("created without zone", lambda t: t["reflections"]["1"].update(created="2026-01-01T10:00:00")),
    ("created in year 9999", lambda t: t["reflections"]["1"].update(created="9999-12-31T23:59:00+14:00")),
    ("mood 9", lambda t: t["reflections"]["1"].update(mood=9)),
    ("mood as text", lambda t: t["reflections"]["1"].update(mood="4")),
    ("mood true", lambda t: t["reflections"]["1"].update(mood=True)),
    ("tags not a list", lambda t: t["reflections"]["1"].update(tags="work")),
    ("a tag not text", lambda t: t["reflections"]["1"].update(tags=[1])),
    ("contacts not ids", lambda t: t["reflections"]["1"].update(contacts=["Sam"])),
    ("flagged not a flag", lambda t: t["reflections"]["1"].update(flagged="yes")),
    ("record not an object", lambda t: t["reflections"].update({"2": ["text"]})),
    ("id not a number", lambda t: t["reflections"].update({"x": t["reflections"]["1"]})),
    ("table not an object", lambda t: t.update(reflections=[1, 2])),
    ("boundary empty", lambda t: t["boundaries"]["1"].update(boundary="")),
    ("status unknown", lambda t: t["boundaries"]["1"].update(status="maybe")),
    ("review date bad", lambda t: t["boundaries"]["1"].update(review_on="soon")),
    ("event kind unknown", lambda t: t["boundaries"]["1"].update(events=[{"day": "2026-01-01", "kind": "x"}])),
    ("contact without name", lambda t: t["contacts"]["1"].pop("name")),
    ("role unknown", lambda t: t["contacts"]["1"].update(role="boss")),
    ("reconnect days zero", lambda t: t["contacts"]["1"].update(reconnect_days=0)),
    ("interaction day bad", lambda t: t["contacts"]["1"].update(interactions=[{"day": "99999-01-01", "kind": "asked"}])),
    ("tables not an object", lambda t: t.clear()),
]


def _backup_to_a_key(tmp_path: Path, payload: object) -> tuple[Path, Path]:
    """`payload` in an age file for a new X25519 key (no scrypt: these tests are about what is inside), and
    the key's identity file."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(str(identity) + "\n")
    backup = tmp_path / "b.age"
    backup.write_bytes(age.encrypt_to(orjson.dumps(payload), [str(identity.to_public())]))
    return backup, key


@pytest.mark.parametrize(("name", "damage"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_backup_is_refused_before_anything_is_replaced(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                                    name: str, damage: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
    vault, pw = cli_vault
    tables: dict[str, object] = _good_tables()
    damage(tables)
    payload = {"format": BACKUP_FORMAT, "version": 1, "made": "2026-01-01", "tables": tables if tables else []}
    backup, key = _backup_to_a_key(tmp_path, payload)
    before = vault.read_bytes()
    done = run(*_base(vault, pw), "restore", str(backup), "--identity", str(key), "--yes")
    assert done.returncode == 4, (name, done.stdout, done.stderr)
    assert "damaged companion backup" in one_sentence(done.stderr)
    assert vault.read_bytes() == before
    assert run(*_base(vault, pw), "check").returncode == 0


def test_the_good_backup_restores(cli_vault: tuple[Path, Path], tmp_path: Path,
                                  passphrase_file: Callable[..., Path]) -> None:
    vault, pw = cli_vault
    payload = {"format": BACKUP_FORMAT, "version": 1, "made": "2026-01-01", "tables": _good_tables()}
    backup = tmp_path / "b.age"
    backup.write_bytes(age.encrypt_with_passphrase(orjson.dumps(payload), "backup words here"))
    done = run(*_base(vault, pw), "restore", str(backup), "--export-passphrase-file",
               str(passphrase_file("backup words here", "b")), "--yes")
    assert done.returncode == 0, done.stderr
    for command in (["list"], ["boundaries", "list"], ["contacts", "list"], ["check"]):
        assert run(*_base(vault, pw), *command).returncode == 0, command


def test_a_huge_import_is_refused_plainly(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    entry = b'{"title":"x","date":"2025-01-01","time":"09:00"}'
    source = tmp_path / "million.json"
    with open(source, "wb") as handle:
        handle.write(b'{"entries":[' + b",".join([entry] * 1_000_001) + b"]}")
    done, seconds = _timed(*_base(vault, pw), "import", "jrnl", str(source))
    assert done.returncode == 2  # type: ignore[attr-defined]
    assert "at most 100,000" in one_sentence(done.stderr)  # type: ignore[attr-defined]
    assert seconds < 20 and vault.read_bytes() == before


def _age_file(header_lines: list[bytes]) -> bytes:
    return b"age-encryption.org/v1\n" + b"\n".join(header_lines) + b"\n--- " + b"A" * 43 + b"\n" + os.urandom(64)


@pytest.mark.parametrize("header", [
    [b"-> scrypt c2FsdHNhbHRzYWx0c2FsdA 22", b"A" * 43],  # 4 GiB of scrypt before any answer
    [b"-> X25519 " + b"A" * 43, b"A" * 43] * 50_000,  # 100,000 header lines
], ids=["scrypt-work-factor-22", "hundred-thousand-lines"])
def test_a_costly_age_header_is_refused_before_any_work(cli_vault: tuple[Path, Path], tmp_path: Path,
                                                        passphrase_file: Callable[..., Path],
                                                        header: list[bytes]) -> None:
    vault, pw = cli_vault
    backup = tmp_path / "costly.age"
    backup.write_bytes(_age_file(header))
    done, seconds = _timed(*_base(vault, pw), "restore", str(backup), "--export-passphrase-file",
                           str(passphrase_file("backup words here", "b")), "--yes")
    assert done.returncode == 4  # type: ignore[attr-defined]
    one_sentence(done.stderr)  # type: ignore[attr-defined]
    assert seconds < 3


def test_check_names_a_record_that_cannot_be_read_back(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    with Vault.open(vault, PASSPHRASE, clock=fixed_clock) as opened:  # a record written by a version that did not check
        opened.db.table("reflections").insert(Document({"text": CANARY, "created": "not a date", "mood": 12}, 7))
    done = run(*_base(vault, pw), "check")
    assert done.returncode == 4
    assert "opens correctly" not in done.stdout
    assert "reflection 7" in one_sentence(done.stderr)
    assert "opens, but some records cannot be read back" in done.stdout  # the journal opens; the record is named
