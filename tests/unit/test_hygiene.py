"""Import rules and process hardening."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from companion.hardening import scrub_textual_environment
from companion.resources import stylesheets

ROOT = Path(__file__).resolve().parents[2]

CORE = [
    "companion.cli", "companion.commands.journal", "companion.commands.keeping", "companion.commands.files", "companion.commands.asks", "companion.crypto.envelope", "companion.storage.vault",
    "companion.storage.repositories", "companion.storage.merge", "companion.services.journal",
    "companion.services.runner", "companion.services.opening", "companion.services.sharing",
    "companion.services.document", "companion.services.pdf", "companion.domain.reflection",
    "companion.domain.series", "companion.domain.passphrase", "companion.paths", "companion.hardening",
    "companion.ahead", "companion.colors",
]


def test_core_and_cli_never_import_textual_or_rich() -> None:
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + (
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\nprint(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _loaded(module: str, watched: set[str]) -> list[str]:
    code = f"import sys\nimport {module}\nprint(sorted(m for m in sys.modules if m in {sorted(watched)!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip())


def test_the_unlock_screen_loads_neither_the_journal_nor_the_pdf_and_age_libraries() -> None:
    # fpdf2 (with fontTools and HarfBuzz) and pyrage cost about half a second, the journal's stack (TinyDB,
    # storage, the services, the area screens) much of the rest: the app shows its unlock screen without them
    # (the areas load in the unlock's thread, the libraries when a file is made or an entry captured).
    heavy = {"fpdf", "fontTools", "uharfbuzz", "pyrage", "tinydb", "companion.storage.vault",
             "companion.services.journal", "companion.screens.home", "companion.screens.share",
             "cryptography", "companion.dialogs.editors",  # the KDF and the forms load with the unlock too
             # and what the unlock screen does not show: the editor, the recovery dialogs, the entries' model
             "textual.widgets._text_area", "companion.dialogs.recovery", "companion.security",
             "companion.domain.reflection", "zoneinfo", "companion.storage.backups"}
    assert _loaded("companion.app", heavy) == []
    assert _loaded("companion.services.preflight", heavy) == []  # what the console script checks first
    assert _loaded("companion.ahead", heavy | {"argparse"}) == []  # read by every start, before the command line


def test_what_a_command_reads_before_deriving_its_key_stays_light() -> None:
    """ahead.py starts Argon2id once these have loaded; the rest (argparse, the dataclasses of the journal's
    records, the command) loads while it runs. dataclasses alone cost 5 ms before the derivation."""
    before_deriving = "companion.hardening, companion.paths, companion.passphrase_input, companion.services.preflight"
    assert _loaded(before_deriving, {"dataclasses", "argparse", "tinydb", "orjson", "companion.storage.vault"}) == []
    assert _loaded("companion.commands.journal", {"fpdf", "fontTools", "uharfbuzz", "pyrage"}) == []


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    assert lint.exists() or shutil.which("lint-imports"), "import-linter is a test dependency"
    out = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_scrub_removes_textual_variables() -> None:
    env = {"TEXTUAL_LOG": "/tmp/keys.log", "TEXTUAL": "devtools", "HOME": "/root"}
    assert sorted(scrub_textual_environment(env)) == ["TEXTUAL", "TEXTUAL_LOG"]
    assert env == {"HOME": "/root"}


def test_main_hardens_the_process_first() -> None:
    code = (
        "import os, resource, sys\n"
        "os.environ['TEXTUAL_LOG'] = '/tmp/should-not-exist.log'\n"
        "from companion.hardening import harden_process\n"
        "harden_process()\n"
        "umask = os.umask(0); print(oct(umask))\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
        "print('TEXTUAL_LOG' in os.environ)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert lines[0] == "0o77"
    assert lines[1] == "(0, 0)"
    assert lines[2] == "False"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_DUMPABLE is Linux's; elsewhere only RLIMIT_CORE applies")
def test_not_dumpable_on_linux() -> None:
    code = (
        "import ctypes\n"
        "from companion.hardening import disable_core_dumps\n"
        "disable_core_dumps()\n"
        "libc = ctypes.CDLL(None)\n"
        "print(libc.prctl(3, 0, 0, 0, 0))\n"  # PR_GET_DUMPABLE
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_stylesheets_ship_and_exist() -> None:
    sheets = stylesheets()
    assert sheets and all(sheet.is_file() for sheet in sheets)
    assert {p.name for p in (ROOT / "styles").glob("*.tcss")} == {s.name for s in sheets}


# Reading the machine's time: the wall clock, the monotonic clock, or the machine's zone by default.
MACHINE_TIME = re.compile(r"datetime\.now\(|datetime\.today\(|date\.today\(|utcnow\(|time\.time\(|time\.monotonic\("
                          r"|time\.localtime\(|time\.perf_counter\(|\.astimezone\(\)")
MAY_READ_THE_MACHINES_TIME = {
    "companion/clocks.py": "the one place: the console script hands these clocks down",
    "companion/storage/lock.py": "a real wait for another process's lock, in real seconds",
}


def test_only_clocks_py_reads_the_machines_time() -> None:
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "companion").rglob("*.py")
                     if MACHINE_TIME.search(path.read_text(encoding="utf-8")))
    assert readers == sorted(MAY_READ_THE_MACHINES_TIME)


def test_the_command_lines_sections_are_the_exports() -> None:
    # arguments.py keeps its own copy (it must not import the export service to parse them): they must agree.
    from companion import arguments
    from companion.services import export

    assert arguments.SECTIONS == export.SECTIONS
