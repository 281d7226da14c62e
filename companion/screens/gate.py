"""Shared pieces of the create and unlock screens: the passphrase message and the busy state."""

from __future__ import annotations

import rich.repr
from textual.message import Message


class PassphraseEntered(Message):
    """The person entered a passphrase (to unlock or to create a journal)."""

    def __init__(self, passphrase: str, create: bool) -> None:
        super().__init__()
        self.passphrase = passphrase
        self.create = create

    def __rich_repr__(self) -> rich.repr.Result:
        yield "create", self.create  # never the passphrase itself
