"""The shape every stored record must have: one schema for restore, import and the vault reader.

A record that does not fit is named in one plain sentence ("reflection 12: mood is 9; it is 1-5 or
empty") and nothing is replaced or added. Dates must fall between 1900 and 2200, so no date can make
a later `list` or `export` fail in some time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from companion.domain.boundary import EVENT_KINDS, STATUSES
from companion.domain.clock import EARLIEST, LATEST
from companion.domain.contact import INTERACTION_KINDS, RINGS, ROLES, SUPPORT_KINDS
from companion.domain.reflection import MOODS, RELIANCE
from companion.domain.safety_plan import TEXT_FIELDS

MAX_RECORDS = 100_000  # per table: twice a lifetime of daily journaling
NOUN = {"reflections": "reflection", "boundaries": "boundary", "contacts": "person", "prompts": "prompt",
        "sessions": "session", "safety_plan": "safety plan", "experiments": "experiment"}

Check = Callable[[Any], str | None]  # a problem in words, or None


class SchemaError(ValueError):
    """A record does not have the shape companion stores; the message names it."""


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "is not text"


def _words(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "is empty or not text"


def _optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "is not true or false"


def _number(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "is not a whole number"
        if value < low or (high is not None and value > high):
            return f"is {value}; it is {low}-{high}" if high is not None else f"is {value}; it is {low} or more"
        return None

    return check


def _one_of(choices: Mapping[str, object]) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in choices:
            return None
        return f"is {str(value)[:30]!r}; it is one of {', '.join(choices)}"

    return check


def _day(value: Any) -> str | None:
    if not isinstance(value, str):
        return "is not a date"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"is {value[:30]!r}, not a date"
    return None if EARLIEST <= day <= LATEST else f"is {day.isoformat()}; dates are from 1900 to 2200"


def _moment(value: Any) -> str | None:
    if not isinstance(value, str):
        return "is not a date and time"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return f"is {value[:30]!r}, not a date and time"
    if when.tzinfo is None:
        return "has no time zone"
    day = when.astimezone(UTC).date()
    return None if EARLIEST <= day <= LATEST else f"is {day.isoformat()}; dates are from 1900 to 2200"


def _list_of(check: Check) -> Check:
    def each(value: Any) -> str | None:
        if not isinstance(value, list):
            return "is not a list"
        for n, item in enumerate(value, start=1):
            problem = check(item)
            if problem:
                return f"item {n} {problem}"
        return None

    return each


def _shaped(fields: dict[str, Check], required: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return "is not a record"
        for name in required:
            if name not in value:
                return f"has no {name}"
        for name, field_check in fields.items():
            if name in value:
                problem = field_check(value[name])
                if problem:
                    return f"{name} {problem}"
        return None

    return check


_ID = _number(1)
_BELIEF = _number(0, 100)


def _ring(value: Any) -> str | None:
    return None if value == "" else _one_of(RINGS)(value)


_META = {"uid": _text, "changed": _text, "source": _text, "rev": _text, "ancestors": _list_of(_text)}
_moment_log = _shaped({"day": _day, "kind": _text, "note": _text}, ("day", "kind"))
_EXPORT = _shaped({"file": _text, "format": _text, "made": _moment, "summary": _text}, ("made",))
RECORDS: dict[str, Check] = {
    "reflections": _shaped({
        **_META, "text": _text, "created": _moment, "edited": _optional(_moment), "prompt": _optional(_text),
        "theme": _optional(_text), "mood": _optional(_number(1, len(MOODS))),
        "reliance": _optional(_number(1, len(RELIANCE))), "tags": _list_of(_text), "contacts": _list_of(_ID),
        "flagged": _flag, "discussed": _optional(_day), "zone": _optional(_text), "experiment": _optional(_ID),
    }, ("text", "created")),
    "boundaries": _shaped({
        **_META, "who": _text, "boundary": _words, "why": _text, "script": _text, "status": _one_of(STATUSES),
        "review_on": _optional(_day), "contact_id": _optional(_ID),
        "events": _list_of(_shaped({"day": _day, "kind": _one_of(EVENT_KINDS), "note": _text}, ("day", "kind"))),
    }, ("boundary",)),
    "contacts": _shaped({
        **_META, "name": _words, "role": _one_of(ROLES), "supports": _text, "offer": _text, "reach": _text,
        "reconnect_days": _optional(_number(1, 3650)),
        "interactions": _list_of(_shaped({"day": _day, "kind": _one_of(INTERACTION_KINDS), "note": _text,
                                          "support": _one_of(SUPPORT_KINDS)}, ("day", "kind"))),
        "ring": _ring, "kinds": _list_of(_one_of(SUPPORT_KINDS)),
    }, ("name",)),
    "prompts": _shaped({**_META, "text": _words}, ("text",)),
    "sessions": _shaped({
        **_META, "day": _day, "agenda": _text, "takeaways": _text,
        "exports": _list_of(_EXPORT),
        "shared": _optional(_EXPORT),  # written before a session kept every export
        "shared_reflections": _list_of(_ID), "follow_boundaries": _list_of(_ID), "follow_contacts": _list_of(_ID),
    }, ("day",)),
    "safety_plan": _shaped({
        **_META, **dict.fromkeys(TEXT_FIELDS, _text), "distraction_people": _list_of(_ID), "helpers": _list_of(_ID),
    }, ()),
    "experiments": _shaped({
        **_META, "ask": _words, "fear": _words, "belief_before": _BELIEF, "who": _text, "contact_id": _optional(_ID),
        "planned": _optional(_day), "rung": _number(0), "happened": _text, "felt": _text,
        "belief_after": _optional(_BELIEF), "learned": _text, "done_on": _optional(_day),
    }, ("ask", "fear", "belief_before")),
}


def check_record(table: str, record_id: str, record: Any) -> None:
    """SchemaError naming the record when it does not fit its table's shape."""
    check = RECORDS.get(table)
    if check is None:
        return
    problem = check(record)
    if problem:
        raise SchemaError(f"{NOUN[table]} {record_id}: {problem}")


