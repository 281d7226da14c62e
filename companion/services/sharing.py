"""Producing the finished export file, for the app (in a worker) and `companion export` alike.

The PDF library (fpdf2, with fontTools and HarfBuzz) and age (pyrage) are loaded when a file is made, not when
the app starts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from companion.crypto.words import generate_passphrase
from companion.domain.document import Document
from companion.domain.session import Session, Shared
from companion.services.backup import backup_json
from companion.services.document import build_document, to_markdown
from companion.services.export import AUTHOR_KEY, ExportContent, ExportRequest, write_export
from companion.services.journal import Journal


@dataclass(frozen=True)
class ExportDone:
    """Where the file went and, when companion made it up, the passphrase to pass on."""

    path: Path
    summary: str
    passphrase: str | None
    session: Session | None = None


def preview(content: ExportContent, names: dict[int, str]) -> Document:
    """Exactly what the file will hold, to be shown as the page reads."""
    return build_document(content, names)


def produce(content: ExportContent, names: dict[int, str], request: ExportRequest, *,
            isolated: bool = True) -> ExportDone:
    """Encrypt in memory and write atomically (0600); overwrites only with `request.force`.

    Without recipients or a passphrase, one is generated and returned to be shown once.
    `isolated` runs age's passphrase mode in a child process (it holds the GIL for seconds).
    """
    from companion.crypto import age
    from companion.services.pdf import to_pdf

    request.check()
    document = build_document(content, names)
    generated = None
    passphrase = request.passphrase
    if request.fmt == "age" and request.recipients:
        data = age.encrypt_to(to_markdown(document).encode("utf-8"), list(request.recipients))
    else:
        if not passphrase:
            passphrase = generated = generate_passphrase()
        if request.fmt == "pdf":
            data = to_pdf(document, passphrase)
        else:
            data = age.encrypt_with_passphrase(to_markdown(document).encode("utf-8"), passphrase,
                                               isolated=isolated)
    write_export(request.path, data, force=request.force)
    return ExportDone(request.path, content.summary(), generated)


def write_backup(journal: Journal, request: ExportRequest, *, isolated: bool = True) -> ExportDone:
    """The whole journal as documented JSON inside an age file: to age keys, or to a passphrase
    (made up and returned to be shown once when none is given)."""
    from companion.crypto import age

    request = dataclasses.replace(request, fmt="age")
    request.check()
    plaintext = backup_json(journal.vault, journal.reflections.now())
    generated = None
    if request.recipients:
        data = age.encrypt_to(plaintext, list(request.recipients))
    else:
        passphrase = request.passphrase or generate_passphrase()
        generated = None if request.passphrase else passphrase
        data = age.encrypt_with_passphrase(plaintext, passphrase, isolated=isolated)
    write_export(request.path, data, force=request.force)
    return ExportDone(request.path, "the whole journal", generated)


def remember(journal: Journal, content: ExportContent, done: ExportDone, fmt: str,
             session_day: date | None) -> ExportDone:
    """After writing: remember who it is from, and record the session it was made for (if one)."""
    journal.preferences.set(AUTHOR_KEY, content.choice.author.strip())
    if session_day is None:
        return done
    shared = Shared(file=done.path.name, format=fmt, made=content.made, summary=content.summary())
    ids = [r.id for r in content.reflections if r.id is not None]
    session = journal.sessions.record_export(session_day, content.choice.note.strip(), shared, ids)
    return ExportDone(done.path, done.summary, done.passphrase, session)
