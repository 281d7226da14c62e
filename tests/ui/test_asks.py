"""Pilot tests of the practice of asking: ask experiments (Asks, 7, and from a message in Secure base), the
circles of the secure base, moments that carry a kind of support, and what connection does to a week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.widgets import Checkbox, Input, Select, Static

from companion.dialogs.ask import AskDialog
from companion.dialogs.editors import ContactDialog, LogDialog
from companion.dialogs.experiments import AfterDialog, ExperimentDialog
from companion.dialogs.info import DetailDialog, NoticeDialog
from companion.domain.contact import Contact
from companion.domain.experiment import Experiment
from companion.screens.asks import AsksScreen
from companion.screens.editor import EditorScreen
from companion.screens.home import HomeScreen
from companion.screens.secure_base import SecureBaseScreen
from companion.services.journal import Journal
from companion.storage.vault import Vault
from companion.widgets.circles import CirclesView
from companion.widgets.record_list import RecordList

from conftest import NOW, PASSPHRASE, fixed_clock, journal_of, seed_asks, seed_practices, settle, unlocked, wait_until


def _fill(screen, **values: str) -> None:  # type: ignore[no-untyped-def]
    for field, value in values.items():
        screen.query_one(f"#{field}", Input).value = value


def _error(screen) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one("#form-error", Static).render())


def _rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    rows = app.screen.query_one(RecordList).rows
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


def _highlight(app, record_id: int | None) -> None:  # type: ignore[no-untyped-def]
    rows = app.screen.query_one(RecordList).rows
    rows.highlighted = rows.get_option_index(str(record_id))


async def _on_person(app, pilot, name: str) -> Contact:  # type: ignore[no-untyped-def]
    """Secure base (4), with `name` highlighted."""
    await pilot.press("4")
    await settle(pilot)
    person = next(c for c in journal_of(app).contacts.all() if c.name == name)
    _highlight(app, person.id)
    return person


async def test_an_ask_written_before_moved_on_the_ladder_then_looked_at_after(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, AsksScreen)
        for who, ask, belief in (("Sam", "A lift on Friday", "75"), ("Ana", "Lunch together", "40")):
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ExperimentDialog)
            _fill(app.screen, who=who, ask=ask, fear="They'll say no", belief="high")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "a number from 0 (not at all) to 100" in _error(app.screen)  # kept open, nothing lost
            _fill(app.screen, belief=belief)
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, AsksScreen)
        rows = _rows(app)
        assert "1 next fear  75  Sam: A lift on Friday" in rows[1] and "2      fear  40  Ana: Lunch together" in rows[2]
        lunch = next(e for e in journal_of(app).asks.all() if e.who == "Ana")
        _highlight(app, lunch.id)
        await pilot.press("K")  # the smaller ask first
        await settle(pilot)
        assert [e.who for e in journal_of(app).asks.all()] == ["Ana", "Sam"]
        assert "1 next fear  40  Ana" in _rows(app)[1]
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, AfterDialog)
        assert "You feared: They'll say no (believed at 40)" in str(app.screen.query_one(".form-note").render())
        _fill(app.screen, happened="She said yes, and booked the table", belief="10", learned="Ask sooner")
        await pilot.press("ctrl+s")
        await settle(pilot)
        done = journal_of(app).asks.get(lunch.id or 0)
        assert done is not None and (done.done_on, done.belief_after, done.learned) == (NOW.date(), 10, "Ask sooner")
        assert any("fear  40 → 10" in row and "Ana: Lunch together" in row for row in _rows(app))


async def test_a_reflection_about_an_ask_is_linked_and_shown_on_its_card(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    seed_asks(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("7")
        await settle(pilot)
        letter = journal_of(app).asks.all()[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), "the editor")
        editor = app.screen
        assert "Looking back on asking Jonas" in str(editor.query_one("#editor-prompt").render())
        await wait_until(pilot, lambda: "Jonas" in str(editor.query_one("#people-line").render()), "the people")
        editor.query_one("#text").insert("I kept putting it off, then it took two minutes.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [entry] = journal_of(app).reflections.about_experiment(letter.id or 0)
        assert entry.text.startswith("I kept putting it off") and entry.contacts == [letter.contact_id]
        await pilot.press("enter")
        await settle(pilot)
        body = str(app.screen.query_one(".dialog-lines", Static).render())
        assert "Reflections about it" in body and "I kept putting it off" in body


async def test_an_ask_for_help_made_an_experiment_is_completed_by_logging_the_ask(
        make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        priya = await _on_person(app, pilot, "Priya")
        before = len(priya.interactions)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        app.screen.query_one("#message").insert("Could you come with me on Tuesday?")
        app.screen.query_one("#experiment", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExperimentDialog)
        assert form.query_one("#contact", Select).value == priya.id
        assert form.value("ask") == "Could you come with me on Tuesday?"
        assert app.focused is form.query_one("#fear")  # the prediction is what is left to write
        _fill(form, fear="I'll be a burden", belief="70")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)  # the message, copied, and what to do once asked
        assert "press l on Priya" in str(app.screen.query_one(".dialog-lines", Static).render())
        [waiting] = journal_of(app).asks.all()
        assert (waiting.contact_id, waiting.belief_before, waiting.done) == (priya.id, 70, False)
        assert len(journal_of(app).contacts.get(priya.id or 0).interactions) == before  # not asked yet
        await pilot.press("escape", "l")
        await settle(pilot)
        assert isinstance(app.screen, LogDialog)
        app.screen.query_one("#support", Select).value = "company"
        await pilot.press("1", "enter")  # "I asked for help", then save from the note
        await settle(pilot)
        assert isinstance(app.screen, AfterDialog)  # the ask just logged was the experiment
        _fill(app.screen, happened="She said she was glad I asked", belief="15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SecureBaseScreen)
        done = journal_of(app).asks.get(waiting.id or 0)
        assert done is not None and done.done and done.belief_after == 15
        moment = journal_of(app).contacts.get(priya.id or 0).interactions[-1]
        assert (moment.kind, moment.support) == ("asked", "company")


async def test_a_moment_other_than_an_ask_leaves_the_experiment_waiting(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    seed_asks(path)  # Jonas has an ask on the ladder
    async with unlocked(path) as (app, pilot):
        jonas = await _on_person(app, pilot, "Jonas")
        await pilot.press("l", "4", "enter")  # time together
        await settle(pilot)
        assert isinstance(app.screen, SecureBaseScreen)
        assert journal_of(app).asks.open_with(jonas.id or 0) is not None


async def test_a_persons_ring_and_kinds_draw_the_circles_and_the_gaps(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        circles = app.screen.query_one(CirclesView)
        await wait_until(pilot, lambda: "closest: Priya" in str(circles.render()), "the rings")
        drawn = str(circles.render())
        assert "wider: Dr. Reyes" in drawn and "close: Jonas" in drawn and "you" in drawn
        assert "Nobody offers advice yet" in drawn and "Not reached in a while: Priya" in drawn
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContactDialog)
        _fill(app.screen, name="Noor")
        app.screen.query_one("#ring", Select).value = "closest"
        app.screen.query_one("#kind-advice", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        noor = next(c for c in journal_of(app).contacts.all() if c.name == "Noor")
        assert (noor.ring, noor.kinds) == ("closest", ["advice"])
        await wait_until(pilot, lambda: "closest: Noor, Priya" in str(circles.render()), "Noor in her ring")
        assert "Nobody offers" not in str(circles.render())


async def test_the_rings_are_a_list_where_the_picture_does_not_fit(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path, size=(60, 20)) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        circles = app.screen.query_one(CirclesView)
        await wait_until(pilot, lambda: "Closest: Priya" in str(circles.render()), "the rings listed")
        assert "╭" not in str(circles.render())


async def test_a_persons_card_says_what_flowed_each_way(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        await _on_person(app, pilot, "Jonas")
        await pilot.press("enter")
        await settle(pilot)
        body = str(app.screen.query_one(".dialog-lines", Static).render())
        assert "Ring: Close" in body and "Kinds of support: practical help" in body
        assert "You gave: practical help 1" in body and "I helped them (practical help)" in body


async def test_home_tells_of_asks_tried_and_shows_what_connection_does(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:  # days of being helped (4), and others (2)
        journal = Journal(vault, fixed_clock)
        priya = journal.contacts.save(Contact("Priya"))
        journal.contacts.save(Contact("Jonas"))
        for day in range(4, 24):
            journal.add_reflection(f"day {day}", mood=4 if day % 2 else 2, created=NOW - timedelta(days=day))
            if day % 2:
                journal.contacts.log(priya, "helped-me", day=(NOW - timedelta(days=day)).date())
    seed_asks(path)  # tried 10, 6 and 3 days ago: days of reaching out too (3 has no check-in)
    async with unlocked(path) as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: "asks tried" in str(home.query_one("#practice").render()), "Home's lines")
        said = str(home.query_one("#practice").render())
        assert "3 asks tried since November: you expected the worst at 67 on average; afterwards you believed it at 33" \
            in said
        assert ("On days you reached out or were helped, mood was 3.7 on average (12 days); other days 2.0 "
                "(8 days). Noticed, not a cause.") in said
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, NoticeDialog), "the connection view")
        text = str(app.screen.query_one(".dialog-lines", Static).render())
        assert "• Mood: 3.7 on average over 12 days; 2.0 over the 8 other days with a check-in." in text
        assert "• Reliance: not enough days yet to notice anything (0 such days and 0 other days" in text
        assert "Something noticed, not a cause" in text


async def test_home_says_nothing_of_asks_before_three_are_tried(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        for n in range(2):
            item = journal.asks.save(Experiment(f"ask {n}", "no", 80, who="Sam"))
            journal.asks.complete(item.id or 0, NOW.date(), "yes", 10)
    async with unlocked(path) as (app, pilot):
        await settle(pilot)
        assert not app.screen.query_one("#practice").display


async def test_share_offers_the_asks_one_by_one_and_the_preview_shows_before_and_after(
        make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    seed_asks(path)
    async with unlocked(path, size=(100, 40)) as (app, pilot):
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#sec-reflections", Checkbox).value = False
        app.screen.query_one("#sec-boundaries", Checkbox).value = False
        app.screen.query_one("#sec-experiments", Checkbox).value = True
        items = app.screen.query_one("#items")
        def only_asks() -> bool:
            shown = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
            return len(shown) == 5 and all(label.startswith("ask ") for label in shown)

        await wait_until(pilot, only_asks, "the five asks listed, and nothing else")
        labels = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert "ask         Jonas: Would you look over my letter?" in labels
        dad = next(i for i, label in enumerate(labels) if "Dad:" in label)
        items.deselect(items.get_option_at_index(dad).value)  # kept private
        await settle(pilot)
        assert "4 ask experiments" in str(app.screen.query_one("#share-status").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        page = str(app.screen.query_one(".dialog-lines").render())
        assert "ASK EXPERIMENTS" in page and "Before: the prediction" in page and "After: what happened" in page
        assert "He came round the same day" in page and "Could you listen without advising?" not in page


async def test_an_experiment_let_go_of_still_notes_the_ask(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    async with unlocked(path) as (app, pilot):
        jonas = await _on_person(app, pilot, "Jonas")
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#message").insert("Could you help with the shelves?")
        app.screen.query_one("#experiment", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExperimentDialog)
        await pilot.press("escape")  # nothing written in it: it closes, and the ask is noted as any other
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        assert journal_of(app).asks.all() == []
        moment = journal_of(app).contacts.get(jonas.id or 0).interactions[-1]
        assert (moment.kind, moment.note) == ("asked", "Could you help with the shelves?")
