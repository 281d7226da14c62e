"""The `companion` command run in a subprocess, as a script would: exit codes, stderr, the file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.crypto import envelope
from companion.domain.reflection import Reflection
from companion.storage.lock import VaultLock
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import CANARY, NOW, PASSPHRASE, SEED_TEXTS, fixed_clock
from pinned import pinned_env

COMPANION = str(Path(sys.executable).parent / "companion")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
        at: datetime = NOW) -> subprocess.CompletedProcess[str]:
    """Run the console script with no terminal, as CI and scripts do, its clock starting at `at` (pinned.py)."""
    return subprocess.run(
        [COMPANION, *args], input=stdin if stdin is not None else "", capture_output=True, text=True,
        env=pinned_env(env, at), timeout=60,
    )


def one_sentence(stderr: str) -> str:
    """stderr must be a single plain line, never a traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]




def test_version_and_help() -> None:
    assert run("--version").stdout.strip().startswith("companion ")
    assert "init" in run("--help").stdout
    page = run("boundaries", "list", "--help").stdout  # a command's own page, as a person reads it
    assert "Print boundary notes." in page and "Example:\n  companion boundaries list --json" in page


@pytest.mark.parametrize("command", ["init", "add", "capture", "list", "boundaries", "contacts", "sessions",
                                     "export", "backup", "restore", "import", "check", "merge", "passwd",
                                     "recovery-key"])
