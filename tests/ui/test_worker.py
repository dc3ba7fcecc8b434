"""Slow work off the GUI thread (ui/worker.py)."""

from __future__ import annotations

import shiboken6
from pytestqt.qtbot import QtBot

from mbc_journal.ui.worker import Task, _Runner


def test_work_ending_after_its_window_closed_ends_quietly(qtbot: QtBot) -> None:
    """A tester closed the app right after opening Report: the warm-up finished after
    the window (and its task) were gone, and the thread printed a RuntimeError."""
    task = Task()
    runner = _Runner(task, lambda progress: (progress(0.5, "half"), "done")[1])
    shiboken6.delete(task)  # the window closed: the task's object is gone
    runner.run()  # nothing left to tell, and nothing raised
    failing = _Runner(Task(), lambda _progress: 1 / 0)
    shiboken6.delete(failing.task)
    failing.run()


def test_work_reports_its_result_to_the_gui_thread(qtbot: QtBot) -> None:
    task = Task()
    runner = _Runner(task, lambda progress: (progress(0.5, "half"), "done")[1])
    seen: list[object] = []
    task.progressed.connect(lambda f, t: seen.append((f, t)))
    task.succeeded.connect(seen.append)
    runner.run()
    qtbot.waitUntil(lambda: "done" in seen, timeout=1000)
    assert seen == [(0.5, "half"), "done"]


def test_qt_garbage_is_freed_on_the_gui_thread_not_by_the_worker(qtbot: QtBot) -> None:
    """A closed window left in a reference cycle was freed by Python's collector on the
    report's worker thread: its local socket died off the GUI thread, and Qt then polled
    a closed descriptor ("QSocketNotifier: Invalid socket 14") until the app crashed
    (the suite hung or crashed in test_preview_and_pdf). No collection runs while work
    runs; the garbage is freed by the GUI thread after."""
    import gc
    import threading
    import weakref

    from PySide6.QtCore import QObject

    from mbc_journal.ui.worker import run_in_background

    freed_on: list[bool] = []

    class Window(QObject):
        pass

    window = Window()
    window.me = window  # type: ignore[attr-defined]  # a reference cycle, as lambdas make
    weakref.finalize(
        window, lambda: freed_on.append(threading.current_thread() is threading.main_thread())
    )
    del window
    done: list[object] = []
    run_in_background(None, lambda _p: len([[n] for n in range(300_000)]), success=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    gc.collect()  # the GUI thread, once the work is done (if it was not freed before)
    assert freed_on == [True]
