"""User settings: a small, unencrypted TOML file beside the vault. Plain data, no Textual."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.colors import COLORS
from companion.storage.disk import atomic_write

DEFAULT_CRISIS_LINES = [
    "Emergency services: 112 (EU), 911 (US, Canada), 999 (UK), 000 (Australia)",
    "Suicide & Crisis Lifeline (US): call or text 988",
    "Samaritans (UK and Ireland): 116 123, free, day or night",
    "findahelpline.com lists free, confidential helplines in many countries",
]
DEFAULT_AUTO_LOCK_MINUTES = 5.0
THEMES = ("companion-dark", "companion-light", "companion-high-contrast")

DEFAULT_FILE = '''# companion settings. This file is NOT encrypted: keep private details out of it.

# Lock the journal after this many minutes without a key press (fractions are fine; 0 turns it off).
auto_lock_minutes = 5

# Colours: theme is companion-dark, companion-light or companion-high-contrast (the palette, ctrl+p,
# changes it and remembers it here). color is auto, 256, 16 or none (none: no colour at all;
# the NO_COLOR variable does the same; --color on the command line wins).
theme = "companion-dark"
color = "auto"

# A blinking cursor redraws its line twice a second; over SSH it is off unless you turn it on.
# cursor_blink = true

# Lines shown on the support card (ctrl+g). Put the lines that serve you here,
# for example your local crisis line. Do not write names or anything personal.
crisis_lines = [
{lines}
]
'''


@dataclass(frozen=True)
class Settings:
    """What the person can change without unlocking."""

    crisis_lines: list[str] = field(default_factory=lambda: list(DEFAULT_CRISIS_LINES))
    auto_lock_minutes: float = DEFAULT_AUTO_LOCK_MINUTES
    theme: str = THEMES[0]
    color: str = "auto"
    cursor_blink: bool | None = None  # None: on, except over SSH
    problem: str = ""  # a plain sentence when the file (or a line of it) could not be used


def load_settings(path: Path) -> Settings:
    """Read the settings; a missing or broken file (or value) gives the defaults, and says why."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(problem=f"{path} could not be read ({type(exc).__name__}); using the defaults.")
    problems: list[str] = []
    lines = _crisis_lines(data, path, problems)
    minutes = _auto_lock(data, path, problems)
    theme = _choice(data, "theme", THEMES, path, problems)
    color = _choice(data, "color", COLORS, path, problems)
    blink = data.get("cursor_blink")
    if blink is not None and not isinstance(blink, bool):
        problems.append(f"cursor_blink in {path} should be true or false; leaving it as it was.")
        blink = None
    return Settings(crisis_lines=lines, auto_lock_minutes=minutes, theme=theme, color=color, cursor_blink=blink,
                    problem=" ".join(problems))


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], path: Path, problems: list[str]) -> str:
    value = data.get(key, allowed[0])
    if value not in allowed:
        problems.append(f"{key} in {path} should be one of {', '.join(allowed)}; using {allowed[0]}.")
        return allowed[0]
    return str(value)


def _crisis_lines(data: dict[str, Any], path: Path, problems: list[str]) -> list[str]:
    lines = data.get("crisis_lines", DEFAULT_CRISIS_LINES)
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines) or not lines:
        problems.append(f"crisis_lines in {path} should be a list of text lines; showing the defaults.")
        return list(DEFAULT_CRISIS_LINES)
    return lines


def _auto_lock(data: dict[str, Any], path: Path, problems: list[str]) -> float:
    minutes = data.get("auto_lock_minutes", DEFAULT_AUTO_LOCK_MINUTES)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not math.isfinite(minutes) or minutes < 0:
        problems.append(f"auto_lock_minutes in {path} should be a number of minutes (0 turns it off); "
                        f"locking after {DEFAULT_AUTO_LOCK_MINUTES:g}.")
        return DEFAULT_AUTO_LOCK_MINUTES
    return float(minutes)


def remember(path: Path, key: str, value: str) -> None:
    """Set one `key = "value"` line in the settings file, keeping everything else (comments too)."""
    line = f'{key} = "{value}"'
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(line, text, count=1)
    else:
        text = (text if text.endswith("\n") or not text else text + "\n") + line + "\n"
    atomic_write(path, text.encode("utf-8"), action="write the settings file")


def blink_wanted(settings: Settings, environ: Mapping[str, str]) -> bool:
    """Whether the text cursor blinks: as the settings say, else not over SSH (each blink is bytes)."""
    if settings.cursor_blink is not None:
        return settings.cursor_blink
    return not any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def ensure_settings_file(path: Path) -> None:
    """Write the default settings file once, so the person can find and edit it."""
    if path.exists() or not path.parent.is_dir():
        return
    lines = ",\n".join(f'    "{line}"' for line in DEFAULT_CRISIS_LINES)
    try:
        atomic_write(path, DEFAULT_FILE.format(lines=lines).encode(), action="write the settings file")
    except Exception:  # settings are a convenience; never stop the app over them
        pass