def test_every_command_page_says_what_it_does_with_an_example(command: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from companion.arguments import build_parser  # the parser alone: main() would set up its process's signals

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([command, "--help"])
    assert exit_.value.code == 0
    page = capsys.readouterr().out
    description = page.split("\n\n")[1]
    assert description[0].isupper() and description.rstrip().endswith(".")
    assert "Example:\n  " in page and f"companion {command}" in page.split("Example:")[1]
    assert "vault" not in page.replace("vault.companion", "").replace("vault.sync-conflict", "")  # "journal"


def test_init_add_list_round_trip(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    assert run(*base, "add", SEED_TEXTS[0], "--mood", "4", "--tag", "help").returncode == 0
    assert run(*base, "add", "--tag", "alone", stdin=SEED_TEXTS[1], at=NOW + timedelta(minutes=5)).returncode == 0
    listed = run(*base, "list")
    assert listed.returncode == 0
    assert listed.stdout.index(SEED_TEXTS[1]) < listed.stdout.index(SEED_TEXTS[0])
    assert "mood 4/5" in listed.stdout and "#help" in listed.stdout
    data = json.loads(run(*base, "list", "--json").stdout)
    assert [d["text"].strip() for d in data] == [SEED_TEXTS[1], SEED_TEXTS[0]]
    assert data[1]["mood"] == 4 and data[1]["tags"] == ["help"]
    assert len(json.loads(run(*base, "list", "--json", "-n", "1").stdout)) == 1
    found = json.loads(run(*base, "list", "--json", "--search", "CARRY THE BOXES").stdout)
    assert [d["text"] for d in found] == [SEED_TEXTS[0]]


def test_options_after_the_subcommand(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    assert run("list", "--data", str(vault), "--passphrase-file", str(pw)).returncode == 0


def test_companion_home_sets_the_folder(tmp_path: Path, passphrase_file: Callable[..., Path]) -> None:
    home = tmp_path / "ch"
    pw = passphrase_file()
    assert run("--passphrase-file", str(pw), "init", env={"COMPANION_HOME": str(home)}).returncode == 0
    assert (home / "vault.companion").is_file()
    assert (home.stat().st_mode & 0o777) == 0o700
    # init seals with the real Argon2id settings, and the journal it made opens
    assert envelope.parse_header((home / "vault.companion").read_bytes()).kdf == envelope.DEFAULT_KDF
    assert run("--passphrase-file", str(pw), "add", "first words", env={"COMPANION_HOME": str(home)}).returncode == 0
    assert "first words" in run("--passphrase-file", str(pw), "list", env={"COMPANION_HOME": str(home)}).stdout


def test_passphrase_from_stdin(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    done = run("--data", str(vault), "--passphrase-file", "-", "add", "from a pipe", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr


def test_add_text_and_passphrase_cannot_both_use_stdin(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    done = run("--data", str(vault), "--passphrase-file", "-", "add", stdin=PASSPHRASE + "\n")
    assert done.returncode == 2
    one_sentence(done.stderr)


def test_init_refuses_to_overwrite(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    done = run("--data", str(vault), "--passphrase-file", str(pw), "init")
    assert done.returncode == 1
    assert "already exists" in one_sentence(done.stderr)
    assert vault.read_bytes() == before


def test_init_refuses_a_short_passphrase(tmp_path: Path, passphrase_file: Callable[..., Path]) -> None:
    vault = tmp_path / "v" / "vault.companion"
    done = run("--data", str(vault), "--passphrase-file", str(passphrase_file("short")), "init")
    assert done.returncode == 2
    one_sentence(done.stderr)
    assert not vault.exists()


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["add", "x", "--mood", "9"], ["list", "-n", "zero"], ["list", "-n", "0"]],
)
def test_usage_errors_exit_2(cli_vault: tuple[Path, Path], args: list[str]) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    done = run("--data", str(vault), "--passphrase-file", str(pw), *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert vault.read_bytes() == before


def test_no_terminal_and_no_passphrase_file_is_a_usage_error(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    done = subprocess.run([COMPANION, "--data", str(vault), "list"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, start_new_session=True, env=pinned_env(), timeout=60)
    assert done.returncode == 2
    assert "passphrase-file" in one_sentence(done.stderr)


def test_app_without_a_terminal_is_a_usage_error(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    done = run("--data", str(vault))
    assert done.returncode == 2
    one_sentence(done.stderr)


def test_wrong_passphrase_exits_3(cli_vault: tuple[Path, Path], passphrase_file: Callable[..., Path]) -> None:
    vault, _ = cli_vault
    before = vault.read_bytes()
    done = run("--data", str(vault), "--passphrase-file", str(passphrase_file("not it at all", "bad")), "list")
    assert done.returncode == 3
    assert "passphrase" in one_sentence(done.stderr)
    assert vault.read_bytes() == before


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda b: b[:-1] + bytes([b[-1] ^ 1]), "tampered"),
        (lambda b: b[:100], "truncated"),
        (lambda b: b[:-30] + bytes([b[-30] ^ 1]) + b[-29:], "tampered"),  # inside the only manifest
        (lambda b: b"", "empty"),
        (lambda b: b"just a text file\n" * 20, "not a companion vault"),
        (lambda b: b[:8] + b"\x00\x09" + b[10:], "newer version"),
        (lambda b: b[:60] + bytes([b[60] ^ 1]) + b[61:], "damaged header"),
    ],
)
def test_damaged_vault_exits_4_and_names_backups(
    cli_vault: tuple[Path, Path], damage: Callable[[bytes], bytes], words: str
) -> None:
    vault, pw = cli_vault
    vault.write_bytes(damage(vault.read_bytes()))
    before = vault.read_bytes()
    for command in (["list"], ["add", "x"], ["check"]):
        done = run("--data", str(vault), "--passphrase-file", str(pw), *command)
        assert done.returncode == 4, done.stderr
        sentence = one_sentence(done.stderr)
        assert words in sentence and "backups" in sentence
        assert vault.read_bytes() == before


def test_busy_vault_exits_5(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    before = vault.read_bytes()
    with VaultLock(vault) as lock:
        lock.acquire()
        done = run("--data", str(vault), "--passphrase-file", str(pw), "add", "waiting")
    assert done.returncode == 5
    assert "open in another" in one_sentence(done.stderr)
    assert vault.read_bytes() == before


def test_second_app_is_refused_while_the_vault_is_open(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    before = vault.read_bytes()
    with VaultLock(vault) as lock:
        lock.acquire()
        done = run("--data", str(vault))
    assert done.returncode == 5
    assert "open in another" in one_sentence(done.stderr)
    assert vault.read_bytes() == before


def test_app_refuses_a_damaged_vault_before_starting(cli_vault: tuple[Path, Path]) -> None:
    vault, _ = cli_vault
    vault.write_bytes(b"garbage" * 40)
    done = run("--data", str(vault))
    assert done.returncode == 4
    assert "not a companion vault" in one_sentence(done.stderr)


def test_symlinked_vault_stays_a_symlink(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    link = tmp_path / "link.companion"
    link.symlink_to(vault)
    assert run("--data", str(link), "--passphrase-file", str(pw), "add", "through a link").returncode == 0
    assert link.is_symlink()
    assert "through a link" in run("--data", str(vault), "--passphrase-file", str(pw), "list").stdout


def test_unreadable_path_exits_1(tmp_path: Path, passphrase_file: Callable[..., Path]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = run("--data", str(blocker / "vault.companion"), "--passphrase-file", str(passphrase_file()), "list")
    assert done.returncode == 1
    one_sentence(done.stderr)
    missing = run("--data", str(tmp_path / "nowhere" / "vault.companion"), "--passphrase-file",
                  str(passphrase_file()), "list")
    assert missing.returncode == 1
    assert "companion init" in one_sentence(missing.stderr)


def test_missing_passphrase_file_exits_1(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, _ = cli_vault
    done = run("--data", str(vault), "--passphrase-file", str(tmp_path / "absent"), "list")
    assert done.returncode == 1
    one_sentence(done.stderr)


def test_disk_full_while_saving_exits_1_and_keeps_the_file(
    cli_vault: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk cannot be staged portably in a subprocess; run main() in-process with ENOSPC injected.
    import errno

    from companion import cli
    from companion.storage import disk

    vault, pw = cli_vault
    before = vault.read_bytes()

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def full_at(fd: int, data: object, offset: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(disk.os, "write", full)
    monkeypatch.setattr(disk.os, "pwrite", full_at)  # a save appends what changed
    monkeypatch.setattr(cli, "harden_process", lambda: None)  # it would scrub pytest's own environment
    code = cli.main(["--data", str(vault), "--passphrase-file", str(pw), "add", "lost?"], clock=fixed_clock)
    assert code == 1
    assert "disk is full" in one_sentence(capsys.readouterr().err)
    assert vault.read_bytes() == before


def test_check_prints_counts(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    run(*base, "add", "one")
    done = run(*base, "check")
    assert done.returncode == 0, done.stderr
    assert "1 reflections" in done.stdout or "1 reflection" in done.stdout
    assert re.search(r"Backups: (\d+) of \1 open correctly", done.stdout), done.stdout


def test_check_exits_4_on_a_damaged_backup(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    run(*base, "add", "one")
    backup = next((vault.parent / "backups").iterdir())
    backup.write_bytes(backup.read_bytes()[:-5])
    done = run(*base, "check")
    assert done.returncode == 4
    assert backup.name in one_sentence(done.stderr)


def test_passwd(cli_vault: tuple[Path, Path], passphrase_file: Callable[..., Path]) -> None:
    vault, pw = cli_vault
    new = passphrase_file("a much better passphrase", "new.txt")
    done = run("--data", str(vault), "--passphrase-file", str(pw), "passwd", "--new-passphrase-file", str(new))
    assert done.returncode == 0, done.stderr
    assert run("--data", str(vault), "--passphrase-file", str(pw), "list").returncode == 3
    assert run("--data", str(vault), "--passphrase-file", str(new), "list").returncode == 0


def test_no_plaintext_on_disk_after_commands(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ("--data", str(vault), "--passphrase-file", str(pw))
    run(*base, "add", f"{CANARY} by argument")
    run(*base, "add", stdin=f"{CANARY} by stdin")
    run(*base, "list")
    for file in vault.parent.rglob("*"):
        if file.is_file():
            assert CANARY.encode() not in file.read_bytes()
    # the header is a real companion header
    envelope.parse_header(vault.read_bytes())


def test_subcommands_do_not_import_textual(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    code = (
        "import sys\nfrom companion.cli import main\n"
        f"rc = main(['--data', {str(vault)!r}, '--passphrase-file', {str(pw)!r}, 'list'])\n"
        "print(rc, any(m.split('.')[0] == 'textual' for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=pinned_env(), timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "0 False"


def test_colour_and_demo_options_are_checked_plainly(tmp_path: Path) -> None:
    done = run("--color", "purple")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    done = run("--demo", "list")
    assert done.returncode == 2 and "--demo" in one_sentence(done.stderr)
    home = tmp_path / "home"
    done = run("--demo", "--color", "16", env={"COMPANION_HOME": str(home)})  # no terminal here
    assert done.returncode == 2 and "needs a terminal" in one_sentence(done.stderr)
    assert not home.exists()  # the demo never touches the data folder


def test_list_shows_the_time_in_the_zone_of_that_day(make_vault: Callable[..., Path],
                                                     passphrase_file: Callable[..., Path]) -> None:
    # 00:30 on Sunday 25 October 2026 in London, summer time; listed in November, in winter time
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        ReflectionRepository(vault).add(Reflection(text="Half past midnight, still up.",
                                                   created=datetime(2026, 10, 24, 23, 30, tzinfo=UTC)))
    done = run("--data", str(path), "--passphrase-file", str(passphrase_file()), "list",
               env={"TZ": "Europe/London"}, at=datetime(2026, 11, 5, 12, 0))
    assert done.stdout.startswith("2026-10-25 00:30"), done.stdout + done.stderr


def test_on_windows_it_says_to_use_wsl_in_one_sentence() -> None:
    # As on Windows: no fcntl (companion's file locks), and sys.platform says so. No traceback, exit code 1.
    code = ("import sys\nsys.modules['fcntl'] = None\nsys.platform = 'win32'\n"
            "from companion.launcher import main\nraise SystemExit(main())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "run it under WSL" in one_sentence(done.stderr)


def test_version_is_the_packages() -> None:
    from companion import __version__

    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"companion {__version__}"
    changelog = (Path(__file__).parents[2] / "CHANGELOG.md").read_text()
    assert f"## {__version__} (" in changelog  # every version says what changed


def test_the_garbage_collector_is_on_once_the_command_or_the_app_runs(cli_vault: tuple[Path, Path]) -> None:
    """The launcher keeps the garbage collector off while companion starts; the command and the app run with it
    on (a long import or a long session must not grow without bound)."""
    vault, pw = cli_vault
    command = (
        "import gc, sys\nfrom companion.launcher import main\n"
        f"sys.argv = ['companion', '--data', {str(vault)!r}, '--passphrase-file', {str(pw)!r}, 'list']\n"
        "import companion.commands.journal as journal\n"
        "listing = journal.cmd_list\n"
        "def watched(*args):\n"
        "    print('collecting while the command ran:', gc.isenabled(), file=sys.stderr)\n"
        "    return listing(*args)\n"
        "journal.cmd_list = watched\n"
        "print('before:', gc.isenabled(), file=sys.stderr)\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, env=pinned_env(),
                         timeout=60)
    assert "before: True" in out.stderr and "collecting while the command ran: True" in out.stderr, out.stderr
    app = (
        "import gc, sys\nfrom pathlib import Path\nfrom companion import cli\nimport companion.app\n"
        "companion.app.CompanionApp.run = lambda self: print('collecting while the app ran:', gc.isenabled())\n"
        "gc.disable()  # as the launcher leaves it\n"
        f"cli._run_app(Path({str(vault)!r}), 'none', lambda: None)\n"
        "print('frozen at the start:', gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", app], capture_output=True, text=True, env=pinned_env(), timeout=60)
    assert out.stdout.splitlines() == ["collecting while the app ran: True", "frozen at the start: True"], out.stderr


def test_a_command_derives_the_journals_key_while_it_loads(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    """With --passphrase-file, the console script begins deriving the key on a thread before the command line
    is parsed (ahead.py), while the rest loads; a passphrase that does not open the journal is still told as
    always."""
    vault, pw = cli_vault
    probe = (
        "import sys, threading\nfrom companion.crypto import envelope\nfrom companion.launcher import main\n"
        "real = envelope._derive\n"
        "def watched(*args):\n"
        "    print('derived on', threading.current_thread().name, file=sys.stderr)\n"
        "    return real(*args)\n"
        "envelope._derive = watched\n"
        "sys.argv = ['companion', '--data', sys.argv[1], '--passphrase-file', sys.argv[2], 'list']\n"
        "sys.exit(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(vault), str(pw)], capture_output=True, text=True,
                         env=pinned_env(), timeout=60)
    assert out.returncode == 0 and out.stderr.splitlines() == ["derived on companion-derive-ahead"], out.stderr
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase of this journal\n")
    out = subprocess.run([sys.executable, "-c", probe, str(vault), str(wrong)], capture_output=True, text=True,
                         env=pinned_env(), timeout=60)
    assert out.returncode == 3 and "That passphrase does not open this journal." in out.stderr, out.stderr


def test_a_passphrase_from_a_pipe_is_read_once_by_the_command(cli_vault: tuple[Path, Path]) -> None:
    """`--passphrase-file <(pass show companion)` is a pipe: it gives its line once. Deriving the key ahead read it
    first and the command then found it empty; only a regular file is read ahead."""
    vault, pw = cli_vault
    read_end, write_end = os.pipe()  # what the shell's <(…) hands over: /dev/fd/N, a pipe
    os.write(write_end, pw.read_bytes())
    os.close(write_end)
    try:
        out = subprocess.run([sys.executable, "-m", "companion", "--data", str(vault), "--passphrase-file",
                              f"/dev/fd/{read_end}", "list"], capture_output=True, text=True, env=pinned_env(),
                             pass_fds=(read_end,), timeout=60)
    finally:
        os.close(read_end)
    assert out.returncode == 0 and "is empty" not in out.stderr, out.stderr
