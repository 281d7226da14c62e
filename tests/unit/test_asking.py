"""Ask experiments, the circles of a secure base and what connection does to a week: the pure rules, the
service over a vault, the schema and the merge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from companion.domain.contact import Contact, Interaction, circles
from companion.domain.experiment import Experiment, ladder, tried, tried_line
from companion.domain.insight import MIN_DAYS, home_line, noticings
from companion.domain.schema import SchemaError, check_record
from companion.domain.series import Series
from companion.services.journal import Journal
from companion.storage.merge import merge
from companion.storage.vault import Vault

from conftest import NOW, PASSPHRASE, fixed_clock, seed_practices

DAY = NOW.date()


def _ask(n: int, before: int = 70, after: int | None = None, done: date | None = None, rung: int = 0) -> Experiment:
    return Experiment(ask=f"ask {n}", fear="they will say no", belief_before=before, belief_after=after,
                      done_on=done, happened="they said yes" if done else "", rung=rung, id=n)


def test_an_experiment_needs_the_ask_the_fear_and_a_belief_from_0_to_100() -> None:
    with pytest.raises(ValueError, match="needs the ask"):
        Experiment(ask=" ", fear="x", belief_before=50)
    with pytest.raises(ValueError, match="needs the fear"):
        Experiment(ask="x", fear="", belief_before=50)
    with pytest.raises(ValueError, match="0 to 100"):
        Experiment(ask="x", fear="y", belief_before=101)
    with pytest.raises(ValueError, match="what actually happened"):
        _ask(1).complete(DAY, " ", 20)
    with pytest.raises(ValueError, match="0 to 100"):
        _ask(1).complete(DAY, "fine", -1)
    done = _ask(1).complete(DAY, "She said yes", 20, learned="Small asks are easy")
    assert done.done and done.belief_after == 20 and "I take from it: Small asks are easy" in done.after_text()


def test_the_ladder_is_the_persons_order_and_the_tried_come_newest_first() -> None:
    items = [_ask(1, rung=2), _ask(2, rung=0), _ask(3, done=DAY - timedelta(days=9)), _ask(4, rung=1),
             _ask(5, done=DAY - timedelta(days=1))]
    assert [e.id for e in ladder(items)] == [2, 4, 1]
    assert [e.id for e in tried(items)] == [5, 3]


def test_home_speaks_of_experiments_only_from_three_done_with_counts_never_a_score() -> None:
    two = [_ask(1, 80, 30, date(2026, 9, 3)), _ask(2, 60, 20, date(2026, 10, 1)), _ask(3)]
    assert tried_line(two, DAY) is None
    three = [*two, _ask(4, 70, 25, date(2026, 11, 2))]
    assert tried_line(three, DAY) == ("3 asks tried since September: you expected the worst at 70 on average; "
                                      "afterwards you believed it at 25.")
    assert "since September 2025" in (tried_line([*three, _ask(5, 70, 25, date(2025, 9, 2))], DAY) or "")


def test_rings_kinds_and_the_people_not_reached_in_a_while() -> None:
    ana = Contact("Ana", ring="closest", kinds=["listening"], reconnect_days=7)
    ana.log(Interaction(DAY - timedelta(days=9), "together"))
    ben = Contact("Ben", ring="wider", kinds=["company"])
    ben.log(Interaction(DAY - timedelta(days=45), "helped-me"))
    cy = Contact("Cy")  # not placed yet, never reached: not nagged
    dee = Contact("Dee", ring="closest")
    dee.log(Interaction(DAY - timedelta(days=3), "asked"))
    found = circles([dee, ben, cy, ana], DAY)
    assert found.rings == {"closest": ["Ana", "Dee"], "close": [], "wider": ["Ben"]}
    assert found.unplaced == ["Cy"]
    assert found.missing_kinds == ["practical", "advice"]
    assert found.quiet == [("Ben", 45), ("Ana", 9)]
    assert found.notes() == ["Nobody offers practical help or advice yet; that may be worth noticing, not fixing.",
                             "Not reached in a while: Ben (45 days), Ana (9 days)"]
    with pytest.raises(ValueError, match="ring"):
        Contact("Eve", ring="inner")
    with pytest.raises(ValueError, match="kind of support"):
        Contact("Eve", kinds=["money"])


def test_the_give_and_take_says_what_flowed_each_way() -> None:
    c = Contact("Cy")
    for offset, kind, support in [(1, "asked", "practical"), (2, "helped-me", "listening"),
                                  (3, "helped-me", "listening"), (4, "helped-them", "company"),
                                  (5, "together", "company"), (100, "helped-me", "advice")]:
        c.log(Interaction(DAY - timedelta(days=offset), kind, support=support))
    assert c.balance(DAY).flows() == ["You received: listening 2, practical help 1", "You gave: company 1"]
    assert Contact("Di").balance(DAY).flows() == []
    with pytest.raises(ValueError, match="kind of support"):
        c.log(Interaction(DAY, "asked", support="money"))


def _daily(values: list[float | None], start: date) -> Series:
    return Series(tuple(values), start, start + timedelta(days=len(values) - 1), 1)


def test_connection_is_noticed_with_its_days_and_never_under_the_minimum() -> None:
    start = DAY - timedelta(days=19)
    mood = _daily([4.0 if i % 2 else 2.0 for i in range(20)], start)
    reliance = _daily([3.0] * 4 + [None] * 16, start)
    reaching = {start + timedelta(days=i) for i in range(1, 20, 2)}  # the 4s
    found = noticings(mood, reliance, reaching, asks={start + timedelta(days=i) for i in range(0, 20, 2)})
    reached, after = found
    assert reached.contrasts[0].marked.days == 10 and reached.contrasts[0].other.days == 10
    assert reached.lines()[0] == "Mood: 4.0 on average over 10 days; 2.0 over the 10 other days with a check-in."
    assert reached.lines()[1] == ("Reliance: not enough days yet to notice anything (2 such days and 2 other days "
                                  "with a check-in; 5 of each are needed).")
    assert after.contrasts[0].marked.average == 4.0  # the day after each ask
    assert home_line(found) == ("On days you reached out or were helped, mood was 4.0 on average (10 days); "
                                "other days 2.0 (10 days). Noticed, not a cause.")
    few = noticings(mood, reliance, set(list(reaching)[: MIN_DAYS - 1]), set())
    assert home_line(few) is None


def test_the_schema_checks_experiments_rings_kinds_and_supports() -> None:
    good = _ask(1).to_record()
    check_record("experiments", "1", good)
    with pytest.raises(SchemaError, match="experiment 1: belief_before is 120; it is 0-100"):
        check_record("experiments", "1", {**good, "belief_before": 120})
    with pytest.raises(SchemaError, match="has no fear"):
        check_record("experiments", "1", {k: v for k, v in good.items() if k != "fear"})
    person = Contact("Ana", ring="close", kinds=["advice"]).to_record()
    check_record("contacts", "1", person)
    check_record("contacts", "1", {**person, "ring": ""})
    with pytest.raises(SchemaError, match="ring is 'inner'"):
        check_record("contacts", "1", {**person, "ring": "inner"})
    with pytest.raises(SchemaError, match="kinds item 1"):
        check_record("contacts", "1", {**person, "kinds": ["money"]})
    moment = {"day": "2026-11-01", "kind": "asked", "note": "", "support": "money"}
    with pytest.raises(SchemaError, match="interactions item 1 support"):
        check_record("contacts", "1", {**person, "interactions": [moment]})


def test_an_experiment_and_the_entry_about_it_follow_a_renumbered_person_in_a_merge() -> None:
    mine = {"contacts": {"1": {"uid": "p1", "name": "Priya", "changed": "x"}}}
    theirs = {
        "contacts": {"1": {"uid": "p2", "name": "Jonas", "changed": "x"}},
        "experiments": {"1": {**_ask(1).to_record(), "uid": "e", "contact_id": 1}},
        "reflections": {"1": {"uid": "r", "text": "after asking", "created": "2026-11-02T10:00:00+00:00",
                              "experiment": 1}},
    }
    mine["experiments"] = {"1": {**_ask(2).to_record(), "uid": "e0"}}
    merged, _ = merge(mine, theirs)
    ours = next(k for k, r in merged["experiments"].items() if r["uid"] == "e")
    assert merged["experiments"][ours]["contact_id"] == 2
    assert merged["reflections"]["1"]["experiment"] == int(ours)


def test_the_service_keeps_the_ladder_and_completes_asks(make_vault: Callable[..., Path]) -> None:
    path = make_vault([])
    seed_practices(path)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        journal = Journal(vault, fixed_clock)
        priya = journal.asks.person("priya")
        assert priya[0] is not None and priya[1] == ""
        assert journal.asks.person("Sam ") == (None, "Sam")
        first = journal.asks.save(Experiment("Lunch together?", "She's busy", 60, contact_id=priya[0]))
        second = journal.asks.save(Experiment("A lift", "He'll say no", 80, who="Sam"))
        third = journal.asks.save(Experiment("Help moving", "Too much to ask", 90, who="Sam"))
        assert [e.rung for e in (first, second, third)] == [0, 1, 2]
        assert journal.asks.move(third.id or 0, -1) and not journal.asks.move(first.id or 0, -1)
        assert [e.ask for e in journal.asks.all()] == ["Lunch together?", "Help moving", "A lift"]
        assert journal.asks.open_with(priya[0]) == journal.asks.get(first.id or 0)
        journal.asks.complete(first.id or 0, DAY, "She said yes", 15)
        assert journal.asks.open_with(priya[0]) is None
        assert [e.ask for e in journal.asks.all()] == ["Help moving", "A lift", "Lunch together?"]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:  # it was sealed, and reads back the same
        done = Journal(vault, fixed_clock).asks.all()[-1]
        assert (done.happened, done.belief_after, done.done_on) == ("She said yes", 15, DAY)
