"""One place that tells the user something went wrong, in plain words."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from mbc_journal.errors import JournalError

log = logging.getLogger("mbc_journal")

TITLE = "MBC Journal"


def _present(parent: QWidget | None, title: str, text: str) -> None:
    """Show the dialog (tests replace this to read what the user would see)."""
    QMessageBox.warning(parent, title, text)


def show_error(parent: QWidget | None, error: BaseException, doing: str = "") -> None:
    if isinstance(error, JournalError):
        text = str(error)
    else:
        log.error("Unexpected error while %s: %s", doing or "working", type(error).__name__)
        text = (
            "Something unexpected went wrong"
            + (f" while {doing}" if doing else "")
            + ". What you typed is still on the screen; please try again."
        )
    _present(parent, TITLE, text)


def show_message(parent: QWidget | None, text: str) -> None:
    _present(parent, TITLE, text)


def install_excepthook() -> None:
    """Unexpected errors get a dialog, and a log line without any user text."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        # Only file names and line numbers: never values, which may hold symptom text.
        frames = traceback.extract_tb(tb)
        where = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames)
        log.error("Unhandled %s at %s", kind.__name__, where)
        show_error(None, error)

    sys.excepthook = hook


def ask_save_discard_cancel(parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
    """The one question for unsaved changes (check-in, settings): Save is the default."""
    buttons = QMessageBox.StandardButton
    return QMessageBox.question(
        parent, title, text, buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save
    )


def resolve_unsaved(answer: QMessageBox.StandardButton, save: Callable[[], bool]) -> bool:
    """Act on that answer: True when it is fine to go on (saved or discarded)."""
    if answer == QMessageBox.StandardButton.Save:
        return save()
    return answer == QMessageBox.StandardButton.Discard
