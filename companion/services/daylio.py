"""Daylio's CSV export, read as Daylio writes it: both its layouts, its times, its moods and activities.

The newer layout: `full_date,date,weekday,time,mood,activities,note_title,note` (full_date 2023-05-18).
The older one: `year,date,weekday,time,mood,activities,note` (date "18 May"). Times are "10:00 pm" or
"18:52", in the zone of the device that wrote them (the journal's own zone here). Activities are separated
by " | " and become tags. Notes carry a little HTML (<br>, <b>, <li>) which becomes plain text.
Daylio's five moods (rad, good, meh, bad, awful) are 5 to 1; renamed moods are placed by the person.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, time, tzinfo

from companion.errors import UsageError
from companion.services.backup import Imported, checked_entry, source_key

DEFAULT_MOODS = {"rad": 5, "good": 4, "meh": 3, "bad": 2, "awful": 1}
NEWER = ("full_date", "time", "mood", "activities", "note")
OLDER = ("year", "date", "time", "mood", "activities", "note")


def mood_map(pairs: list[str]) -> dict[str, int]:
    """`--mood NAME=1-5` options as a map (names compared without case or surrounding spaces)."""
    moods = dict(DEFAULT_MOODS)
    for pair in pairs:
        name, _, value = pair.rpartition("=")
        if not name.strip() or value.strip() not in {"1", "2", "3", "4", "5"}:
            raise UsageError(f"--mood takes NAME=1-5, like --mood \"average=3\" (not {pair!r}).")
        moods[_key(name)] = int(value)
    return moods


def parse_daylio(raw: bytes, zone: tzinfo, moods: dict[str, int]) -> list[Imported]:
    """Every row of a Daylio CSV export, checked whole before anything is imported."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("This Daylio export is not UTF-8 text.") from None
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UsageError(f"This Daylio export is not a CSV file companion can read ({exc}).") from None
    columns = {c.strip() for c in rows[0] if c is not None} if rows else set()  # None: fields past the header
    if not (set(NEWER) <= columns or set(OLDER) <= columns):
        raise UsageError("This is not a Daylio CSV export: its first line names neither of Daylio's layouts "
                         "(full_date,date,weekday,time,mood,activities,note_title,note or "
                         "year,date,weekday,time,mood,activities,note).")
    rows = [{k.strip(): (v or "") for k, v in row.items() if k is not None} for row in rows]
    unknown = sorted({row["mood"] for row in rows if _key(row["mood"]) not in moods}, key=str.casefold)
    if unknown:
        names = ", ".join(f'"{name}"' for name in unknown)
        raise UsageError(f"This Daylio export uses moods companion cannot place on 1-5: {names}. Say where each "
                         f"goes with --mood, for example --mood \"{unknown[0].strip()}=3\"; nothing was imported.")
    return [_entry(n, row, zone, moods) for n, row in enumerate(rows, start=1)]


def _entry(n: int, row: dict[str, str], zone: tzinfo, moods: dict[str, int]) -> Imported:
    day = _day(n, row)
    created = datetime.combine(day, _time(n, row["time"]), tzinfo=zone)
    activities = [a.strip() for a in row["activities"].split("|") if a.strip()]
    note = _plain(row["note"])
    title = _plain(row.get("note_title", ""))
    text = "\n\n".join(part for part in (title, note) if part)
    if not text:  # a mood and activities noted, no words: say what was noted
        text = " · ".join(part for part in (row["mood"].strip(), ", ".join(activities)) if part)
    tags = [re.sub(r"\s+", "-", a) for a in activities]
    source = source_key("daylio", day.isoformat(), row["time"], row["mood"], title, note)
    entry, key = checked_entry(n, "Daylio", text, created, tags, source)
    entry.mood = moods[_key(row["mood"])]
    return entry, key


def _day(n: int, row: dict[str, str]) -> date:
    try:
        if row.get("full_date"):
            return date.fromisoformat(row["full_date"].strip())
        for pattern in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
            try:
                return datetime.strptime(f"{row['date'].strip()} {row['year'].strip()}", pattern).date()
            except ValueError:
                continue
    except (KeyError, ValueError):
        pass
    raise UsageError(f"Row {n} of the Daylio export has no date companion can read.")


def _time(n: int, value: str) -> time:
    for pattern in ("%I:%M %p", "%H:%M", "%I:%M%p"):
        try:
            return datetime.strptime(value.strip().upper(), pattern).time()
        except ValueError:
            continue
    raise UsageError(f"Row {n} of the Daylio export has a time companion cannot read ({value!r}).")


def _plain(note: str) -> str:
    """Daylio's note markup as plain text: line breaks and list items kept, every other tag dropped."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", note, flags=re.I)
    text = re.sub(r"<li[^>]*>", "- ", text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def _key(name: str) -> str:
    return name.strip().casefold()
