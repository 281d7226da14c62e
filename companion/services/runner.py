"""One thread for everything done with an unlocked journal: saves stay in order (one writer), reads see
a settled journal, and an interface that hands its work here never waits on a save or a search."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from companion.services.journal import Journal

T = TypeVar("T")
Tell = Callable[[list[str]], object]  # given what a job had to tell (a merge, a save not confirmed), as it ends


class JournalRunner:
    """Runs jobs on the journal one at a time, in the order they were handed in."""

    def __init__(self, journal: Journal, tell: Tell | None = None) -> None:
        self.journal = journal
        self._tell = tell
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._closed = False
        self._pending: set[Future[object]] = set()

    def submit(self, job: Callable[[Journal], T]) -> Future[T]:
        """Queue `job(journal)`; its result (or its exception) arrives in the returned future."""
        future = self._executor.submit(self._run, job)
        self._pending.add(future)  # type: ignore[arg-type]
        future.add_done_callback(self._pending.discard)
        return future

    def _run(self, job: Callable[[Journal], T]) -> T:
        """`job`, then what it had to tell, taken here on the journal's thread as it ends (failed or not), and
        handed on: the sentences are the job's, never read from another thread while the next one runs."""
        try:
            return job(self.journal)
        finally:
            told = self.journal.news()
            if told and self._tell is not None:
                self._tell(told)

    @property
    def busy(self) -> bool:
        """Whether a job is running or waiting (a save, say)."""
        return bool(self._pending)

    def close(self, last: Callable[[Journal], object] | None = None, timeout: float | None = None) -> None:
        """After what is queued, run `last` (keep the drafts), then lock the journal and stop the thread.

        With a timeout (a hang-up: the process ends straight after), a job still running when it passes is
        left to the thread: `last` runs here instead (the drafts are sealed to a file of their own), and
        the journal is not closed under the save, whose file descriptor must not be handed to another file
        while it still writes; the process ending closes it.
        """
        if self._closed:
            return
        self._closed = True

        def finish(journal: Journal) -> None:
            try:
                if last is not None:
                    last(journal)
            finally:
                journal.close()

        done = self._executor.submit(finish, self.journal)
        try:
            done.result(timeout)
        except FutureTimeout:
            if done.cancel() and last is not None:  # the save is still running: `finish` never started
                last(self.journal)
        finally:
            self._executor.shutdown(wait=False, cancel_futures=True)
