"""`companion --demo`: a throwaway journal of fictional writing, to look around before trusting the app.

Every name and word here is invented. The journal lives in a fresh temporary folder (never the data
folder), opens with a passphrase shown on screen, and is deleted when the app ends.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from companion.crypto.envelope import KdfParams
from companion.domain.boundary import Boundary, BoundaryEvent
from companion.domain.clock import Clock
from companion.domain.contact import Contact
from companion.domain.prompts import BUILT_IN
from companion.domain.reflection import Reflection
from companion.domain.session import Session
from companion.services.journal import Journal
from companion.services.opening import create_journal

DEMO_PASSPHRASE = "demo journal"
DEMO_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)  # nothing private in it: quick to open
DEMO_NOTE = f"This is the demo: fictional entries, deleted when you quit. Its passphrase is \"{DEMO_PASSPHRASE}\"."

GUIDED = [
    "I wanted help carrying the boxes and said nothing. I think I didn't want to be a bother, again.",
    "Mara offered to cook on Thursday and I let her. It felt strange for an hour, then it felt like care.",
    "I asked Tom for ten minutes to talk through the budget. He said yes before I finished the sentence.",
    "Stayed late to cover for a colleague. I was tired and I didn't mention it. Next time I will.",
    "Coped alone with the bad news all weekend. Some of that was strength; some of it was hiding.",
    "What I give: listening, lifts, remembering birthdays. What I need: someone to ask how I am and wait.",
    "Noticed that I only call Priya when things are bad. Sent her a photo of the sea instead, just because.",
    "Said no to the extra project, kindly. My heart was racing. Nobody was angry.",
]
FREE = [
    "Quiet morning. Tea by the window, the street still asleep.",
    "Walked the long way home. The light on the canal was lovely.",
    "A heavy day. I let myself rest instead of fixing everything.",
    "Laughed with the neighbours over the broken gate.",
    "Slept badly; went gently with myself all day.",
]
TAGS = [["work"], ["family"], ["friends"], [], ["rest"], ["work", "asking"], ["body"]]


def make_demo(clock: Clock) -> tuple[Path, Journal]:
    """A new temporary folder holding a demo journal (unlocked): the folder, and the journal."""
    folder = Path(tempfile.mkdtemp(prefix="companion-demo-"))
    try:
        journal = create_journal(folder / "vault.companion", DEMO_PASSPHRASE, kdf=DEMO_KDF, clock=clock)
        fill(journal, clock())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, journal


def fill(journal: Journal, now: datetime) -> None:
    """About four months of fictional reflections, boundaries, people, moments and sessions."""
    today = now.date()
    priya = journal.contacts.save(Contact("Priya", "secure-base", supports="Listens without trying to fix it",
                                          offer="Sunday cooking, and I listen back", reach="Text first, then call",
                                          reconnect_days=14))
    tom = journal.contacts.save(Contact("Tom", "mutual", supports="Practical help with forms and money",
                                        offer="Lifts to the station", reach="Phone, evenings", reconnect_days=30))
    mara = journal.contacts.save(Contact("Mara (sister)", "safe-haven", supports="Knows me from the start",
                                         offer="Looking after her cat", reach="Video call on Sundays"))
    journal.contacts.save(Contact("Dr. Okafor", "professional", supports="Weekly sessions"))
    for days, contact, kind, note in [(60, priya, "asked", "Asked her to come with me to the appointment"),
                                      (41, tom, "helped-me", "Sorted the tax letter together"),
                                      (33, mara, "together", "Long call, mostly laughing"),
                                      (20, tom, "helped-them", "Drove him to the airport"),
                                      (9, priya, "together", "Walk by the canal")]:
        journal.contacts.log(contact, kind, note, day=today - timedelta(days=days))
    journal.boundaries.save(Boundary(
        who="Work", boundary="No messages after 8pm", why="Evenings are for rest",
        script="I'll answer first thing tomorrow.", status="holding", review_on=today + timedelta(days=20),
        events=[BoundaryEvent(today - timedelta(days=12), "held", "Left the phone in the hall")]))
    journal.boundaries.save(Boundary(
        who="Dad", boundary="No comments about my job choices", why="It turns every visit into a defence",
        script="I know you worry. I've decided, and I'd like to talk about something else.", status="said",
        review_on=today - timedelta(days=2)))
    journal.boundaries.save(Boundary(who="", boundary="Ask for help before I am exhausted", status="thinking"))
    journal.reflections.insert_records(_reflections(now, [priya.id, tom.id, mara.id]))
    journal.sessions.save(Session(day=today - timedelta(days=8), agenda="Asking for help at work",
                                  takeaways="Start with small, specific asks."))
    journal.sessions.save(Session(day=today + timedelta(days=6), agenda="Evenings and rest"))


def _reflections(now: datetime, people: list[int | None]) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for i in range(46):
        created = now - timedelta(days=i * 2.6 + 0.3, hours=i % 5)
        guided = i % 3 != 2
        prompt = BUILT_IN[i % len(BUILT_IN)] if guided else None
        text = GUIDED[i % len(GUIDED)] if guided else FREE[i % len(FREE)]
        who = [p for p in people[i % 4: i % 4 + 1] if p is not None]
        records.append(Reflection(
            text=text, created=created, prompt=prompt.text if prompt else None, theme=prompt.theme if prompt else None,
            mood=None if i % 7 == 6 else 2 + (i * 3) % 4, reliance=None if i % 5 == 4 else 1 + (i * 2) % 5,
            tags=TAGS[i % len(TAGS)], flagged=i % 6 == 0, contacts=who).to_record())
    return records


def remove_demo(folder: Path) -> None:
    """Delete the demo folder and everything in it."""
    shutil.rmtree(folder, ignore_errors=True)


