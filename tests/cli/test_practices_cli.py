"""`companion boundaries list` and `companion contacts list`, and the CLI seeing what the app wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

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


def test_contacts_list_json_has_the_ring_and_the_kinds(make_vault: Callable[..., Path],
                                                        passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    seed_practices(vault)
    data = json.loads(run(*_base(vault, pw), "contacts", "list", "--json").stdout)
    priya = next(d for d in data if d["name"] == "Priya")
    assert priya["ring"] == "closest" and priya["kinds"] == ["listening", "company"]
    assert priya["interactions"][0]["support"] == "practical"


def test_asks_add_list_and_done(make_vault: Callable[..., Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = make_vault([]), passphrase_file()
    seed_practices(vault)
    added = run(*_base(vault, pw), "asks", "add", "--who", "priya", "--ask", "Could you come on Friday?",
                "--fear", "She'll think I can't cope", "--belief", "70", "--when", "2026-12-04")
    assert added.returncode == 0, added.stderr
    assert "Kept as ask experiment 1" in added.stdout
    assert run(*_base(vault, pw), "asks", "add", "--who", "Sam", "--ask", "A lift", "--fear", "No",
               "--belief", "40").returncode == 0
    listed = run(*_base(vault, pw), "asks", "list")
    assert listed.stdout.splitlines() == [
        "1  rung 1 · to ask Priya (Fri 04 Dec 2026): Could you come on Friday?",
        "    fear: She'll think I can't cope (believed 70)",
        "2  rung 2 · to ask Sam: A lift",
        "    fear: No (believed 40)",
    ]
    done = run(*_base(vault, pw), "asks", "done", "1", "--happened", "She said yes at once", "--belief", "20",
               "--learned", "Asking early helps", "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    assert "70 before, and at 20 after" in done.stdout
    data = json.loads(run(*_base(vault, pw), "asks", "list", "--json").stdout)
    assert [d["id"] for d in data] == [2, 1]
    first = data[1]
    assert first["whom"] == "Priya" and first["contact_id"] is not None and first["who"] == ""
    assert (first["done"], first["done_on"], first["belief_after"], first["learned"]) == (
        True, "2026-11-26", 20, "Asking early helps")


@pytest.mark.parametrize(("args", "said"), [
    (("done", "9", "--happened", "x", "--belief", "5"), "There is no ask experiment 9"),
    (("done", "1", "--happened", "x", "--belief", "101"), "a belief is from 0 (not at all) to 100"),
    (("add", "--who", "A", "--ask", "x", "--fear", "y", "--belief", "high"), "not a whole number from 0 to 100"),
    (("add", "--who", "A", "--ask", " ", "--fear", "y", "--belief", "5"), "needs the ask"),
    (("add", "--who", "A", "--ask", "x", "--fear", "y", "--belief", "5", "--when", "1850-01-01"), "1900 to 2200"),
])
def test_asks_refuse_bad_input_in_one_sentence_and_change_nothing(
        make_vault: Callable[..., Path], passphrase_file: Callable[..., Path], args: tuple[str, ...],
        said: str) -> None:
    vault, pw = make_vault([]), passphrase_file()
    assert run(*_base(vault, pw), "asks", "add", "--who", "A", "--ask", "x", "--fear", "y",
               "--belief", "5").returncode == 0
    before = vault.read_bytes()
    done = run(*_base(vault, pw), "asks", *args)
    assert done.returncode == 2
    assert said in done.stderr.splitlines()[-1] and "Traceback" not in done.stderr  # after argparse's usage
    assert vault.read_bytes() == before
