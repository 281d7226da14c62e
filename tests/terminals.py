"""Driving companion in a real terminal: tmux panes (send keys, read the screen) and a loopback sshd."""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

COMPANION = str(Path(sys.executable).parent / "companion")


class Tmux:
    """One private tmux server with one pane running a command."""

    def __init__(self, name: str, width: int = 80, height: int = 24) -> None:
        assert shutil.which("tmux"), "tmux is installed by .ci/run and the README's test command"
        self.socket = f"companion-{name}-{os.getpid()}"
        self.width, self.height = width, height

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return done.stdout

    def start(self, command: list[str], env: dict[str, str] | None = None) -> None:
        """Run `command` in a fresh pane; the pane stays after it exits, showing the exit status."""
        line = " ".join(shlex.quote(part) for part in command)
        prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        shell = f"env {prefix} {line}; status=$?; echo; echo companion-exited=$status; sleep 600"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(self.width),
                        "-y", str(self.height), shell], check=True, timeout=30)

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-l", text)

    def keys(self, *keys: str) -> None:
        """Press keys by tmux name (Enter, Escape, C-s, ...)."""
        self._tmux("send-keys", *keys)

    def screen(self) -> str:
        """The pane as plain text, what a person without colour sees."""
        return self._tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` is on screen; return the screen (AssertionError with it if it never comes)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{screen}")

    def wait_without(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` has left the screen (a dialog closed)."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while text in screen and time.monotonic() < deadline:
            time.sleep(0.1)
            screen = self.screen()
        assert text not in screen, f"{text!r} never went away; the screen shows:\n{screen}"
        return screen

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as dragging a terminal's corner does."""
        self._tmux("resize-window", "-x", str(width), "-y", str(height))

    def kill(self) -> None:
        """Stop the server and everything in it."""
        self._tmux("kill-server")

    # -- companion's own gates, as a person goes through them ----------------------------------------
    def create(self, passphrase: str) -> None:
        """Choose the passphrase twice on the first run, note the recovery key it shows once; wait for Home."""
        self.wait_for("Welcome to companion")
        for _ in range(2):
            self.type(passphrase)
            self.keys("Enter")
            time.sleep(0.2)
        self.wait_for("Your recovery key")
        self.keys("Escape")
        self.wait_for("Today's prompt")

    def unlock(self, passphrase: str) -> None:
        """Type the passphrase at the lock screen."""
        self.wait_for("Your journal is locked")
        self.type(passphrase)
        self.keys("Enter")

    def new_entry(self) -> None:
        """From Home: write to today's prompt."""
        self.keys("w")
        self.wait_for("A new reflection")


def app_pattern(*args: str) -> str:
    """A pgrep -f pattern for companion's own process (not the shell or tmux that started it)."""
    return "^[^ ]*python[0-9.]* " + " ".join([COMPANION, *args]) + "$"


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_gone(pattern: str, timeout: float) -> float:
    """Seconds until no process matches `pattern` (pgrep -f); AssertionError after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if subprocess.run(["pgrep", "-f", pattern], capture_output=True).returncode != 0:
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"a process matching {pattern!r} was still running after {timeout} s")


def pid_of(pattern: str, timeout: float = 20.0) -> int:
    """The newest process matching `pattern` (pgrep -f -n)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run(["pgrep", "-n", "-f", pattern], capture_output=True, text=True)
        if done.returncode == 0:
            return int(done.stdout.split()[0])
        time.sleep(0.05)
    raise AssertionError(f"no process matching {pattern!r}")


class Sshd:
    """OpenSSH's sshd on a loopback port with throwaway keys, and the client command to reach it."""

    def __init__(self, folder: Path) -> None:
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        assert Path(sshd).exists(), "openssh-server is installed by .ci/run and the README's test command"
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.port = free_port()
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
        shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation folder
        config = folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {folder / 'host_key'}",
            f"AuthorizedKeysFile {folder / 'authorized_keys'}", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
            f"PidFile {folder / 'sshd.pid'}", "",
        ]))
        log = open(folder / "sshd.log", "wb")  # noqa: SIM115 (open for the server's whole life)
        self.process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("sshd did not start: " + (folder / "sshd.log").read_text())

    def client(self, *remote: str) -> list[str]:
        """`ssh -t` to this server as the current user, running `remote`."""
        return ["ssh", "-t", "-p", str(self.port), "-i", str(self.folder / "client_key"),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "BatchMode=yes", f"{getpass.getuser()}@127.0.0.1", *remote]

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(timeout=10)


def pane_title(tmux: Tmux) -> str:
    """The pane's title, which an OSC 0 escape sequence would change."""
    return tmux._tmux("display", "-p", "#{pane_title}").strip()



def pipe_output(tmux: Tmux, target: Path) -> None:
    """Copy every byte the program in the pane writes to its terminal into `target` (what SSH would carry)."""
    tmux._tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(target))}")


def stop_pipe(tmux: Tmux) -> None:
    """Stop copying the pane's output."""
    tmux._tmux("pipe-pane")
