"""The reflections filter as one line of text: words, #tag, theme:KEY, since:/until:DATE, flagged."""

from __future__ import annotations

from datetime import date

from companion.domain.prompts import THEME_LABELS
from companion.domain.reflection import ReflectionFilter

HELP = "words #tag theme:asking since:2026-01-31 until:2026-02-28 flagged"


def parse_filter(query: str) -> ReflectionFilter:
    """Parse a filter line; ValueError with a plain sentence when a part makes no sense."""
    words: list[str] = []
    tag = theme = None
    since = until = None
    flagged = False
    for token in query.split():
        low = token.lower()
        if low.startswith("#") and len(low) > 1:
            tag = low[1:]
        elif low.startswith("theme:"):
            theme = low[6:]
            if theme not in THEME_LABELS:
                raise ValueError(f"theme: is one of {', '.join(THEME_LABELS)}.")
        elif low.startswith(("since:", "until:")):
            key, _, value = low.partition(":")
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{key}: needs a date like 2026-01-31.") from None
            if key == "since":
                since = day
            else:
                until = day
        elif low in ("flagged", "is:flagged"):
            flagged = True
        else:
            words.append(token)
    if since and until and since > until:
        raise ValueError("since: comes after until:, so nothing could match.")
    return ReflectionFilter(text=" ".join(words), tag=tag, theme=theme, flagged_only=flagged, since=since, until=until)


def words_match(query: str, *fields: str) -> bool:
    """The filter of the smaller lists: the typed words, any case, anywhere in the fields."""
    needle = query.strip().casefold()
    return not needle or needle in " ".join(fields).casefold()
