"""Text that comes in (arguments, standard input, imports) and text that goes out to a terminal."""

from __future__ import annotations

import re
from typing import Any

MAX_ENTRY_BYTES = 1024 * 1024  # one reflection; far beyond anything written by hand

# C0 controls (but tab and newline), DEL and the C1 controls: a terminal would act on them (clear the
# screen, set the title, write the clipboard with OSC 52) instead of showing them.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def decoded(raw: bytes, what: str) -> str:
    """`raw` as UTF-8 text, or ValueError with one plain sentence naming `what`."""
    if len(raw) > MAX_ENTRY_BYTES:
        raise ValueError(_too_long(what))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                         "save it as UTF-8 and try again.") from None


def checked(text: str, what: str) -> str:
    """`text` if it can be stored (valid Unicode, not absurdly long), else ValueError with a sentence."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(f"{what} holds characters that are not valid Unicode (often a file or terminal "
                         "that is not UTF-8); nothing was saved.") from None
    if size > MAX_ENTRY_BYTES:
        raise ValueError(_too_long(what))
    return text


def plural(n: int, one: str, many: str) -> str:
    """'1 entry', '3 entries'."""
    return f"{n} {one if n == 1 else many}"


def clip(text: str, length: int) -> str:
    """`text`, cut to `length` characters with an ellipsis when it is longer."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def visible(text: str) -> str:
    """Text safe to print to a terminal: every control character except tab and newline shown, not obeyed.

    ESC becomes '␛' and the other C0 controls their Unicode control pictures; DEL and C1 controls
    become '\\x7f'-style escapes.
    """
    return _CONTROLS.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return f"\\x{code:02x}"


def _too_long(what: str) -> str:
    return f"{what} is longer than {MAX_ENTRY_BYTES // 1024:,} KiB; please split it into several entries."


def displayable(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record with every string made visible (for the domain objects the interface shows)."""
    return {key: _shown(value) for key, value in record.items()}


def _shown(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value) if _CONTROLS.search(value) else value
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return displayable(value)
    return value
