"""Every action of the app by name, for the command palette (ctrl+p): what it is called, what it does,
and the action it runs. The palette also lists the keys of the screen that is showing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Named:
    """One palette entry: `action` runs on the App; `unlocked` ones are offered only with a journal open."""

    title: str
    help: str
    action: str
    unlocked: bool = True


NAMED = [
    Named("New reflection", "write an entry, freely or from a prompt", "goto('reflections', 'new_record')"),
    Named("New boundary", "a limit you want to set or keep", "goto('boundaries', 'new_record')"),
    Named("New person in your secure base", "someone you can turn to", "goto('secure', 'new_record')"),
    Named("New ask experiment", "an ask you fear to make: write the prediction down first",
          "goto('asks', 'new_record')"),
    Named("Connection: what reaching out does to a week", "mood and reliance on days you reached out, noticed",
          "goto('home', 'connection')"),
    Named("Safety plan", "the steps to take in a crisis, with the people you can turn to", "goto('secure', 'plan')"),
    Named("Export for your therapist", "choose what to share; an encrypted PDF or age file", "goto('share', 'export')"),
    Named("Backup of the whole journal", "everything, in an encrypted age file", "goto('share', 'backup')"),
    Named("Restore a backup", "replace the journal with a backup (the current one is kept)",
          "goto('share', 'restore')"),
    Named("Lock", "close the journal; the passphrase opens it again", "lock"),
    Named("Passphrase and recovery key", "change the passphrase, or make a new recovery key", "security"),
    Named("Go to Home", "today's prompt and how things are", "switch_area('home')"),
    Named("Go to Reflections", "every entry", "switch_area('reflections')"),
    Named("Go to Boundaries", "the limits you set or keep", "switch_area('boundaries')"),
    Named("Go to Secure base", "the people you can turn to", "switch_area('secure')"),
    Named("Go to Share", "an export for your therapist", "switch_area('share')"),
    Named("Go to Sessions", "therapy sessions and take-aways", "switch_area('sessions')"),
    Named("Go to Asks", "asks tested as experiments, small to big", "switch_area('asks')"),
    Named("Theme: dark", "companion's dark colours (remembered)", "set_theme('companion-dark')", unlocked=False),
    Named("Theme: light", "for light terminals (remembered)", "set_theme('companion-light')", unlocked=False),
    Named("Theme: high contrast", "black, white and yellow (remembered)", "set_theme('companion-high-contrast')",
          unlocked=False),
    Named("Keys on this screen (help)", "every key that acts here", "help", unlocked=False),
    Named("Urgent help", "where to find help now", "support", unlocked=False),
    Named("Quit", "an unfinished entry is kept as a sealed draft", "quit", unlocked=False),
]
