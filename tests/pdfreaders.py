"""Open companion's encrypted PDFs the way a therapist's reader does: the encrypted file itself, with its
passphrase, in three independent engines — poppler (Evince, Okular), MuPDF and pdf.js (Firefox)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

READERS = Path(__file__).resolve().parent / "readers"


def _poppler(pdf: Path, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pdftotext", "-upw", password, "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=60)


def _mupdf(pdf: Path, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mutool", "draw", "-q", "-p", password, "-F", "txt", "-o", "-", str(pdf)],
                          capture_output=True, text=True, timeout=60)


def _pdfjs(pdf: Path, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(READERS / "pdfjs_text.mjs"), str(pdf), password],
                          capture_output=True, text=True, timeout=60, cwd=READERS)


ENGINES = {"poppler": _poppler, "mupdf": _mupdf, "pdf.js": _pdfjs}


def _ready() -> None:
    for tool in ("pdftotext", "mutool", "node"):
        assert shutil.which(tool), f"{tool} is installed by .ci/run and the README's test command"
    assert (READERS / "node_modules" / "pdfjs-dist").is_dir(), "pdfjs-dist is installed by the README's test command"


def read_everywhere(pdf: Path, password: str) -> dict[str, str]:
    """The text each reader finds in the encrypted `pdf`; AssertionError if any reader refuses it."""
    _ready()
    texts = {}
    for name, engine in ENGINES.items():
        done = engine(pdf, password)
        assert done.returncode == 0, f"{name} could not open {pdf.name}: {done.stderr.strip()}"
        texts[name] = done.stdout
    return texts


def pdf_text(pdf: Path, password: str) -> str:
    """poppler's text, after checking all three readers open the file with `password`."""
    texts = read_everywhere(pdf, password)
    return texts["poppler"]


def refused_everywhere(pdf: Path, password: str) -> None:
    """Every reader must refuse a wrong passphrase."""
    _ready()
    for name, engine in ENGINES.items():
        done = engine(pdf, password)
        assert done.returncode != 0, f"{name} opened {pdf.name} with a wrong passphrase"


def page_count(pdf: Path, password: str) -> int:
    """How many pages poppler sees."""
    info = subprocess.run(["pdfinfo", "-upw", password, str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")))