def _tables(tables: Any) -> Iterator[tuple[Any, dict[Any, Any]]]:
    """Each (name, records) of a document, or SchemaError when it is not a set of tables of records."""
    if not isinstance(tables, dict):
        raise SchemaError("the document is not a set of tables")
    for table, records in tables.items():
        if not isinstance(records, dict):
            raise SchemaError(f"table {str(table)[:30]!r} is not a set of records")
        yield table, records


def check_structure(tables: Any) -> None:
    """SchemaError unless the document is tables of numbered records (cheap: records are not read)."""
    for table, records in _tables(tables):
        if not all(isinstance(key, str) and key.isdigit() and key != "0" for key in records):
            raise SchemaError(f"table {str(table)[:30]!r} has a record that is not numbered")
        if table in RECORDS and not all(isinstance(record, dict) for record in records.values()):
            raise SchemaError(f"table {table} holds something that is not a record")


def check_tables(tables: Any) -> None:
    """SchemaError naming the first record (or table) that does not fit; nothing else is looked at after."""
    for table, records in _tables(tables):
        if table in RECORDS and len(records) > MAX_RECORDS:
            raise SchemaError(f"table {table} holds {len(records):,} records; companion keeps at most "
                              f"{MAX_RECORDS:,} of each kind")
        for record_id, record in records.items():
            if not (isinstance(record_id, str) and record_id.isdigit() and record_id != "0"):
                raise SchemaError(f"table {table} has a record numbered {str(record_id)[:20]!r}")
            check_record(table, record_id, record)


def damaged_records(tables: dict[str, Any]) -> list[str]:
    """Every record that does not fit, in words (for `companion check`)."""
    found = []
    for table, records in tables.items():
        if table not in RECORDS or not isinstance(records, dict):
            continue
        for record_id, record in records.items():
            try:
                check_record(table, str(record_id), record)
            except SchemaError as exc:
                found.append(str(exc))
    return found
