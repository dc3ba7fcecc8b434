"""The one helper for slow work: run it off the GUI thread, report progress,
and route success and failure back to the GUI thread (Anki's CollectionOp)."""

from __future__ import annotations

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
            result = self.op(lambda fraction, text: self.task.progressed.emit(fraction, text))
        except BaseException as error:  # noqa: BLE001 — every failure goes to the GUI thread
            self.task.failed.emit(error)
        else:
            self.task.succeeded.emit(result)


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
    """Run ``op(progress)`` in the thread pool; callbacks run on the GUI thread."""
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
