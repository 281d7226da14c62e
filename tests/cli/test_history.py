"""People arrive with their history. Daylio's CSV export comes in as Daylio writes it: both layouts, "10:00 pm"
and "18:52", activities as tags, notes with markup as plain text, its five moods as 5..1, and renamed moods
placed by the person (refused with one sentence naming them until then); importing twice adds nothing. `add`
takes a day that has passed, a flag and reliance; `list` takes the app's filter words and prints text,
Markdown or JSON, as jrnl users expect."""

from __future__ import annotations

import json
from pathlib import Path

from cli.test_cli import one_sentence, run

NEWER = """\ufefffull_date,date,weekday,time,mood,activities,note_title,note
2026-11-20,Nov 20,Friday,10:00 pm,sad ,work | friends,Asked for help,"Told Sam I was stuck.<br>He helped. <b>Relief</b> &amp; thanks."
2026-11-19,Nov 19,Thursday,18:52,rad,go out,,
2026-11-18,Nov 18,Wednesday,7:05 am,average,,,<ul><li>slept badly</li><li>coped alone</li></ul>
"""
OLDER = """year,date,weekday,time,mood,activities,note
2019,18 May,Saturday,9:30 pm,good,family | reading,"Called Mum, and it was fine."
2019,3 Jan,Thursday,08:15,awful,,Bad night.
"""


def _files(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _listed(vault: Path, pw: Path) -> list[dict[str, object]]:
    done = run("--data", str(vault), "--passphrase-file", str(pw), "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_renamed_moods_are_named_and_nothing_is_imported_until_placed(cli_vault: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    vault, pw = cli_vault
    csv = _files(tmp_path, "daylio_export.csv", NEWER)
    before = vault.read_bytes()
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(csv))
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert '"average", "sad "' in sentence and '--mood "average=3"' in sentence
    assert vault.read_bytes() == before  # untouched
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(csv),
               "--mood", "sad=2", "--mood", "Average=3")
    assert done.returncode == 0, done.stderr
    assert "Imported 3 entries" in done.stdout
    entries = {e["text"]: e for e in _listed(vault, pw)}
    told = entries["Asked for help\n\nTold Sam I was stuck.\nHe helped. Relief & thanks."]
    assert told["mood"] == 2 and told["tags"] == ["work", "friends"]
    assert told["created"].startswith("2026-11-20T21:00")  # 10:00 pm in the journal's zone (Paris), kept in UTC
    assert entries["rad · go out"]["mood"] == 5 and entries["rad · go out"]["tags"] == ["go-out"]
    assert entries["- slept badly\n- coped alone"]["mood"] == 3
    again = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(csv),
                "--mood", "sad=2", "--mood", "average=3")
    assert "Imported 0 entries; 3 were already here." in again.stdout


def test_the_older_layout_with_day_and_month(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    csv = _files(tmp_path, "daylio_2019.csv", OLDER)
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(csv))
    assert done.returncode == 0, done.stderr
    entries = {e["text"]: e for e in _listed(vault, pw)}
    mum = entries["Called Mum, and it was fine."]
    assert mum["mood"] == 4 and mum["tags"] == ["family", "reading"] and mum["created"].startswith("2019-05-18T19:30")
    assert entries["Bad night."]["mood"] == 1 and entries["Bad night."]["created"].startswith("2019-01-03T07:15")


def test_not_a_daylio_export_and_a_bad_mood_option(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    other = _files(tmp_path, "other.csv", "when,what\n2026-01-01,hello\n")
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(other))
    assert done.returncode == 2 and "not a Daylio CSV export" in one_sentence(done.stderr)
    csv = _files(tmp_path, "daylio_export.csv", NEWER)
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "daylio", str(csv), "--mood", "sad=7")
    assert done.returncode == 2 and "--mood takes NAME=1-5" in one_sentence(done.stderr)


def test_add_a_passed_day_flagged_with_reliance_then_list_it_the_apps_way(cli_vault: tuple[Path, Path]) -> None:
    vault, pw = cli_vault
    base = ["--data", str(vault), "--passphrase-file", str(pw)]
    done = run(*base, "add", "--flag", "--reliance", "2", "--mood", "3", "--tag", "work",
               "--date", "2026-11-20T21:15", "Coped alone with the deadline; next time I ask.")
    assert done.returncode == 0 and "marked to bring to therapy" in done.stdout
    assert run(*base, "add", "--date", "2026-11-25", "Walked with Priya.").returncode == 0
    [entry] = json.loads(run(*base, "list", "#work", "flagged", "--format", "json").stdout)
    assert entry["flagged"] is True and entry["reliance"] == 2 and entry["mood"] == 3
    assert entry["created"].startswith("2026-11-20T20:15")  # 21:15 in the journal's zone (Paris), kept in UTC
    markdown = run(*base, "list", "since:2026-11-24", "--format", "markdown").stdout
    assert markdown == "## 2026-11-25 12:00\n\nWalked with Priya.\n\n"  # a day alone is noon that day
    both = run(*base, "list", "until:2026-11-30").stdout
    assert "Coped alone" in both and "Walked with Priya." in both
    later = run(*base, "add", "--date", "2027-01-01", "Not yet.")
    assert later.returncode == 2 and "has not come yet" in one_sentence(later.stderr)
    bad = run(*base, "list", "since:soon")
    assert bad.returncode == 2 and one_sentence(bad.stderr).endswith("since: needs a date like 2026-01-31.")


def test_a_day_one_export_reads_as_it_was_written(cli_vault: tuple[Path, Path], tmp_path: Path) -> None:
    vault, pw = cli_vault
    export = {"metadata": {"version": "1.0"}, "entries": [{
        "uuid": "4A1C0D2E9B7F4C3A8E6D5B4A3C2D1E0F", "creationDate": "2026-11-20T08:05:00Z", "timeZone": "America/New_York",
        "text": "Coped alone again\\. Maybe next time I'll call Sam\\.\n\n![](dayone-moment://ABCDEF0123456789)\n\n"
                "It rained \\- a lot\\!", "tags": ["Alone"], "starred": False,
    }]}
    file = _files(tmp_path, "Journal.json", json.dumps(export))
    done = run("--data", str(vault), "--passphrase-file", str(pw), "import", "dayone", str(file))
    assert done.returncode == 0, done.stderr
    assert "Imported 1 entry. 1 photo was left out" in done.stdout
    [entry] = _listed(vault, pw)
    assert entry["text"] == ("Coped alone again. Maybe next time I'll call Sam.\n\n(a photo, not imported)\n\n"
                             "It rained - a lot!")
    assert entry["created"] == "2026-11-20T08:05:00+00:00" and entry["zone"] == "America/New_York"
    listed = run("--data", str(vault), "--passphrase-file", str(pw), "list").stdout
    assert listed.startswith("2026-11-20 03:05")  # written at 03:05 in New York, shown so (not 09:05 in Paris)
    again = run("--data", str(vault), "--passphrase-file", str(pw), "import", "dayone", str(file))
    assert "Imported 0 entries; 1 were already here." in again.stdout
