"""`companion boundaries list` and `companion contacts list`, and the CLI seeing what the app wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import seed_practices
from test_cli import one_sentence, run


def _base(vault: Path, pw: Path) -> tuple[str, ...]:
    return ("--data", str(vault), "--passphrase-file", str(pw))


def test_boundaries_list(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    seed_practices(vault)
    done = run(*_base(vault, pw), "boundaries", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("[Thinking about it]")
    assert "[Said it] Mum: No calls about my weight" in done.stdout
    data = json.loads(run(*_base(vault, pw), "boundaries", "list", "--json").stdout)
    assert {d["boundary"] for d in data} == {"No calls about my weight", "No messages after 8pm",
                                             "Ask for help before I am exhausted"}
    weight = next(d for d in data if d["who"] == "Mum")
    assert weight["events"][0]["kind"] == "held"


def test_contacts_list(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    seed_practices(vault)
    done = run(*_base(vault, pw), "contacts", "list")
    assert done.returncode == 0, done.stderr
    assert [line.split(" ")[0] for line in done.stdout.splitlines()] == ["Dr.", "Jonas", "Priya"]
    data = json.loads(run(*_base(vault, pw), "contacts", "list", "--json").stdout)
    priya = next(d for d in data if d["name"] == "Priya")
    assert priya["role"] == "secure-base" and priya["last_contact"] and len(priya["interactions"]) == 2


def test_list_sees_what_the_app_wrote(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    seed_practices(vault)
    data = json.loads(run(*_base(vault, pw), "list", "--json").stdout)
    assert len(data) == 4 and all(d["prompt"] and d["theme"] for d in data)
    assert run(*_base(vault, pw), "add", "from the shell").returncode == 0
    assert json.loads(run(*_base(vault, pw), "list", "--json", "-n", "1").stdout)[0]["text"] == "from the shell"


def test_subcommand_needs_an_action(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    done = run(*_base(vault, pw), "contacts")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_wrong_passphrase_for_contacts(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault = make_vault([])
    done = run(*_base(vault, passphrase_file("definitely wrong", "w")), "contacts", "list")
    assert done.returncode == 3
    one_sentence(done.stderr)
