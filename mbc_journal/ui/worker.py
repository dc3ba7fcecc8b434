"""The one helper for slow work: run it off the GUI thread, report progress,
and route success and failure back to the GUI thread (Anki's CollectionOp)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from mbc_journal.ui import errors

Progress = Callable[[float, str], None]


class Task(QObject):
    """Signals: progressed(float, str), succeeded(object), failed(object)."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runner(QRunnable):
    def __init__(
        self, task: Task, op: Callable[[Progress], Any], collection: _Collection | None = None
    ) -> None:
        super().__init__()
        self.task, self.op, self.collection = task, op, collection

    def run(self) -> None:
        try:
            result = self.op(lambda fraction, text: self._tell("progressed", fraction, text))
        except BaseException as error:  # noqa: BLE001 — every failure goes to the GUI thread
            self._tell("failed", error)
        else:
            self._tell("succeeded", result)
        finally:
            if self.collection is not None:
                self.collection.ended.emit()  # collection back on, by the GUI thread

    def _tell(self, signal: str, *args: object) -> None:
        """Send to the GUI thread; when the window (and the task's object) is already
        gone — the app closed while this ran — there is nobody left to tell."""
        with contextlib.suppress(RuntimeError):  # "Signal source has been deleted"
            getattr(self.task, signal).emit(*args)


_running: set[Task] = set()

# Python's cyclic garbage collector runs in whichever thread happens to allocate. A
# window or dialog closed earlier and left in a reference cycle (a lambda connected to
# one of its own signals) would then be freed by a worker, and Qt objects must die in
# the GUI thread: a local socket freed from the report's thread left Qt polling a closed
# descriptor ("QSocketNotifier: Invalid socket") until the app crashed. So automatic
# collection is off from the moment work starts until the GUI thread hears it ended
# (turned back on there, never in the worker, whose next allocation would collect).


class _Collection(QObject):
    """Lives in the GUI thread; counts the work running."""

    ended = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.working = 0
        self.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)

    def begin(self) -> None:
        self.working += 1
        gc.disable()

    def _on_ended(self) -> None:
        self.working -= 1
        if self.working == 0:
            gc.enable()


_collection: _Collection | None = None


def run_in_background(
    parent: Any,
    op: Callable[[Progress], Any],
    *,
    success: Callable[[Any], None],
    failure: Callable[[BaseException], None] | None = None,
    progress: Callable[[float, str], None] | None = None,
    doing: str = "working",
) -> Task:
    """Run ``op(progress)`` in the thread pool; callbacks run on the GUI thread."""
    task = Task()
    _running.add(task)
    if progress is not None:
        task.progressed.connect(progress)
    task.succeeded.connect(success)
    task.failed.connect(failure or (lambda error: errors.show_error(parent, error, doing)))
    task.succeeded.connect(lambda _r: _running.discard(task))
    task.failed.connect(lambda _e: _running.discard(task))
    global _collection
    if _collection is None:
        _collection = _Collection()
    _collection.begin()
    QThreadPool.globalInstance().start(_Runner(task, op, _collection))
    return task
