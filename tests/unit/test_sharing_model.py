"""The export model: passphrases every reader opens, the checks, one document for preview/age/PDF,
and the session records."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.crypto.words import MAX_BYTES, entropy_bits, generate_passphrase, words
from companion.domain.passphrase import export_passphrase_problem
from companion.domain.reflection import Reflection
from companion.domain.session import Session, Shared
from companion.errors import UsageError
from companion.services.document import Chart, Heading, build_document, to_markdown
from companion.services.export import ExportChoice, ExportExists, ExportRequest, build, split_recipients
from companion.services.journal import Journal
from companion.services.sharing import preview
from companion.storage.vault import Vault
from companion.widgets.page import page_content

from conftest import NOW, PASSPHRASE, fixed_clock, seed_practices


def test_generated_passphrases_fit_every_reader() -> None:
    assert "yo-yo" not in words() and all(w.isalpha() and w.isascii() for w in words())
    for _ in range(2000):
        phrase = generate_passphrase()
        assert len(phrase.encode()) <= MAX_BYTES and phrase.isascii()
        assert len(phrase.split("-")) == 6 and all(part in words() for part in phrase.split("-"))
        assert set(phrase) <= set(string.ascii_lowercase + "-")
    assert 58 <= entropy_bits() < 61  # what the curated list leaves (the README states it)


def test_no_generated_word_hurts_and_the_readme_says_which_were_removed() -> None:
    from companion.crypto.words import REMOVED

    hurtful = {"agony", "alone", "grief", "grave", "harm", "hurt", "fever", "virus", "drown", "wound", "panic",
               "scare", "hate", "rage", "widow", "punch", "slain", "crazy"}
    assert hurtful <= REMOVED and not REMOVED & set(words())
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert ", ".join(sorted(REMOVED)) + "." in readme
    assert f"about {entropy_bits():.1f} bits of entropy" in readme and f"{len(words()):,} remain" in readme


@pytest.mark.parametrize(("typed", "fmt", "problem"), [
    ("short", "pdf", "at least"),
    ("x" * 33, "pdf", "longer than 32"),
    ("café au lait please", "pdf", "accents"),
    ("x" * 33, "age", None),
    ("café au lait please", "age", None),
    ("tea and biscuits", "pdf", None),
])
def test_typed_export_passphrases(typed: str, fmt: str, problem: str | None) -> None:
    found = export_passphrase_problem(typed, fmt)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_the_request_and_the_choice_check_themselves(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="comes after the end date"):
        ExportChoice(since=date(2026, 11, 20), until=date(2026, 11, 1)).check()
    with pytest.raises(UsageError, match="go with the age format"):
        ExportRequest("pdf", tmp_path / "x.pdf", ("age1abc",)).check()
    with pytest.raises(UsageError, match="not an age public key"):
        ExportRequest("age", tmp_path / "x.age", ("age1nope",)).check()
    (tmp_path / "there.pdf").write_text("x")
    with pytest.raises(ExportExists) as exists:
        ExportRequest("pdf", tmp_path / "there.pdf").check()
    assert "--force" not in exists.value.message  # the app asks instead; the CLI adds the hint
    ExportRequest("pdf", tmp_path / "there.pdf", force=True).check()
    assert split_recipients("age1a, age1b\nage1c") == ("age1a", "age1b", "age1c")


def test_one_document_for_the_preview_and_the_age_file(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        content = build(journal, ExportChoice(sections=frozenset({"reflections", "boundaries", "contacts"}),
                                              author="A. B.", note="Sleep"))
        names = journal.contacts.names()
    document = build_document(content, names)
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[:3] == ["Shared from companion", "Summary", "What I want to bring up"]
    assert headings.index("Summary") < headings.index("Reflections") < headings.index("Boundaries") \
        < headings.index("Secure base")
    assert any(isinstance(b, Chart) for b in document.blocks)
    markdown = to_markdown(document)
    assert preview(content, names) == document  # the preview is drawn from the very model the file is written from
    page = page_content(document).plain  # as the preview draws it: the page's words, none of Markdown's marks
    for mark in ("**", "```", "\n# ", "\n## ", "\n- "):
        assert mark not in page, mark
    assert "SUMMARY" in page and "  • " in page and "The shaded band from 2.5 to 3.5 is the healthy middle" in page
    assert "3 ┤" in page and "◂ healthy middle" in page and "Week of  Mon" in page
    for words_ in ("From: A. B.", "Marked to bring to therapy", "#guided", "to bring to therapy",
                   "Give and take with my secure base", "Priya: I asked for help 1", "review was due"):
        assert words_ in markdown, words_
    assert "Text first, then call" not in markdown  # contact details stay out unless chosen


def test_sessions_record_exports_and_close_with_takeaways(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        a = journal.reflections.save(Reflection(text="to bring", created=NOW - timedelta(days=2), flagged=True))
        shared = Shared("one.pdf", "pdf", NOW, "1 reflection")
        day = NOW.date()
        first = journal.sessions.record_export(day, "agenda one", shared, [a.id or 0])
        again = journal.sessions.record_export(day, "", Shared("two.pdf", "pdf", NOW, "1 reflection"), [a.id or 0])
        assert again.id == first.id and again.agenda == "agenda one"
        assert [e.file for e in again.exports] == ["one.pdf", "two.pdf"]  # the first export is kept too
        assert len(journal.sessions.all()) == 1
        waiting = journal.sessions.waiting()
        assert waiting is not None and waiting.called(day) == "today's session"
        waiting.takeaways = "Kept: small asks."
        journal.sessions.close(waiting, discussed=[])  # nothing ticked: nothing unmarked
        assert journal.reflections.get(a.id or 0).flagged  # type: ignore[union-attr]
        journal.sessions.close(waiting, discussed=waiting.shared_reflections)
        assert journal.sessions.waiting() is None
        entry = journal.reflections.get(a.id or 0)
        assert entry is not None and not entry.flagged and entry.discussed == day


def test_a_session_names_itself_kindly() -> None:
    today = date(2026, 11, 27)  # a Friday
    assert Session(day=date(2026, 11, 24)).called(today) == "Tuesday's session"
    assert Session(day=date(2026, 11, 26)).called(today) == "yesterday's session"
    assert Session(day=date(2026, 11, 1)).called(today) == "the session on Sun 01 Nov 2026"
    assert Session(day=date(2026, 12, 1)).state(today) == "coming up"
    assert not Session(day=date(2026, 10, 1)).waiting_for_takeaways(today)  # long ago: no longer asked


def test_an_entry_written_elsewhere_shows_on_its_own_clock(make_vault: Callable[..., Path]) -> None:
    from datetime import UTC, datetime

    path = make_vault([])
    written = datetime(2026, 11, 20, 8, 5, tzinfo=UTC)  # 03:05 in New York
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        journal.reflections.save(Reflection(text="Up at three again.", created=written, zone="America/New_York"))
        journal.reflections.save(Reflection(text="Somewhere unknown.", created=written, zone="Nowhere/At_All"))
        content = build(journal, ExportChoice(sections=frozenset({"reflections"})))
        stored = journal.reflections.page().items
    headings = [b.text for b in build_document(content, {}).blocks if isinstance(b, Heading)]
    assert "Fri 20 Nov 2026, 03:05" in headings  # the PDF and the preview: New York's clock, not the reader's
    assert "Fri 20 Nov 2026, 09:05" in headings  # a zone this machine does not know: the reader's (Paris)
    assert all(e.created == written for e in stored)  # kept in UTC: ordering and merging are unchanged
    assert {e.zone for e in stored} == {"America/New_York", "Nowhere/At_All"}
