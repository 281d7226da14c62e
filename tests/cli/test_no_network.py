"""companion makes no network connections: every command runs with the socket module booby-trapped."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from pinned import pinned_env
from test_cli import COMPANION

TRAP = '''
import socket, sys
def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT\\n")
    raise OSError("no network for companion")
for name in ("connect", "connect_ex", "bind", "sendto", "listen"):
    setattr(socket.socket, name, refuse)
socket.create_connection = refuse
socket.getaddrinfo = refuse
'''


def test_no_command_opens_a_socket(cli_vault: tuple[Path, Path], tmp_path: Path,
                                   passphrase_file: Callable[..., Path]) -> None:
    vault, pw = cli_vault
    trap = tmp_path / "trap"
    trap.mkdir()
    (trap / "sitecustomize.py").write_text(TRAP)
    env = pinned_env({"PYTHONPATH": str(trap)})
    secret = passphrase_file("tea and biscuits", "export-pass")
    base = [COMPANION, "--data", str(vault), "--passphrase-file", str(pw)]
    for args in (["add", "words"], ["list"], ["check"], ["boundaries", "list"], ["sessions", "list"],
                 ["export", "--out", str(tmp_path / "a.pdf"), "--format", "pdf", "--export-passphrase-file", str(secret)],
                 ["backup", "--out", str(tmp_path / "b.age"), "--export-passphrase-file", str(secret)],
                 ["recovery-key", "--out", str(tmp_path / "key.txt")]):
        done = subprocess.run([*base, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (args, done.stderr)
        assert "NETWORK ATTEMPT" not in done.stderr, args
    check = subprocess.run([COMPANION, "--version"], env={**env, "PYTHONPATH": str(trap)}, capture_output=True,
                           text=True)
    assert check.returncode == 0
    trapped = subprocess.run(["python3", "-c", "import socket; socket.socket().connect(('127.0.0.1', 9))"], env=env,
                             capture_output=True, text=True)
    assert "NETWORK ATTEMPT" in trapped.stderr  # the trap itself works
