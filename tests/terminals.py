"""Driving companion in a real terminal: tmux panes (send keys, read the screen) and a loopback sshd."""

from __future__ import annotations

import getpass
import random
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from pinned import pinned_env, pinned_shell

COMPANION = str(Path(sys.executable).parent / "companion")


class Tmux:
    """One private tmux server (its own socket) with one pane running a command."""

    def __init__(self, name: str, width: int = 80, height: int = 24) -> None:
        assert shutil.which("tmux"), "tmux is installed by .ci/run and the README's test command"
        self.socket = f"companion-{name}-{uuid.uuid4().hex[:8]}"  # never another test's server
        self.width, self.height = width, height

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return done.stdout

    def start(self, command: list[str], env: dict[str, str] | None = None, *, pin: bool = True) -> None:
        """Run `command` in a fresh pane (pinned at conftest.NOW unless `pin` is False); the pane stays after
        it exits, showing the exit status."""
        line = " ".join(shlex.quote(part) for part in command)
        prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        run = f"env {prefix} {line}"
        shell = f"{pinned_shell(run) if pin else run}; status=$?; echo; echo companion-exited=$status; sleep 600"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(self.width),
                        "-y", str(self.height), shell], check=True, timeout=30)

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-l", text)

    def keys(self, *keys: str) -> None:
        """Press keys by tmux name (Enter, Escape, C-s, ...)."""
        self._tmux("send-keys", *keys)

    def burst(self, *keys: str) -> None:
        """Keys by tmux name and words, all in one call: they reach the program together, in one read (a paste,
        a slow SSH line, a fast typist). A word must not be a key's name."""
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

    def record(self, path: Path) -> None:
        """From now on, append every byte the program writes to the terminal to `path` (tmux pipe-pane)."""
        self._tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(path))}")

    def kill(self) -> None:
        """Stop the server and everything in it."""
        self._tmux("kill-server")

    def shell_pid(self) -> int:
        """The pid of the pane's shell, which started the command."""
        return int(self._tmux("display", "-p", "#{pane_pid}").strip())

    def program_pid(self, name: str = COMPANION, timeout: float = 20.0) -> int:
        """The pid of the process this pane started whose command line runs `name` (companion, ssh)."""
        return pid_below(self.shell_pid(), name, timeout)

    # -- companion's own gates, as a person goes through them ----------------------------------------
    def create(self, passphrase: str) -> None:
        """Choose the passphrase twice on the first run, note the recovery key it shows once; wait for Home."""
        self.wait_for("Passphrase  ║")  # the first field has the focus (its edge doubled)
        self.type(passphrase)
        self.keys("Enter")
        self.wait_for("Once more   ║")  # and now the second
        self.type(passphrase)
        self.keys("Enter")
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


def made_journal(folder: Path, passphrase: str, *texts: str) -> tuple[Path, Path]:
    """A journal made by the real program (`init`, then `add` for each text), pinned at conftest.NOW: the vault
    and its passphrase file."""
    vault = folder / "journal" / "vault.companion"
    pw = folder / "pw"
    pw.write_text(passphrase + "\n")
    base = [COMPANION, "--data", str(vault), "--passphrase-file", str(pw)]
    subprocess.run([*base, "init"], check=True, capture_output=True, env=pinned_env())
    for text in texts:
        subprocess.run([*base, "add", text], check=True, capture_output=True, env=pinned_env())
    return vault, pw


# -- processes: found below the pid a test started, never by a machine-wide search ----------------------
def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _runs(pid: int, name: str) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(part == name.encode() or part.endswith(b"/" + name.encode()) for part in argv)


def pid_below(root: int, name: str, timeout: float = 20.0) -> int:
    """The pid of a process under `root` (its children, theirs, ...) running `name`; AssertionError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        todo = [root]
        while todo:
            pid = todo.pop()
            children = _children(pid)
            found += [c for c in children if _runs(c, name)]
            todo += children
        if found:
            return max(found)
        time.sleep(0.05)
    raise AssertionError(f"no process running {name} below pid {root}")


def replaced(pid: int, timeout: float = 20.0) -> None:
    """Wait until process `pid` runs a fresh image of companion (a lock replaces the process: relaunch.py)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if b"\0-P\0-m\0companion" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError(f"process {pid} was not replaced by a fresh companion within {timeout} s")


def running(pid: int) -> bool:
    """Whether `pid` is still alive (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def seconds_until_gone(pid: int, timeout: float) -> float:
    """Seconds until process `pid` has ended; AssertionError after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not running(pid):
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"process {pid} was still running after {timeout} s")


class Sshd:
    """OpenSSH's sshd on a loopback port with throwaway keys, and the client command to reach it."""

    def __init__(self, folder: Path) -> None:
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        assert Path(sshd).exists(), "openssh-server is installed by .ci/run and the README's test command"
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
        shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation folder
        for _ in range(20):  # a port another process took first: sshd says so and ends; take another
            self.port = random.randint(20000, 60000)
            self.process, listening = self._serve(sshd)
            if listening:
                return
        raise AssertionError("sshd never found a free port: " + (folder / "sshd.log").read_text())

    def _serve(self, sshd: str) -> tuple[subprocess.Popen[bytes], bool]:
        folder = self.folder
        config = folder / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1", f"HostKey {folder / 'host_key'}",
            f"AuthorizedKeysFile {folder / 'authorized_keys'}", "PasswordAuthentication no",
            "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password",
            f"PidFile {folder / 'sshd.pid'}", "",
        ]))
        log_path = folder / "sshd.log"
        log = open(log_path, "wb")  # noqa: SIM115 (open for the server's whole life)
        process = subprocess.Popen([sshd, "-D", "-e", "-f", str(config)], stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # sshd says when it listens, or why it cannot
            said = log_path.read_text(errors="replace")
            if f"Server listening on 127.0.0.1 port {self.port}" in said:
                return process, True
            if process.poll() is not None:
                return process, False
            time.sleep(0.05)
        raise AssertionError("sshd did not start: " + log_path.read_text())

    def client(self, *remote: str) -> list[str]:
        """`ssh -t` to this server as the current user, running `remote` pinned at conftest.NOW."""
        command = pinned_shell(" ".join(shlex.quote(part) for part in remote))
        return ["ssh", "-t", "-p", str(self.port), "-i", str(self.folder / "client_key"),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "BatchMode=yes", f"{getpass.getuser()}@127.0.0.1", command]

    def app_pid(self, timeout: float = 20.0) -> int:
        """The pid of the companion that a connection to this server started."""
        return pid_below(self.process.pid, COMPANION, timeout)

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
