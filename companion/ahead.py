"""A command's journal key, derived before its command line is parsed.

Argon2id takes about 0.1 s and runs outside Python's lock. The launcher calls `derive_early` before it imports
the command line (argparse, the parser, the command's modules: about 25 ms), so that loading overlaps the
derivation instead of coming before it (benchmarks/launch.py). It reads the arguments only where their meaning
is plain: the global options before the command, `--data` and `--passphrase-file` anywhere (as argparse reads
them, in both forms), nothing after `--`. When unsure it does nothing and the command derives the key itself, as
it always could; a guess that was wrong costs time, never a result: the command takes a key derived ahead only
for the same passphrase, salt and parameters (crypto/envelope.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence

# The commands that open the journal with --passphrase-file first thing. Not restore (its passphrase may be a
# new journal's), nor init and capture (no journal yet).
DERIVES_AHEAD = frozenset({"add", "list", "boundaries", "contacts", "sessions", "plan", "asks", "export", "backup",
                           "import", "check", "merge", "passwd", "recovery-key"})
WITH_VALUE = frozenset({"--data", "--passphrase-file", "--recovery-key-file", "--color"})  # the global ones


def options_ahead(argv: Sequence[str]) -> tuple[str | None, str] | None:
    """`--data` (None when absent) and `--passphrase-file` when `argv` plainly runs a command that opens the
    journal with a passphrase read from a file; None when unsure."""
    found: dict[str, str] = {}
    command = None
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return None  # text follows, which argparse reads as positional: leave it all to argparse
        name, equals, value = token.partition("=")
        if name in WITH_VALUE:
            given = value if equals else next(tokens, None)
            if given is None:
                return None
            found[name] = given  # argparse keeps the last
        elif token.startswith("-"):
            if command is None:
                return None  # --demo, --version, --help, an abbreviation: not a plain command
        elif command is None:
            command = token
    passphrase_file = found.get("--passphrase-file")
    if command not in DERIVES_AHEAD or passphrase_file in (None, "-") or "--recovery-key-file" in found:
        return None
    return found.get("--data"), passphrase_file


def derive_early(argv: Sequence[str]) -> None:
    """Start deriving the journal's key on a thread when `argv` plainly asks for it (see above). Only from a
    regular file, which the command reads again: a pipe (`--passphrase-file <(pass show …)`) gives its line once,
    to the command. A file or journal that cannot be read is left for the command to report."""
    found = options_ahead(argv)
    if found is None:
        return
    from companion.hardening import harden_process

    harden_process()  # before a secret is read
    data, passphrase_file = found
    if not os.path.isfile(passphrase_file):
        return
    from companion.errors import CompanionError
    from companion.passphrase_input import read_passphrase_file
    from companion.paths import vault_path
    from companion.services.preflight import derive_ahead

    try:
        passphrase = read_passphrase_file(passphrase_file)
    except CompanionError:
        return
    derive_ahead(vault_path(data), passphrase)
