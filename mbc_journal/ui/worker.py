"""The one helper for slow work: run it off the GUI thread, report progress,
and route success and failure back to the GUI thread (Anki's CollectionOp)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from mbc_journal.ui import errors

Progress = Callable[[float, str], None]


class Task(QObject):
    """Signals: progressed(float, str), succeeded(object), failed(object)."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runner(QRunnable):
    def __init__(self, task: Task, op: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.task, self.op = task, op

    def run(self) -> None:
        try:
            result = self.op(lambda fraction, text: self._tell("progressed", fraction, text))
        except BaseException as error:  # noqa: BLE001 — every failure goes to the GUI thread
            self._tell("failed", error)
        else:
            self._tell("succeeded", result)

    def _tell(self, signal: str, *args: object) -> None:
        """Send to the GUI thread; when the window (and the task's object) is already
        gone — the app closed while this ran — there is nobody left to tell."""
        with contextlib.suppress(RuntimeError):  # "Signal source has been deleted"
            getattr(self.task, signal).emit(*args)


_running: set[Task] = set()


def run_in_background(
    parent: Any,
    op: Callable[[Progress], Any],
    *,
    success: Callable[[Any], None],
    failure: Callable[[BaseException], None] | None = None,
    progress: Callable[[float, str], None] | None = None,
    doing: str = "working",
) -> Task:
    """Run ``op(progress)`` in the thread pool; callbacks run on the GUI thread.

    Python's cyclic garbage collector runs in whichever thread happens to allocate: a
    window or dialog closed earlier and left in a reference cycle (a lambda connected
    to one of its own signals) would be freed by the worker, and Qt objects must die
    in the GUI thread — a local socket freed from the report's thread left Qt polling a
    closed descriptor ("QSocketNotifier: Invalid socket") until it crashed. So what is
    already garbage is collected here, on the GUI thread, before the work starts."""
    gc.collect()
    task = Task()
    _running.add(task)
    if progress is not None:
        task.progressed.connect(progress)
    task.succeeded.connect(success)
    task.failed.connect(failure or (lambda error: errors.show_error(parent, error, doing)))
    task.succeeded.connect(lambda _r: _running.discard(task))
    task.failed.connect(lambda _e: _running.discard(task))
    QThreadPool.globalInstance().start(_Runner(task, op))
    return task
