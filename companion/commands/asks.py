"""`companion asks`: ask experiments from a script (list, add, done); the work is done by the services."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.commands.base import opened, print_json, read
from companion.domain.clock import Clock, day_text
from companion.domain.experiment import Experiment
from companion.domain.text import checked
from companion.errors import UsageError
from companion.services.journal import Journal


def cmd_asks(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    """`asks list | add | done`."""
    if args.action == "list":
        return _list(args, vault, passphrase_file, clock)
    with opened(vault, passphrase_file, clock) as journal:
        if args.action == "add":
            item = _add(args, journal)
            sys.stdout.write(f"Kept as ask experiment {item.id}, on the ladder. When you have asked: "
                             f"companion asks done {item.id} --happened … --belief 0-100\n")
        else:
            done = journal.asks.complete(args.id, args.date or clock().date(), _text(args.happened, "--happened"),
                                         args.belief, _text(args.felt, "--felt"), _text(args.learned, "--learned"))
            sys.stdout.write(f"Kept: you believed the fear at {done.belief_before} before, and at "
                             f"{done.belief_after} after.\n")
    return 0


def _text(value: str, what: str) -> str:
    try:
        return checked(value, what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _add(args: argparse.Namespace, journal: Journal) -> Experiment:
    contact_id, who = journal.asks.person(_text(args.who, "--who"))
    try:
        item = Experiment(ask=_text(args.ask, "--ask"), fear=_text(args.fear, "--fear"), belief_before=args.belief,
                          who=who, contact_id=contact_id, planned=args.when)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return journal.asks.save(item)


def _list(args: argparse.Namespace, vault: Path, passphrase_file: str | None, clock: Clock) -> int:
    items, names = read(vault, passphrase_file, clock, lambda j: (j.asks.all(), j.contacts.names()))
    if args.json:
        print_json([{"id": e.id, **e.to_record(), "whom": e.whom(names), "done": e.done} for e in items])
        return 0
    if not items:
        sys.stdout.write("No ask experiments yet. Write one down before you ask: companion asks add --help\n")
    for rung, e in enumerate(items, start=1):
        who = e.whom(names) or "someone"
        if e.done_on:
            sys.stdout.write(f"{e.id}  tried {day_text(e.done_on)} · asked {who}: {e.ask}\n"
                             f"    fear believed {e.belief_before} before, {e.belief_after} after\n")
        else:
            when = f" ({day_text(e.planned)})" if e.planned else ""
            sys.stdout.write(f"{e.id}  rung {rung} · to ask {who}{when}: {e.ask}\n"
                             f"    fear: {e.fear} (believed {e.belief_before})\n")
    return 0
