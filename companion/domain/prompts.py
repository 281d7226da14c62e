"""Guided prompts in five themes, written for companion, and the prompt of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Prompt:
    """One guided question and the theme it belongs to."""

    theme: str
    text: str
    custom: bool = False


THEMES: dict[str, str] = {
    "asking": "Asking for and accepting help",
    "others-first": "Putting others' needs before my own",
    "coping-alone": "Coping when others are not around",
    "mutual": "Growing give-and-take relationships",
    "give-need": "What I offer and what I truly need",
}
CUSTOM_THEME = "mine"
THEME_LABELS = {**THEMES, CUSTOM_THEME: "My own prompts"}
# A word or two for list rows, where space is short.
THEME_SHORT = {
    "asking": "asking",
    "others-first": "others first",
    "coping-alone": "alone",
    "mutual": "mutual",
    "give-need": "give & need",
    CUSTOM_THEME: "my prompt",
}

BUILT_IN: tuple[Prompt, ...] = (
    Prompt("asking", "When did you last want help and not ask? What stopped you?"),
    Prompt("asking", "Think of a time someone helped you well. What did they do that made it easy to accept?"),
    Prompt("asking", "What small thing could you ask someone for this week?"),
    Prompt("asking", "How does your body feel when you imagine asking for help? Stay with it for a moment."),
    Prompt("others-first", "Whose needs did you put before your own today? How did that sit with you?"),
    Prompt("others-first", "Is there a yes you said recently that you wish had been a no?"),
    Prompt("others-first", "What would it look like to take up a little more space in one relationship?"),
    Prompt("others-first", "Where did you learn that other people's comfort comes first?"),
    Prompt("coping-alone", "When you were on your own recently, what helped you get through?"),
    Prompt("coping-alone", "What do you do when you need support and nobody is around? Is it kind to you?"),
    Prompt("coping-alone", "Describe a moment of being alone that felt peaceful rather than lonely."),
    Prompt("coping-alone", "When is handling it yourself a strength, and when is it a wall?"),
    Prompt("mutual", "Which relationship feels most like give and take? What makes it work?"),
    Prompt("mutual", "Who have you been leaning on, or carrying, more than you would like?"),
    Prompt("mutual", "What is one way you could make a relationship a little more two-way?"),
    Prompt("mutual", "Remember a time you and someone else both helped each other. What did it give you?"),
    Prompt("give-need", "What do you offer the people close to you, without being asked?"),
    Prompt("give-need", "What do you truly need from others right now, in plain words?"),
    Prompt("give-need", "Is there something you give that leaves you empty? What would you give instead?"),
    Prompt("give-need", "If a friend needed what you need, what would you tell them?"),
)


def all_prompts(custom: list[str] | None = None) -> list[Prompt]:
    """Built-in prompts followed by the person's own."""
    return [*BUILT_IN, *(Prompt(CUSTOM_THEME, text, custom=True) for text in custom or [])]


def prompt_of_the_day(day: date, custom: list[str] | None = None, skip: int = 0) -> Prompt:
    """Rotate through every prompt, one a day, themes interleaved; `skip` moves on that many."""
    prompts = interleaved(all_prompts(custom))
    return prompts[(day.toordinal() + skip) % len(prompts)]


def interleaved(prompts: list[Prompt]) -> list[Prompt]:
    """Round-robin across themes so consecutive days visit different themes."""
    by_theme: dict[str, list[Prompt]] = {}
    for p in prompts:
        by_theme.setdefault(p.theme, []).append(p)
    out: list[Prompt] = []
    rounds = max(len(v) for v in by_theme.values())
    for i in range(rounds):
        out.extend(group[i] for group in by_theme.values() if i < len(group))
    return out


def prompts_for(theme: str, custom: list[str] | None = None) -> list[Prompt]:
    """The prompts of one theme."""
    return [p for p in all_prompts(custom) if p.theme == theme]
