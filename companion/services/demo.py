"""`companion --demo`: a throwaway journal of fictional writing, to look around before trusting the app.

Every name and word here is invented. The journal lives in a fresh temporary folder (never the data
folder), opens with a passphrase shown on screen, and is deleted when the app ends.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.boundary import Boundary, BoundaryEvent
from companion.domain.clock import Clock
from companion.domain.contact import Contact
from companion.domain.demo import DEMO_PASSPHRASE
from companion.domain.experiment import Experiment
from companion.domain.prompts import BUILT_IN
from companion.domain.reflection import Reflection
from companion.domain.safety_plan import SafetyPlan
from companion.domain.session import Session
from companion.services.journal import Journal
from companion.services.opening import create_journal
from companion.services.safety import drop_readable_copy

DEMO_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)  # nothing private in it: quick to open

# Each entry: days before today, theme (None: free writing), words, mood 1-5, reliance 1-5 (None: not
# noted), tags, marked to bring to therapy, and the person it is about (an index into the people below).
# The numbers say what the words say: a bad night is not a 5, coping alone is not leaning on others.
Entry = tuple[float, str | None, str, int | None, int | None, list[str], bool, int | None]
ENTRIES: list[Entry] = [
    (0.3, "asking", "I wanted help carrying the boxes and said nothing. I think I didn't want to be a bother, "
     "again.", 2, 2, ["asking"], True, None),
    (1.4, None, "Quiet morning. Tea by the window, the street still asleep.", 4, None, ["rest"], False, None),
    (2.5, "mutual", "Mara offered to cook on Thursday and I let her. It felt strange for an hour, then it felt "
     "like care.", 4, 4, ["family"], False, 2),
    (3.4, "others-first", "Stayed late to cover for a colleague. I was tired and I didn't mention it. Next time "
     "I will.", 2, 2, ["work"], True, None),
    (4.6, None, "Slept badly; went gently with myself all day.", 2, None, ["body", "rest"], False, None),
    (5.5, "asking", "I asked Tom for ten minutes to talk through the budget. He said yes before I finished the "
     "sentence.", 4, 4, ["work", "asking"], False, 1),
    (7.3, None, "Walked the long way home. The light on the canal was lovely.", 5, None, [], False, None),
    (8.5, "coping-alone", "Coped alone with the bad news all weekend. Some of that was strength; some of it was "
     "hiding.", 2, 1, [], True, None),
    (9.4, "mutual", "Walked by the canal with Priya. She talked about her week and I listened, then she asked "
     "about mine and waited.", 4, 3, ["friends"], False, 0),
    (11.2, "give-need", "What I give: listening, lifts, remembering birthdays. What I need: someone to ask how I "
     "am and wait.", 3, 2, [], False, None),
    (12.3, None, "Left the phone in the hall after eight. The evening felt twice as long, in a good way.", 4, None,
     ["work", "rest"], False, None),
    (13.6, "others-first", "Said yes to hosting again. I didn't want to, and I spent the evening resenting the "
     "dishes.", 2, 2, ["family"], False, None),
    (15.4, "asking", "Texted Priya before the appointment instead of after. Just knowing she knew made the "
     "waiting room smaller.", 3, 4, ["asking", "body"], True, 0),
    (16.5, None, "Laughed with the neighbours over the broken gate.", 4, None, ["friends"], False, None),
    (18.3, "coping-alone", "A long Sunday with nobody around. I made soup, read, and called it a kind day rather "
     "than a lonely one.", 3, 2, ["rest"], False, None),
    (19.6, "mutual", "Drove Tom to the airport at five in the morning. He'd have done the same, and that is the "
     "point.", 4, 3, ["friends"], False, 1),
    (21.4, "give-need", "I offered help three times today and asked for it zero times. Writing it down so I "
     "notice.", 2, 1, ["work"], True, None),
    (23.3, None, "A heavy day. I let myself rest instead of fixing everything.", 2, None, ["rest"], False, None),
    (25.5, "asking", "Asked my manager to move the deadline. My heart was racing; she said of course.", 3, 3,
     ["work", "asking"], False, None),
    (27.4, "others-first", "Said no to the extra project, kindly. My heart was racing. Nobody was angry.", 4, 3,
     ["work"], False, None),
    (30.5, "mutual", "Sent Priya a photo of the sea, just because, not because things were bad.", 4, 3,
     ["friends"], False, 0),
    (33.3, None, "Long call with Mara, mostly laughing about the old flat.", 5, None, ["family"], False, 2),
    (37.4, "coping-alone", "Fixed the leaking tap myself and didn't tell anyone it took four hours.", 3, 1, [],
     False, None),
    (41.5, "asking", "Tom and I sorted the tax letter together. I had been dreading it for a month.", 4, 4,
     ["asking"], False, 1),
    (46.3, "give-need", "Dad asked about the job again. I changed the subject and felt small for the rest of "
     "the day.", 1, 2, ["family"], True, None),
    (51.4, None, "Swam in the cold lake with the club. Everyone cheered the slowest of us, which was me.", 5, None,
     ["body", "friends"], False, None),
    (57.5, "others-first", "Organised the whole birthday and forgot to eat. Everyone had a lovely time except, "
     "quietly, me.", 2, 1, ["family"], False, None),
    (60.3, "asking", "Asked Priya to come with me to the appointment. Saying it out loud was the hardest part.",
     3, 4, ["asking"], False, 0),
    (66.4, "coping-alone", "The first evening in weeks I didn't reach for my phone to fill the quiet.", 4, 2,
     ["rest"], False, None),
    (73.5, None, "Rain all day. Baked a lopsided loaf and enjoyed every bit of it.", 4, None, [], False, None),
    (80.3, "mutual", "Looked after Mara's cat while she was away. She sent a postcard of the cat's disdain.", 4, 3,
     ["family"], False, 2),
    (88.4, "give-need", "What I need is simpler than I make it: a walk, a meal, one person who knows.", 3, 3, [],
     False, None),
    (95.5, "others-first", "Covered two shifts so nobody else had to. Too tired to answer Priya's message.", 1, 1,
     ["work"], False, None),
    (104.3, None, "First cold morning of autumn. Scarf, coffee, the market.", 4, None, [], False, None),
    (113.4, "coping-alone", "Handled the move on my own, box by box. Proud and very tired.", 3, 1, [], False,
     None),
]


def make_demo(clock: Clock) -> tuple[Path, Journal]:
    """A new temporary folder holding a demo journal (unlocked): the folder, and the journal."""
    folder = Path(tempfile.mkdtemp(prefix="companion-demo-"))
    try:
        journal = create_journal(folder / "vault.companion", DEMO_PASSPHRASE, kdf=DEMO_KDF, clock=clock).journal
        fill(journal, clock())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, journal


def fill(journal: Journal, now: datetime) -> None:
    """About four months of fictional reflections, boundaries, people in their rings, moments, ask experiments,
    sessions and a safety plan."""
    today = now.date()
    priya = journal.contacts.save(Contact("Priya", "secure-base", supports="Listens without trying to fix it",
                                          offer="Sunday cooking, and I listen back", reach="Text first, then call",
                                          reconnect_days=14, ring="closest", kinds=["listening", "company"]))
    tom = journal.contacts.save(Contact("Tom", "mutual", supports="Practical help with forms and money",
                                        offer="Lifts to the station", reach="Phone, evenings", reconnect_days=30,
                                        ring="close", kinds=["practical"]))
    mara = journal.contacts.save(Contact("Mara (sister)", "safe-haven", supports="Knows me from the start",
                                         offer="Looking after her cat", reach="Video call on Sundays",
                                         ring="closest", kinds=["listening", "company"]))
    journal.contacts.save(Contact("Dr. Okafor", "professional", supports="Weekly sessions", ring="wider",
                                  kinds=["listening"]))
    sam = journal.contacts.save(Contact("Sam", "mutual", supports="Climbing, and easy silences",
                                        offer="Belaying, and the odd lift", ring="wider", kinds=["company"]))
    # The moments fall on the days of the entries that tell of them (days before now, as in ENTRIES).
    for days, contact, kind, note, support in [
            (60.3, priya, "asked", "Asked her to come with me to the appointment", "company"),
            (47.2, sam, "together", "Coffee after climbing", "company"),
            (41.5, tom, "helped-me", "Sorted the tax letter together", "practical"),
            (33.3, mara, "together", "Long call, mostly laughing", "company"),
            (19.6, tom, "helped-them", "Drove him to the airport", "practical"),
            (15.4, priya, "asked", "Texted her before the appointment", "listening"),
            (9.4, priya, "together", "Walk by the canal", "listening"),
            (5.5, tom, "asked", "Ten minutes on the budget", "practical"),
            (2.5, mara, "helped-me", "She cooked on Thursday", "practical")]:
        journal.contacts.log(contact, kind, note, day=(now - timedelta(days=days)).date(), support=support)
    about = _experiments(journal, now, priya.id, tom.id, mara.id)
    journal.boundaries.save(Boundary(
        who="Work", boundary="No messages after 8pm", why="Evenings are for rest",
        script="I'll answer first thing tomorrow.", status="holding", review_on=today + timedelta(days=20),
        events=[BoundaryEvent(today - timedelta(days=12), "held", "Left the phone in the hall")]))
    journal.boundaries.save(Boundary(
        who="Dad", boundary="No comments about my job choices", why="It turns every visit into a defence",
        script="I know you worry. I've decided, and I'd like to talk about something else.", status="said",
        review_on=today - timedelta(days=2)))
    journal.boundaries.save(Boundary(who="", boundary="Ask for help before I am exhausted", status="thinking"))
    journal.reflections.insert_records(_reflections(now, [priya.id, tom.id, mara.id], about))
    journal.sessions.save(Session(day=today - timedelta(days=8), agenda="Asking for help at work",
                                  takeaways="Start with small, specific asks."))
    journal.sessions.save(Session(day=today + timedelta(days=6), agenda="Evenings and rest"))
    journal.safety.save(SafetyPlan(
        warning_signs="Cancelling plans two days running\nLying awake past 3am\nThinking nobody would notice",
        on_my_own="A long walk by the canal\nA hot shower, then tea\nThe breathing exercise from Dr. Okafor",
        distraction="The library on Rue Vavin\nThe Saturday climbing group", distraction_people=[tom.id or 0],
        helpers_note="", helpers=[priya.id or 0, mara.id or 0],
        professionals="Dr. Okafor: the practice's number, weekdays 9-17",
        safer="Give the sleeping pills to Priya to keep\nNo alcohol in the flat on bad weeks"))


def _experiments(journal: Journal, now: datetime, priya: int | None, tom: int | None,
                 mara: int | None) -> dict[float, int | None]:
    """Asks tested: one that went better than feared, one that went as feared, and a ladder still to climb.
    Returns the entries (their days before now, as in ENTRIES) that reflect on one."""
    def day(days: float) -> date:
        return (now - timedelta(days=days)).date()

    manager = journal.asks.save(Experiment(
        "Could the report deadline move to next Friday?", "She'll think I can't manage my work", 80,
        who="my manager", planned=day(25.5)))
    journal.asks.complete(manager.id or 0, day(25.5), "She said of course, and moved it a week", 20,
                          felt="Shaky, then light", learned="A clear ask got a clear yes")
    appointment = journal.asks.save(Experiment(
        "Would you come with me to the appointment?", "I'll be a burden; she'll come out of duty", 70,
        contact_id=priya))
    journal.asks.complete(appointment.id or 0, day(60.3), "She came, and said she was glad I asked", 25,
                          felt="Held", learned="Being there for me is something she wants")
    weekend = journal.asks.save(Experiment(
        "Could you come and stay this weekend?", "She'll say she's too busy for me", 60, contact_id=mara))
    journal.asks.complete(weekend.id or 0, day(12.3), "She was busy, as I feared; we found a weekend next month",
                          55, felt="Disappointed, then all right",
                          learned="A no to the weekend was not a no to me")
    journal.asks.save(Experiment("Would you look over my CV?", "He'll think I'm not good enough for the job", 65,
                                 contact_id=tom, planned=day(-3)))
    journal.asks.save(Experiment("When I talk about work, could you listen without advising?",
                                 "He'll be hurt, and we'll argue", 85, who="Dad"))
    return {25.5: manager.id}


def _reflections(now: datetime, people: list[int | None],
                 about: dict[float, int | None]) -> list[dict[str, object]]:
    prompts = {theme: [p for p in BUILT_IN if p.theme == theme] for theme in {p.theme for p in BUILT_IN}}
    records: list[dict[str, object]] = []
    for i, (days, theme, text, mood, reliance, tags, flagged, person) in enumerate(ENTRIES):
        prompt = prompts[theme][i % len(prompts[theme])] if theme else None
        who = people[person] if person is not None else None
        records.append(Reflection(
            text=text, created=now - timedelta(days=days), prompt=prompt.text if prompt else None,
            theme=theme, mood=mood, reliance=reliance, tags=tags, flagged=flagged,
            contacts=[who] if who is not None else [], experiment=about.get(days)).to_record())
    return records


def remove_demo(folder: Path) -> None:
    """Delete the demo folder and everything in it, and the demo plan's readable copy if one was chosen."""
    drop_readable_copy(folder / "vault.companion")
    shutil.rmtree(folder, ignore_errors=True)


