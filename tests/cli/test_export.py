"""Exports, backups, restore and import, checked with tools we did not write: age, qpdf, and the PDF
readers a therapist opens the file with (poppler, MuPDF, pdf.js), each given the encrypted file itself."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from companion.domain.contact import Contact
from companion.domain.reflection import Reflection
from companion.services.journal import Journal
from companion.storage.vault import Vault

from conftest import CANARY, NOW, PASSPHRASE, fixed_clock, open_vault_file, seed_practices
from pdfreaders import page_count, pdf_text, read_everywhere, refused_everywhere
from test_cli import one_sentence, run

UNICODE = "Ça va — naïve café, Ωμέγα, Привет, שלום ☺ ❤ 😀 日本語"


@pytest.fixture
def therapy_vault(make_vault: Callable[..., Path]) -> Path:
    """Flagged and unflagged reflections across two months, boundaries and contacts."""
    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        journal.reflections.save(Reflection(text=f"FLAGGED-RECENT {UNICODE}", created=NOW - timedelta(days=3), flagged=True))
        journal.reflections.save(Reflection(text="UNFLAGGED-RECENT plain day", created=NOW - timedelta(days=2)))
        journal.reflections.save(Reflection(text="FLAGGED-OLD from last spring", created=NOW - timedelta(days=200), flagged=True))
    return path


def keypair(tmp_path: Path, name: str = "key.txt") -> tuple[Path, str]:
    key = tmp_path / name
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True).stdout.strip()
    return key, public


def base(vault: Path, pw: Path) -> tuple[str, ...]:
    return ("--data", str(vault), "--passphrase-file", str(pw))


def test_pdf_opens_with_the_right_passphrase_only(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "share.pdf"
    secret = passphrase_file("the words we agreed on", "export-pass")
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "pdf",
               "--since", (NOW - timedelta(days=30)).date().isoformat(), "--flagged-only",
               "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert (out.stat().st_mode & 0o777) == 0o600
    info = subprocess.run(["qpdf", "--show-encryption", "--password=the words we agreed on", str(out)],
                          capture_output=True, text=True).stdout
    assert "R = 6" in info  # AES-256, PDF 2.0
    dates = subprocess.run(["pdfinfo", "-isodates", "-upw", "the words we agreed on", str(out)],
                           capture_output=True, text=True).stdout
    assert "CreationDate:    2026-11-27T19:3" in dates, dates  # the journal's clock, not fpdf2's reading of the machine's
    refused_everywhere(out, "not it")
    text = pdf_text(out, "the words we agreed on")
    assert "FLAGGED-RECENT" in text
    assert "UNFLAGGED-RECENT" not in text and "FLAGGED-OLD" not in text
    for word in ("naïve", "Ωμέγα", "Привет", "日本語"):
        assert word in text
    assert "No calls about my weight" in text  # boundaries are in by default
    assert "Secure base" not in text and "Listens without trying" not in text  # contacts are out by default


def test_pdf_with_a_generated_passphrase(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "share.pdf"
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "pdf")
    assert done.returncode == 0, done.stderr
    words = next(line.strip() for line in done.stdout.splitlines() if line.startswith("    "))
    assert len(words.split("-")) == 6 and len(words.encode()) <= 32 and words.isascii()
    assert "different way" in done.stdout
    for reader, text in read_everywhere(out, words).items():
        assert "FLAGGED-RECENT" in text, reader
    refused_everywhere(out, words[:-1])


def test_contact_details_stay_out_unless_asked(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = passphrase_file("the words we agreed on", "export-pass")
    plain = tmp_path / "plain.pdf"
    run(*base(therapy_vault, passphrase_file()), "export", "--out", str(plain), "--format", "pdf",
        "--include", "contacts", "--export-passphrase-file", str(secret))
    text = pdf_text(plain, "the words we agreed on")
    assert "Priya" in text and "Text first, then call" not in text
    detailed = tmp_path / "detailed.pdf"
    run(*base(therapy_vault, passphrase_file()), "export", "--out", str(detailed), "--format", "pdf",
        "--include", "contacts", "--with-contact-details", "--export-passphrase-file", str(secret))
    assert "Text first, then call" in pdf_text(detailed, "the words we agreed on")


def test_age_export_opens_with_the_age_tool_and_only_the_right_key(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, public = keypair(tmp_path)
    other, _ = keypair(tmp_path, "other.txt")
    out = tmp_path / "share.md.age"
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "age",
               "--recipient", public, "--flagged-only")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True, text=True).stdout
    assert text.startswith("# Shared from companion") and "FLAGGED-RECENT" in text and UNICODE in text
    assert "UNFLAGGED-RECENT" not in text
    assert subprocess.run(["age", "-d", "-i", str(other), str(out)], capture_output=True).returncode != 0


def test_export_refuses_to_overwrite_and_bad_input_is_plain(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "exists.pdf"
    out.write_bytes(b"someone's file")
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "pdf")
    assert done.returncode == 1 and "--force" in one_sentence(done.stderr)
    assert out.read_bytes() == b"someone's file"
    reversed_dates = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(tmp_path / "n.pdf"),
                         "--format", "pdf", "--since", "2026-11-20", "--until", "2026-11-01")
    assert reversed_dates.returncode == 2 and "comes after the end date" in one_sentence(reversed_dates.stderr)
    bad_date = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(tmp_path / "n.pdf"),
                   "--format", "pdf", "--since", "last week")
    assert bad_date.returncode == 2
    bad_key = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(tmp_path / "n.age"),
                  "--format", "age", "--recipient", "age1nope")
    assert bad_key.returncode == 2 and "age public key" in one_sentence(bad_key.stderr)
    assert not (tmp_path / "n.age").exists()


def test_no_plaintext_in_the_output_or_temp_folders(make_vault: Callable[..., Path], passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = make_vault([f"{CANARY} the words nobody else may read"])
    outdir = tmp_path / "out"
    outdir.mkdir()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    _, public = keypair(tmp_path)
    env = {"TMPDIR": str(tmpdir)}
    secret = passphrase_file("the words we agreed on", "export-pass")
    for args in (["export", "--out", str(outdir / "a.pdf"), "--format", "pdf", "--export-passphrase-file", str(secret)],
                 ["export", "--out", str(outdir / "b.age"), "--format", "age", "--recipient", public],
                 ["export", "--out", str(outdir / "c.age"), "--format", "age", "--export-passphrase-file", str(secret)],
                 ["backup", "--out", str(outdir / "d.age"), "--recipient", public]):
        done = run(*base(vault, passphrase_file()), *args, env=env)
        assert done.returncode == 0, done.stderr
    for folder in (outdir, tmpdir, vault.parent, Path(tempfile.gettempdir())):
        for file in folder.rglob("*") if folder != Path(tempfile.gettempdir()) else folder.glob("*"):
            if file.is_file() and os.access(file, os.R_OK):
                assert CANARY.encode() not in file.read_bytes(), file
    assert sorted(p.name for p in outdir.iterdir()) == ["a.pdf", "b.age", "c.age", "d.age"]


def test_backup_reads_with_age_alone_and_restores(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, public = keypair(tmp_path)
    out = tmp_path / "journal-backup.age"
    assert run(*base(therapy_vault, passphrase_file()), "backup", "--out", str(out), "--recipient", public).returncode == 0
    data = json.loads(subprocess.run(["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True).stdout)
    assert data["format"] == "companion-backup" and len(data["tables"]["reflections"]) == 7
    # restore into a fresh place (a new machine)
    fresh = tmp_path / "new" / "vault.companion"
    done = run(*base(fresh, passphrase_file()), "restore", str(out), "--identity", str(key), "--yes")
    assert done.returncode == 0, done.stderr
    assert "holds 7 reflections" in done.stdout
    listed = json.loads(run(*base(fresh, passphrase_file()), "list", "--json").stdout)
    assert len(listed) == 7
    assert json.loads(run(*base(fresh, passphrase_file()), "contacts", "list", "--json").stdout)


def test_restore_over_an_existing_journal_keeps_the_old_one(therapy_vault: Path, make_vault, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = passphrase_file("backup words here", "backup-pass")
    out = tmp_path / "b.age"
    assert run(*base(therapy_vault, passphrase_file()), "backup", "--out", str(out),
               "--export-passphrase-file", str(secret)).returncode == 0
    other = make_vault(["the only entry here"], path=tmp_path / "other" / "vault.companion")
    before = other.read_bytes()
    asked = run(*base(other, passphrase_file()), "restore", str(out), "--export-passphrase-file", str(secret))
    assert asked.returncode == 2 and other.read_bytes() == before  # no terminal, no --yes: nothing replaced
    wrong = run(*base(other, passphrase_file()), "restore", str(out),
                "--export-passphrase-file", str(passphrase_file("wrong words entirely", "w")), "--yes")
    assert wrong.returncode == 3 and other.read_bytes() == before
    done = run(*base(other, passphrase_file()), "restore", str(out), "--export-passphrase-file", str(secret), "--yes")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(run(*base(other, passphrase_file()), "list", "--json").stdout)) == 7
    kept = [p for p in (other.parent / "backups").iterdir() if p.name.startswith("before-restore-")]
    assert len(kept) == 1 and "the only entry here" in str(open_vault_file(kept[0].read_bytes()))


def test_restore_rejects_a_file_that_is_not_a_backup(make_vault: Callable[..., Path], passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = make_vault([])
    junk = tmp_path / "junk.age"
    junk.write_text("not an age file at all")
    done = run(*base(vault, passphrase_file()), "restore", str(junk), "--export-passphrase-file",
               str(passphrase_file("whatever words", "x")), "--yes")
    assert done.returncode == 4
    one_sentence(done.stderr)


JRNL = {
    "tags": {"@work": 1},
    "entries": [
        {"title": "Asked for help at work.", "body": "It went fine.", "date": "2025-03-01", "time": "09:15",
         "tags": ["@work"], "starred": True},
        {"title": "Quiet Sunday.", "body": "", "date": "2025-03-02", "time": "18:00", "tags": [], "starred": False},
    ],
}
DAYONE = {
    "metadata": {"version": "1.0"},
    "entries": [
        {"uuid": "A1B2", "creationDate": "2024-12-24T20:00:00Z", "text": "Called my brother. Ça va mieux.",
         "tags": ["Family"], "starred": False},
    ],
}


@pytest.mark.parametrize(("source", "payload", "texts"), [
    ("jrnl", JRNL, ["Asked for help at work.\n\nIt went fine.", "Quiet Sunday."]),
    ("dayone", DAYONE, ["Called my brother. Ça va mieux."]),
])
def test_import_round_trip_and_reimport(make_vault, passphrase_file, tmp_path: Path, source: str, payload: dict, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    vault = make_vault([])
    file = tmp_path / f"{source}.json"
    file.write_text(json.dumps(payload), encoding="utf-8")
    done = run(*base(vault, passphrase_file()), "import", source, str(file))
    assert done.returncode == 0, done.stderr
    assert f"Imported {len(texts)}" in done.stdout
    again = run(*base(vault, passphrase_file()), "import", source, str(file))
    assert "Imported 0 entries" in again.stdout
    listed = json.loads(run(*base(vault, passphrase_file()), "list", "--json").stdout)
    assert sorted(e["text"] for e in listed) == sorted(texts)
    if source == "jrnl":
        # a star is not consent to share: it becomes a tag, and 'bring to therapy' stays off
        starred = next(e for e in listed if e["text"].startswith("Asked"))
        assert not starred["flagged"] and starred["tags"] == ["work", "starred"]
        plain = next(e for e in listed if e["text"].startswith("Quiet"))
        assert plain["tags"] == []
    assert not any(e["flagged"] for e in listed)


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "not valid JSON"),
    ('{"entries": [{"title": "x", "date": "someday"}]}', "Entry 1"),
    ('{"entries": [{"title": "ok", "date": "2025-01-01", "time": "10:00"}, {"title": "", "body": "", "date": "2025-01-02"}]}', "Entry 2"),
    ('{"no entries": true}', "no list of entries"),
])
def test_malformed_imports_add_nothing(make_vault, passphrase_file, tmp_path: Path, content: str, words: str) -> None:  # type: ignore[no-untyped-def]
    vault = make_vault([])
    before = vault.read_bytes()
    file = tmp_path / "bad.json"
    file.write_text(content)
    done = run(*base(vault, passphrase_file()), "import", "jrnl", str(file))
    assert done.returncode == 2
    assert words in one_sentence(done.stderr)
    assert vault.read_bytes() == before


@pytest.mark.parametrize(("typed", "why"), [
    ("a passphrase that is well over thirty-two bytes long", "longer than 32"),
    ("naïve café words", "accents"),
])
def test_a_pdf_passphrase_some_readers_cannot_open_is_refused(therapy_vault: Path, passphrase_file, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              typed: str, why: str) -> None:
    out = tmp_path / "share.pdf"
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "pdf",
               "--export-passphrase-file", str(passphrase_file(typed, "export-pass")))
    assert done.returncode == 2
    assert why in one_sentence(done.stderr) and "readers" in done.stderr
    assert not out.exists()
    # the same words are fine for an age file, which has no such limit
    age_out = tmp_path / "share.md.age"
    fine = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(age_out), "--format", "age",
               "--export-passphrase-file", str(passphrase_file(typed, "export-pass")))
    assert fine.returncode == 0, fine.stderr


def test_three_short_entries_fit_on_two_pages_summary_first(make_vault: Callable[..., Path], passphrase_file,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    from companion.domain.boundary import Boundary

    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        journal.boundaries.save(Boundary(who="Mum", boundary="No calls about my weight", status="said",
                                         review_on=(NOW - timedelta(days=1)).date()))
        journal.boundaries.save(Boundary(who="Work", boundary="No messages after 8pm", status="holding"))
        for i, (text, mood) in enumerate([("Asked Sam for a lift. ENTRY-ONE", 2), ("Rested alone. ENTRY-TWO", 4),
                                          ("Said no kindly. ENTRY-THREE", 3)]):
            journal.reflections.save(Reflection(text=text, created=NOW - timedelta(days=6 - 2 * i), mood=mood,
                                                reliance=3, tags=["week"], flagged=i != 1))
    out = tmp_path / "session.pdf"
    secret = passphrase_file("tea and biscuits", "export-pass")
    done = run(*base(path, passphrase_file()), "export", "--out", str(out), "--format", "pdf",
               "--since", (NOW - timedelta(days=7)).date().isoformat(), "--until", NOW.date().isoformat(),
               "--from", "A. B.", "--note", "The lift, and why asking felt so hard",
               "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert page_count(out, "tea and biscuits") <= 2
    texts = read_everywhere(out, "tea and biscuits")
    text = texts["poppler"]
    first = text.split("\f")[0]
    for words in ("From: A. B.", "Period: Fri 20 Nov 2026 to Fri 27 Nov 2026", "What I want to bring up",
                  "The lift, and why asking felt so hard", "Marked to bring to therapy", "Mood",
                  "Boundaries at a glance", "Summary"):
        assert words in first, words
    assert first.index("Summary") < first.index("ENTRY-ONE")  # the summary comes first
    assert "review was due" in first  # an overdue review is named
    assert "page 1 of 2" in text or "page 1 of 1" in text
    assert "#week" in text and "to bring to therapy" in text  # tags and the mark on each entry
    for reader, found in texts.items():
        assert "ENTRY-THREE" in found and "A. B." in found, reader
    # remembered: the next export says who it is from without being told
    again = tmp_path / "again.pdf"
    assert run(*base(path, passphrase_file()), "export", "--out", str(again), "--format", "pdf",
               "--export-passphrase-file", str(secret)).returncode == 0
    assert "From: A. B." in pdf_text(again, "tea and biscuits")


def test_the_age_file_carries_the_same_document(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key, public = keypair(tmp_path)
    md = tmp_path / "share.md.age"
    pdf = tmp_path / "share.pdf"
    secret = passphrase_file("tea and biscuits", "export-pass")
    common = ("--flagged-only", "--note", "Sleep, mostly")
    assert run(*base(therapy_vault, passphrase_file()), "export", "--out", str(md), "--format", "age",
               "--recipient", public, *common).returncode == 0
    assert run(*base(therapy_vault, passphrase_file()), "export", "--out", str(pdf), "--format", "pdf",
               "--export-passphrase-file", str(secret), *common).returncode == 0
    markdown = subprocess.run(["age", "-d", "-i", str(key), str(md)], check=True, capture_output=True, text=True).stdout
    text = " ".join(pdf_text(pdf, "tea and biscuits").split())
    for words in ("What I want to bring up", "Sleep, mostly", "Marked to bring to therapy", "#guided",
                  "to bring to therapy", "Boundaries at a glance"):
        assert words in markdown and words in text, words


def test_export_for_a_session_then_sessions_list(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = passphrase_file("tea and biscuits", "export-pass")
    out = tmp_path / "tuesday.pdf"
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(out), "--format", "pdf",
               "--flagged-only", "--session", "2026-12-01", "--note", "The move", "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert "Recorded for your session on Tue 01 Dec 2026" in done.stdout
    listed = json.loads(run(*base(therapy_vault, passphrase_file()), "sessions", "list", "--json").stdout)
    # newest first; the seeded session on that day is the one the export is recorded with
    assert [s["day"] for s in listed] == ["2026-12-01", "2026-11-17"]
    session = listed[0]
    assert session["day"] == "2026-12-01" and session["agenda"] == "The move" and session["state"] == "coming up"
    [export] = session["exports"]
    assert export["file"] == "tuesday.pdf" and export["format"] == "pdf"
    assert len(session["shared_reflections"]) == 4  # the flagged entries it held
    plain = run(*base(therapy_vault, passphrase_file()), "sessions", "list").stdout
    assert plain.startswith("Tue 01 Dec 2026  coming up; shared")


def test_the_page_labels_what_it_shows(therapy_vault: Path, passphrase_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """As poppler, MuPDF and pdf.js read the encrypted PDF: boundary events say what happened and when, people read "name — role",
    themes and tags are counted, a period without moods says so, and a name without .pdf gets it."""
    with Vault.open(therapy_vault, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        mara = journal.contacts.save(Contact("Mara (sister)", "safe-haven"))
        journal.contacts.log(mara, "together", "Tea on Sunday", day=NOW.date() - timedelta(days=3))
        journal.reflections.save(Reflection(text="A day with words and no mood.", created=NOW - timedelta(days=100)))
    secret = passphrase_file("tea and biscuits", "export-pass")
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(tmp_path / "for-tuesday"),
               "--format", "pdf", "--include", "reflections,boundaries,contacts", "--export-passphrase-file",
               str(secret))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "for-tuesday.pdf"  # the ending added, and said
    assert f"Wrote {out}" in done.stdout and not (tmp_path / "for-tuesday").exists()
    for reader, read in read_everywhere(out, "tea and biscuits").items():  # poppler, MuPDF and pdf.js alike
        text = " ".join(read.split())
        assert "Held on Sun 22 Nov 2026: Changed the subject kindly" in text, reader
        assert "Mara — sister, safe haven" in text and "Priya — secure base" in text and "(Safe haven)" not in text
        assert "Themes and tags" in text and "#guided 4" in text, reader
        assert "The shaded band from 2.5 to 3.5 is the healthy middle: mutual give and take" in text, reader
        assert text.count("healthy middle") >= 2, reader  # the band itself is labelled, on the chart
    quiet = tmp_path / "quiet.pdf"
    day = (NOW - timedelta(days=100)).date().isoformat()
    done = run(*base(therapy_vault, passphrase_file()), "export", "--out", str(quiet), "--format", "pdf",
               "--since", day, "--until", day, "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert "No mood was noted in the entries of this period." in " ".join(pdf_text(quiet, "tea and biscuits").split())


def test_the_charts_say_where_they_come_from(make_vault: Callable[..., Path], passphrase_file,  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    """Two shared entries cannot read as a month: the page says which check-ins the charts count, and
    `--checkins all` draws every day's numbers (and none of the words of the entries not shared)."""
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        for day in range(1, 16):  # fifteen good days, not shared
            journal.reflections.save(Reflection(text=f"PRIVATE-DAY-{day}", created=NOW - timedelta(days=day),
                                                mood=5, reliance=3))
        for day in (20, 22):  # two low days, marked for therapy
            journal.reflections.save(Reflection(text=f"SHARED-LOW-{day}", created=NOW - timedelta(days=day), mood=1,
                                                reliance=1, flagged=True))
    secret = passphrase_file("tea and biscuits", "export-pass")
    period = ("--since", (NOW - timedelta(days=30)).date().isoformat(), "--until", NOW.date().isoformat())
    shared, every = tmp_path / "shared.pdf", tmp_path / "every.pdf"
    for out, extra in ((shared, ()), (every, ("--checkins", "all"))):
        done = run(*base(path, passphrase_file()), "export", "--out", str(out), "--format", "pdf", "--flagged-only",
                   *period, *extra, "--export-passphrase-file", str(secret))
        assert done.returncode == 0, done.stderr
    for reader, read in read_everywhere(shared, "tea and biscuits").items():
        text = " ".join(read.split())
        assert ("The charts are drawn only from the 2 entries shared (2 days with a check-in); 15 days of the period "
                "have check-ins that are not shared") in text, reader
        assert "2 of 31 days noted; 1 on the 1-5 scale" in text, reader
        assert "PRIVATE-DAY" not in text
    for reader, read in read_everywhere(every, "tea and biscuits").items():
        text = " ".join(read.split())
        assert "The charts are drawn from the check-ins of every day in the period (17 days), numbers only" in text
        assert "17 of 31 days noted; from 1 to 5 on the 1-5 scale" in text, reader
        assert "PRIVATE-DAY" not in text, reader  # numbers only: the words stay private
        # up to three months: a calendar of every day, mood/reliance, that a reader reads as text
        assert "Day by day" in text and "Week of Mon Tue Wed Thu Fri Sat Sun" in text, reader
        assert "5: 1/1" in text and "12: 5/3" in text, reader  # 5 Nov (shared, low) and 12 Nov (private, good)
    wrong = run(*base(path, passphrase_file()), "export", "--out", str(tmp_path / "x.pdf"), "--format", "pdf",
                "--checkins", "some")
    assert wrong.returncode == 2 and "--checkins" in wrong.stderr


