"""Two real Syncthing instances on loopback sharing one folder (discovery, relays and NAT off)."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

FOLDER_ID = "companion"


class Device:
    """One Syncthing instance with its home, its copy of the folder and its REST API."""

    def __init__(self, root: Path, name: str) -> None:
        assert shutil.which("syncthing"), "syncthing is installed by .ci/run and the README's test command"
        self.name = name
        self.home = root / f"{name}-home"
        self.folder = root / f"{name}-folder"
        self.folder.mkdir(parents=True)
        self.gui_port = self.sync_port = 0  # the system picks both when it starts (no port is guessed free)
        self.api_key = secrets.token_hex(16)
        out = subprocess.run(["syncthing", "generate", f"--home={self.home}", "--no-default-folder"],
                             capture_output=True, text=True, check=True)
        self.id = next(line.split("Device ID:")[1].strip() for line in (out.stdout + out.stderr).splitlines()
                       if "Device ID:" in line)
        self.process: subprocess.Popen[bytes] | None = None

    def configure(self, peer: Device, ignore: str) -> None:
        """Share the folder with `peer` (its address is told once both listen); nothing leaves the machine."""
        config = self.home / "config.xml"
        tree = ET.parse(config)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        gui.find("address").text = "127.0.0.1:0"  # type: ignore[union-attr]
        gui.find("apikey").text = self.api_key  # type: ignore[union-attr]
        options = root.find("options")
        assert options is not None
        settings = {
            "listenAddress": "tcp://127.0.0.1:0", "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false", "relaysEnabled": "false", "natEnabled": "false",
            "startBrowser": "false", "urAccepted": "-1", "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0", "reconnectionIntervalS": "1", "stunServer": "",
        }
        for key, value in settings.items():
            node = options.find(key)
            if node is None:
                node = ET.SubElement(options, key)
            node.text = value
        device = ET.SubElement(root, "device", id=peer.id, name=peer.name, compression="metadata",
                               introducer="false", skipIntroductionRemovals="false", introducedBy="")
        ET.SubElement(device, "address").text = "dynamic"  # replaced by `meet` with the port the peer got
        ET.SubElement(device, "autoAcceptFolders").text = "false"
        folder = ET.SubElement(root, "folder", id=FOLDER_ID, label=FOLDER_ID, path=str(self.folder),
                               type="sendreceive", rescanIntervalS="1", fsWatcherEnabled="true",
                               fsWatcherDelayS="1", ignorePerms="false", autoNormalize="true")
        for member in (self.id, peer.id):
            ET.SubElement(folder, "device", id=member, introducedBy="")
        ET.SubElement(folder, "minDiskFree", unit="%").text = "0"
        ET.SubElement(folder, "maxConflicts").text = "10"  # Syncthing's default: keep conflict copies
        tree.write(config)
        (self.folder / ".stignore").write_text(ignore)

    def start(self) -> None:
        """Run it."""
        log_path = self.home / "syncthing.log"
        log = open(log_path, "wb")  # noqa: SIM115 (open for the process's whole life)
        self.process = subprocess.Popen(
            ["syncthing", "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
            stdout=log, stderr=subprocess.STDOUT, env={"PATH": "/usr/bin:/bin", "HOME": str(self.home),
                                                      "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # it says which ports the system gave it
            said = log_path.read_text(errors="replace")
            gui = re.search(r"GUI and API listening on 127\.0\.0\.1:(\d+)", said)
            sync = re.search(r"TCP listener \(127\.0\.0\.1:(\d+)\) starting", said)
            if gui and sync:
                self.gui_port, self.sync_port = int(gui[1]), int(sync[1])
                self.api("GET", "/rest/system/ping")
                return
            assert self.process.poll() is None, "syncthing ended: " + said[-2000:]
            time.sleep(0.1)
        raise AssertionError("syncthing did not start: " + log_path.read_text()[-2000:])

    def meet(self, peer: Device) -> None:
        """Tell this device where `peer` listens."""
        body = json.dumps({"addresses": [f"tcp://127.0.0.1:{peer.sync_port}"]}).encode()
        self.api("PATCH", f"/rest/config/devices/{peer.id}", body)

    def api(self, method: str, path: str, body: bytes | None = None) -> object:
        """Call the REST API on loopback."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", method=method, data=body,
                                         headers={"X-API-Key": self.api_key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def rescan(self) -> None:
        """Look at the folder now instead of waiting for the watcher."""
        self.api("POST", f"/rest/db/scan?folder={FOLDER_ID}")

    def pause(self, peer: Device) -> None:
        """Stop talking to `peer` (a laptop on a train)."""
        self.api("POST", f"/rest/system/pause?device={peer.id}")

    def resume(self, peer: Device) -> None:
        """Talk to `peer` again."""
        self.api("POST", f"/rest/system/resume?device={peer.id}")

    def stop(self) -> None:
        """Shut it down."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def pair(root: Path, ignore: str) -> tuple[Device, Device]:
    """Two devices sharing one folder, started."""
    a, b = Device(root, "laptop"), Device(root, "phone")
    a.configure(b, ignore)
    b.configure(a, ignore)
    a.start()
    b.start()
    a.meet(b)
    b.meet(a)
    return a, b


def wait_until(check: object, timeout: float = 60.0, every: float = 0.25, what: object = "") -> None:
    """Poll `check()` until it is true; `what` (text, or a function giving text) says what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what() if callable(what) else what or check}")
