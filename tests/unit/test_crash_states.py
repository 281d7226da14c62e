"""Every state a crash can leave a journal in opens as one whole save: an acknowledged one, or the one
before it (tests/crashstates.py builds them from the writes, syncs and renames of real saves,
compactions, passphrase changes and merges). The number of states is in benchmarks/README.md."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from companion.domain.reflection import Reflection
from companion.errors import WrongPassphrase
from companion.storage import saving
from companion.storage.repositories import ReflectionRepository
from companion.storage.vault import Vault

from conftest import FAST_KDF, NOW, PASSPHRASE, fixed_clock
from crashstates import Recording, lay_out, recording, states

NEW = "a new passphrase for the crash"


FILLER = [f"filler {i}: an ordinary evening, tea and a short walk by the canal. " * 3 for i in range(150)]


def _journal(make_vault: Callable[..., Path]) -> Path:
    """A journal whose one segment spans several 4 KiB blocks, so a save rewrites a few of them."""
    return make_vault(["one", "two", *FILLER])


def _texts(path: Path, passphrase: str) -> list[str]:
    with Vault.open(path, passphrase, clock=fixed_clock) as vault:
        vault.document()  # every segment read: a state that only looks whole is caught here
        rows = ReflectionRepository(vault).rows()
        assert sum(r["text"].startswith("filler ") for _, r in rows) == len(FILLER)
        return sorted(r["text"] for _, r in rows if not r["text"].startswith("filler "))


def _add(vault: Vault, text: str) -> None:
    ReflectionRepository(vault).add(Reflection(text=text, created=NOW))


def _edit(vault: Vault) -> None:
    repo = ReflectionRepository(vault)
    doc_id = next(i for i, r in repo.rows() if r["text"] == "two")
    repo.update(Reflection(text="two, edited", created=NOW, id=doc_id))


def _delete(vault: Vault) -> None:
    repo = ReflectionRepository(vault)
    repo.delete(next(i for i, r in repo.rows() if r["text"] == "two"))


def _explore(rec: Recording, scratch: Path, before: tuple[str, list[str]], after: tuple[str, list[str]]) -> int:
    """Open every crash state; each must be `before` or `after` ((passphrase, texts)), and `after` once the
    step was acknowledged. Returns how many states there were."""
    [acknowledged] = rec.acks
    count = 0
    for upto, state in states(rec):
        count += 1
        lay_out(state, scratch)
        allowed = [after] if upto >= acknowledged else [before, after]
        found = []
        for passphrase, _ in allowed:
            try:
                found.append((passphrase, _texts(scratch / "vault.companion", passphrase)))
            except WrongPassphrase:
                continue
        assert any(f in allowed for f in found), (upto, len(rec.ops), found, allowed, rec.ops[:upto][-3:])
    return count


SCENARIOS: dict[str, tuple[Callable[[Vault], object], list[str]]] = {
    "a save": (lambda v: _add(v, "three"), ["one", "three", "two"]),
    "an edit": (_edit, ["one", "two, edited"]),
    "a deletion": (_delete, ["one"]),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("compacting", [False, True], ids=["append", "compaction"])
def test_every_crash_state_of_a_save_opens_as_a_whole_save(make_vault: Callable[..., Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch, name: str,
                                                            compacting: bool) -> None:
    path = _journal(make_vault)
    step, after = SCENARIOS[name]
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        if compacting:
            monkeypatch.setattr(saving, "compaction_due", lambda site, known: True)
        with recording(path.parent, monkeypatch) as rec:
            step(vault)
            rec.acknowledge()
    assert rec.ops and any(o.kind == ("rename" if compacting else "write") for o in rec.ops)
    count = _explore(rec, tmp_path / "state", (PASSPHRASE, ["one", "two"]), (PASSPHRASE, after))
    assert count > len(rec.ops)  # states beyond the prefixes: writes dropped or zeroed block by block
    print(f"\ncrash states of {name} ({'compaction' if compacting else 'append'}): {count}")


def test_every_crash_state_of_a_save_after_an_unreadable_end(make_vault: Callable[..., Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = _journal(make_vault)
    with open(path, "ab") as handle:
        handle.write(b"the end of a save cut short" * 200)
    # opening keeps the file as found and cuts nothing: the save then writes over its end
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault, recording(path.parent, monkeypatch) as rec:
        _add(vault, "three")
        rec.acknowledge()
    assert any(o.kind == "truncate" for o in rec.ops)
    count = _explore(rec, tmp_path / "state", (PASSPHRASE, ["one", "two"]), (PASSPHRASE, ["one", "three", "two"]))
    print(f"\ncrash states of a save after an unreadable end: {count}")


def test_every_crash_state_of_a_passphrase_change(make_vault: Callable[..., Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = _journal(make_vault)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        _add(vault, "three")  # a rolling backup to seal again too
        with recording(path.parent, monkeypatch) as rec:
            assert vault.change_passphrase(NEW, FAST_KDF) == []
            rec.acknowledge()
    texts = ["one", "three", "two"]
    count = _explore(rec, tmp_path / "state", (PASSPHRASE, texts), (NEW, texts))
    print(f"\ncrash states of a passphrase change: {count}")


def test_every_crash_state_of_a_merge(make_vault: Callable[..., Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = _journal(make_vault)
    phone = tmp_path / "phone" / "vault.companion"
    phone.parent.mkdir()
    shutil.copy2(path, phone)
    with Vault.open(phone, PASSPHRASE, clock=fixed_clock) as there:
        _add(there, "from the phone")
    copy = path.with_name("vault.sync-conflict-20261127-193000-PHONE.companion")
    shutil.copy2(phone, copy)
    with Vault.open(path, PASSPHRASE, clock=fixed_clock) as vault:
        _add(vault, "from the laptop")
        with recording(path.parent, monkeypatch) as rec:
            vault.merge_copy(copy)
            rec.acknowledge()
    count = _explore(rec, tmp_path / "state", (PASSPHRASE, ["from the laptop", "one", "two"]),
                     (PASSPHRASE, ["from the laptop", "from the phone", "one", "two"]))
    print(f"\ncrash states of a merge: {count}")