def test_a_long_period_shows_each_week_and_its_range(make_vault: Callable[..., Path], passphrase_file,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    """Past 62 days a column is a week: each is labelled, and its lowest and highest day are written out, so a
    low day inside a good week does not vanish into an average."""
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        for day, mood in ((1, 5), (2, 5), (3, 1), (4, 5), (40, 3), (41, 3)):  # Thu 26 Nov … Mon 23 Nov
            journal.reflections.save(Reflection(text=f"day {day}", created=NOW - timedelta(days=day), mood=mood,
                                                reliance=3))
    secret = passphrase_file("tea and biscuits", "export-pass")
    out = tmp_path / "long.pdf"
    done = run(*base(path, passphrase_file()), "export", "--out", str(out), "--format", "pdf",
               "--since", "2026-08-03", "--until", NOW.date().isoformat(), "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    for reader, read in read_everywhere(out, "tea and biscuits").items():
        text = " ".join(read.split())
        assert "one column a week" in text and "Each week's range, from its lowest day to its highest" in text
        assert "23 Nov to 27 Nov: 4 on average, from 1 to 5" in text, reader  # the 1 is kept in sight
        assert "12 Oct to 18 Oct: 3" in text, reader
        assert "from 1 to 5 on the 1-5 scale (its lowest day to its highest)" in text, reader
        assert "3 Aug" in text and "Day by day" not in text, reader  # week labels; no calendar past three months


def test_the_safety_plan_prints_and_is_a_page_of_its_own(make_vault: Callable[..., Path], passphrase_file,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    from companion.domain.safety_plan import SafetyPlan

    path = make_vault([])
    none_yet = run(*base(path, passphrase_file()), "plan", "show")
    assert none_yet.returncode == 0 and "You have not written a safety plan yet" in none_yet.stdout
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        [priya] = [c.id for c in journal.contacts.all() if c.name == "Priya"]
        journal.safety.save(SafetyPlan(warning_signs="Staying in bed past noon", helpers=[priya],
                                       safer="Ask Priya to keep the pills"))
    shown = run(*base(path, passphrase_file()), "plan", "show")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert text.index("1. My warning signs") < text.index("Staying in bed past noon") < text.index("6. Making")
    assert "Priya: Text first, then call" in text and "Samaritans (UK and Ireland): 116 123" in text
    out = tmp_path / "plan.pdf"
    secret = passphrase_file("tea and biscuits", "export-pass")
    done = run(*base(path, passphrase_file()), "export", "--out", str(out), "--format", "pdf", "--include",
               "reflections,plan", "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert "the safety plan" in done.stdout
    for reader, read in read_everywhere(out, "tea and biscuits").items():
        pages = [" ".join(page.split()) for page in read.split("\f") if page.strip()]
        [page] = [p.removeprefix(p.split(" My safety plan")[0] + " ") if p.startswith("-- page") else p
                  for p in pages if "My safety plan" in p]  # (pdf.js's reader script names each page first)
        assert page.startswith("My safety plan"), (reader, page[:80])  # a page of its own, from its top
        assert "Staying in bed past noon" in page and "5. Professionals and crisis lines" in page, reader
        assert "Priya" in page and "Text first, then call" not in page, reader  # reach: only when chosen


def test_ask_experiments_are_a_section_with_before_and_after(make_vault: Callable[..., Path], passphrase_file,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    from conftest import seed_asks

    path = make_vault([])
    seed_practices(path)
    seed_asks(path)
    out = tmp_path / "asks.pdf"
    secret = passphrase_file("tea and biscuits", "export-pass")
    done = run(*base(path, passphrase_file()), "export", "--out", str(out), "--format", "pdf", "--include",
               "experiments", "--since", "2026-11-20", "--export-passphrase-file", str(secret))
    assert done.returncode == 0, done.stderr
    assert "4 ask experiments" in done.stdout  # the ladder, and the two tried since 20 Nov (not the one before)
    for reader, read in read_everywhere(out, "tea and biscuits").items():
        text = " ".join(read.split())
        assert "Ask experiments" in text and "Before: the prediction" in text and "After: what happened" in text
        assert "Asked Jonas: Help me move the sofa" in text and "Belief in the fear: 80/100" in text, reader
        assert "He came round the same day" in text and "Belief in the fear now: 30/100" in text, reader
        assert "To ask Dad: Could you listen without advising?" in text and "Not tried yet." in text, reader
        assert "Lunch on Saturday?" not in text, reader  # tried on 17 Nov, before the period
        assert "Reflections" not in text, reader  # only what was chosen
    key, public = keypair(tmp_path)
    age_out = tmp_path / "asks.md.age"
    done = run(*base(path, passphrase_file()), "export", "--out", str(age_out), "--format", "age", "--include",
               "experiments", "--recipient", public)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["age", "-d", "-i", str(key), str(age_out)], check=True, capture_output=True,
                          text=True).stdout
    assert "## Ask experiments" in text and "I feared: She'd rather see other friends  \n" in text
    priya = text.index("Asked Priya: Lunch on Saturday?")
    assert text.rindex("**Before: the prediction**", 0, priya) < priya < text.index("**After: what happened**", priya) \
        < text.index("She said yes at once")


def test_asks_and_rings_are_in_a_backup_restore_whole_and_are_checked(make_vault: Callable[..., Path],  # type: ignore[no-untyped-def]
                                                                     passphrase_file, tmp_path: Path) -> None:
    from conftest import seed_asks

    path = make_vault([])
    seed_practices(path)
    seed_asks(path)
    key, public = keypair(tmp_path)
    out = tmp_path / "journal-backup.age"
    assert run(*base(path, passphrase_file()), "backup", "--out", str(out), "--recipient", public).returncode == 0
    data = json.loads(subprocess.run(["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True).stdout)
    assert len(data["tables"]["experiments"]) == 5
    fresh = tmp_path / "new" / "vault.companion"
    done = run(*base(fresh, passphrase_file()), "restore", str(out), "--identity", str(key), "--yes")
    assert done.returncode == 0, done.stderr
    asks = json.loads(run(*base(fresh, passphrase_file()), "asks", "list", "--json").stdout)
    assert [a["ask"] for a in asks if a["done"]] == ["Help me move the sofa", "A lift to the station",
                                                     "Lunch on Saturday?"]
    people = json.loads(run(*base(fresh, passphrase_file()), "contacts", "list", "--json").stdout)
    assert {p["name"]: p["ring"] for p in people} == {"Dr. Reyes": "wider", "Jonas": "close", "Priya": "closest"}
    # a backup whose ask does not fit the schema replaces nothing, and says which record
    [first] = [k for k, r in data["tables"]["experiments"].items() if r["ask"] == "Lunch on Saturday?"]
    data["tables"]["experiments"][first]["belief_after"] = 130
    bad = tmp_path / "bad.age"
    subprocess.run(["age", "-r", public, "-o", str(bad)], input=json.dumps(data).encode(), check=True)
    before = fresh.read_bytes()
    refused = run(*base(fresh, passphrase_file()), "restore", str(bad), "--identity", str(key), "--yes")
    assert refused.returncode != 0 and fresh.read_bytes() == before
    assert f"experiment {first}: belief_after is 130; it is 0-100" in one_sentence(refused.stderr)
