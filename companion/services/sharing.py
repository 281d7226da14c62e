"""Producing the finished export file, for the app (in a worker) and `companion export` alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.crypto import age
from companion.crypto.words import generate_passphrase
from companion.services.export import ExportContent, to_markdown, write_export
from companion.services.pdf import to_pdf


@dataclass(frozen=True)
class ExportDone:
    """Where the file went and, when companion made it up, the passphrase to pass on."""

    path: Path
    summary: str
    passphrase: str | None


def produce(content: ExportContent, names: dict[int, str], fmt: str, path: Path,
            recipients: list[str], passphrase: str | None, *, force: bool = False,
            isolated: bool = True) -> ExportDone:
    """Encrypt in memory and write atomically (0600); overwrites only with `force`.

    Without recipients or a passphrase, one is generated and returned to be shown once.
    `isolated` runs age's passphrase mode in a child process (it holds the GIL for seconds).
    """
    generated = None
    if fmt == "age" and recipients:
        data = age.encrypt_to(to_markdown(content, names).encode("utf-8"), recipients)
    else:
        if not passphrase:
            passphrase = generated = generate_passphrase()
        if fmt == "pdf":
            data = to_pdf(content, passphrase, names)
        else:
            data = age.encrypt_with_passphrase(to_markdown(content, names).encode("utf-8"), passphrase,
                                               isolated=isolated)
    write_export(path, data, force=force)
    return ExportDone(path, content.summary(), generated)
