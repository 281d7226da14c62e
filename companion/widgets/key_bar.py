"""The key bar: the keys that act now, spaced so they read cleanly, fitted to the width.

Textual's Footer runs grouped keys into their label (`123456 Areas? Keys`) and cuts the last keys off at
80 columns. Here the area keys read `1-6 Areas`, every pair is `key label` with two spaces between pairs,
and when the line is too narrow the screen's less important keys go first; urgent help, the keys list
and the palette always stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

ALWAYS = ("support", "help")  # never dropped (nor the palette): where help is, what the keys are
PALETTE = ("command_palette", "app.command_palette")
GAP = "  "


@dataclass(frozen=True)
class Key:
    """One entry of the bar."""

    key: str
    label: str
    keep: bool = False


def keys_of(bindings: Iterable[tuple[Binding, bool]], display: Callable[[Binding], str]) -> list[Key]:
    """The entries for shown, enabled bindings: grouped keys joined (`1-6 Areas`), one entry per action."""
    plain: list[Key] = []
    kept: list[Key] = []
    groups: dict[str, list[str]] = {}
    seen: set[str] = set()
    for binding, enabled in bindings:
        palette = binding.action in PALETTE
        if not ((binding.show or palette) and enabled) or binding.action in seen:
            continue
        seen.add(binding.action)
        if palette or binding.id in ALWAYS:
            kept.append(Key(display(binding), "Palette" if palette else binding.description, keep=True))
        elif binding.group is not None:
            groups.setdefault(binding.group.description, []).append(display(binding))
        else:
            plain.append(Key(display(binding), binding.description))
    # Grouped keys (the areas, also shown in the area bar) are the first to go; those that always stay
    # come last, in a steady order.
    return plain + [Key(_span(keys), label) for label, keys in groups.items()] + kept


def _span(members: list[str]) -> str:
    """`1-6` for consecutive digits, else the keys joined by '/'."""
    if len(members) > 2 and all(m.isdigit() and len(m) == 1 for m in members):
        digits = [int(m) for m in members]
        if digits == list(range(digits[0], digits[0] + len(digits))):
            return f"{digits[0]}-{digits[-1]}"
    return "/".join(members)


def fit(keys: list[Key], width: int) -> list[Key]:
    """Drop the last droppable entries until the line fits `width` cells."""
    chosen = list(keys)

    def length(items: list[Key]) -> int:
        return sum(len(k.key) + 1 + len(k.label) for k in items) + len(GAP) * max(len(items) - 1, 0)

    while chosen and length(chosen) > width:
        droppable = [i for i, k in enumerate(chosen) if not k.keep]
        if not droppable:
            break
        del chosen[droppable[-1]]
    return chosen


class KeyBar(Widget):
    """One line at the bottom: the keys of the current screen."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def _changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Content:
        """The keys that fit, key in bold, label plain."""
        active = self.screen.active_bindings.values()
        entries = fit(keys_of(((a.binding, a.enabled) for a in active), self.app.get_key_display), self.size.width)
        parts: list[Content | str | tuple[str, str]] = []
        for i, entry in enumerate(entries):
            if i:
                parts.append(GAP)
            parts += [(entry.key, "bold $footer-key-foreground"), " ", entry.label]
        return Content.assemble(*parts)
