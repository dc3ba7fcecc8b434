"""A journal only its owner can read: the passphrase dialogs, the recovery key, and the
lock screen that hides the journal after a chosen idle time (issue 19).

Every check goes through ``operations`` (the app never reaches storage directly).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mbc_journal import operations
from mbc_journal.errors import JournalError
from mbc_journal.ui.widgets.checkbox import ReadableCheckBox

LOCK_CHOICES = (
    ("Never", 0),
    ("After 5 minutes", 5),
    ("After 15 minutes", 15),
    ("After 1 hour", 60),
)

FORGOTTEN = (
    "If the passphrase is forgotten and there is no recovery key, nobody can open the "
    "journal again — not even MBC Journal's makers."
)


def _passphrase_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setMinimumWidth(320)
    return field


def _error_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setAccessibleName("Problem")
    label.setStyleSheet("color: #ffffff; background: #a4262c; padding: 4px;")  # 6.6:1
    label.hide()
    return label


def _ok_cancel(dialog: QDialog, layout: QVBoxLayout) -> None:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)


def _show_toggle(fields: list[QLineEdit]) -> QCheckBox:
    box = ReadableCheckBox("Show what I type")

    def toggled(on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for field in fields:
            field.setEchoMode(mode)

    box.toggled.connect(toggled)
    return box


class UnlockDialog(QDialog):
    """Asks for an encrypted journal's passphrase; stays open (one calm sentence) while
    the passphrase typed does not open it. ``recover_requested`` is set when the user
    chose to use the recovery key instead."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        intro: str = "",
        button: str = "",
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.recover_requested = False
        opening = not intro  # the dialog at start; else a check before a change
        self.setWindowTitle("Unlock your journal" if opening else "Type the passphrase")
        layout = QVBoxLayout(self)
        words = QLabel(intro or f"“{path.name}” is encrypted. Type its passphrase to open it.")
        words.setWordWrap(True)
        layout.addWidget(words)
        self.passphrase = _passphrase_field("Passphrase")
        form = QFormLayout()
        form.addRow("&Passphrase", self.passphrase)
        layout.addLayout(form)
        layout.addWidget(_show_toggle([self.passphrase]))
        self.problem = _error_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(
            button or "Open", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setDefault(True)
        self.recover_button = buttons.addButton(
            "Forgot it? Use the recovery key…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.recover_button.setVisible(opening)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.clicked.connect(self._on_recover_clicked)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_recover_clicked(self) -> None:
        self.recover_requested = True
        self.reject()

    def accept(self) -> None:
        text = self.passphrase.text()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            operations.unlock(self.path, text)
        except JournalError as error:
            self.problem.setText(str(error))
            self.problem.show()
            self.adjustSize()  # room for the sentence
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()


class NewPassphraseDialog(QDialog):
    """A new passphrase, typed twice; says plainly what a forgotten one means."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(f"{intro}\n\n{FORGOTTEN}")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.first = _passphrase_field("New passphrase")
        self.second = _passphrase_field("The same passphrase again")
        form = QFormLayout()
        form.addRow("&New passphrase", self.first)
        form.addRow("The &same again", self.second)
        layout.addLayout(form)
        layout.addWidget(_show_toggle([self.first, self.second]))
        self.make_recovery = ReadableCheckBox("Make a recovery key to print (recommended)")
        self.make_recovery.setChecked(True)
        layout.addWidget(self.make_recovery)
        self.problem = _error_label()
        layout.addWidget(self.problem)
        _ok_cancel(self, layout)

    def passphrase(self) -> str:
        return self.first.text()

    def accept(self) -> None:
        problem = operations.new_passphrase_problem(self.first.text())
        if not problem and self.first.text() != self.second.text():
            problem = "The two passphrases differ; type the same one twice."
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            self.adjustSize()
            self.first.setFocus()
            return
        super().accept()


class RecoveryKeyDialog(QDialog):
    """Shows a new recovery key once, to print or write down."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setWindowTitle("Your recovery key")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Print this key or write it down, and keep it away from this computer. With it "
            "a new passphrase can be set if the passphrase is ever forgotten. It is shown "
            "only now."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(key)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(QApplication.font().pointSizeF() * 1.8)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setAccessibleDescription(" ".join(key.replace("-", " ")))
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.key_label)
        row = QDialogButtonBox()
        self.print_button = row.addButton("Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = row.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_key)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.key))
        layout.addWidget(row)
        self.kept = ReadableCheckBox("I have printed it or written it down")
        layout.addWidget(self.kept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.kept.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def print_key(self) -> None:
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:  # Qt without printing: copy or write it down instead
            QMessageBox.information(
                self, "Print", "Printing is not available here; write the key down or copy it."
            )
            return
        from PySide6.QtGui import QTextDocument

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        page = QTextDocument()
        page.setHtml(
            "<h2>MBC Journal — recovery key</h2>"
            f"<p style='font-size:20pt; font-family:monospace'>{self.key}</p>"
            "<p>Keep this page away from the computer. To set a new passphrase: open the "
            "journal, choose “Forgot it? Use the recovery key…”, and type this key.</p>"
        )
        page.print_(printer)


class RecoverDialog(QDialog):
    """The recovery key typed in; on success ``passphrase`` is the journal's."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.passphrase = ""
        self.setWindowTitle("Use the recovery key")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Type the recovery key you printed or wrote down when the journal was "
            "encrypted (capitals or not, with or without the dashes). Then choose a new "
            "passphrase."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key = QLineEdit()
        self.key.setAccessibleName("Recovery key")
        self.key.setPlaceholderText("ABCD-EFGH-JKLM-NPQR-STUV")
        layout.addWidget(self.key)
        self.problem = _error_label()
        layout.addWidget(self.problem)
        _ok_cancel(self, layout)

    def accept(self) -> None:
        try:
            self.passphrase = operations.recover_passphrase(self.path, self.key.text())
        except JournalError as error:
            self.problem.setText(str(error))
            self.problem.show()
            self.adjustSize()
            return
        super().accept()


def accepted(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_to_unlock(parent: QWidget | None, path: Path) -> bool | str:
    """Ask until the passphrase opens the journal. True when it is open; the passphrase
    itself when the recovery key opened it (a new passphrase is to be chosen next, and
    it stands for the one forgotten); False if the user gave up."""
    while True:
        dialog = UnlockDialog(path, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return True
        if not dialog.recover_requested:
            return False
        recover = RecoverDialog(path, parent)
        if recover.exec() == QDialog.DialogCode.Accepted:
            try:
                operations.unlock(path, recover.passphrase)
            except JournalError:
                continue
            return recover.passphrase


def confirm_plain_file(parent: QWidget | None, path: Path, what: str) -> bool:
    """Before a report or export of an encrypted journal: say that file will be plain.
    Asked once per journal and session."""
    if not operations.is_encrypted(path) or str(path) in _agreed:
        return True
    answer = QMessageBox.question(
        parent,
        "Not encrypted",
        f"The {what} will be an ordinary file, not encrypted like the journal: anyone "
        f"who can open the file can read it. Keep it somewhere private, and delete it "
        f"when it is no longer needed.\n\nWrite it?",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    _agreed.add(str(path))
    return True


_agreed: set[str] = set()


class LockScreen(QWidget):
    """What the window shows while locked: nothing of the journal, a passphrase field.
    Signals: unlocked()."""

    unlocked = Signal()

    def __init__(self, parent: QWidget | None = None, *, cover: bool = False) -> None:
        """``cover``: a sheet over another window left open (a dialog, a question), which
        stays open underneath, as it was, and can be unlocked from here too."""
        super().__init__(parent)
        self.path: Path | None = None
        self.cover = cover
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("MBC Journal is locked")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * (1.2 if cover else 1.6))
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.text = QLabel(
            "The journal is hidden until its passphrase is typed, so nobody else can read "
            "it. Anything you were typing is kept."
        )
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setVisible(not cover)
        layout.addWidget(self.text)
        column = QWidget()
        if cover:
            column.setMaximumWidth(420)
            self.setAutoFillBackground(True)  # opaque: nothing of the window shows through
            self.setGeometry(parent.rect() if parent is not None else self.rect())
            if parent is not None:
                parent.installEventFilter(self)
        else:
            column.setFixedWidth(420)
        row = QVBoxLayout(column)
        label = QLabel("&Passphrase")
        self.passphrase = _passphrase_field("Passphrase")
        label.setBuddy(self.passphrase)
        # Enter unlocks and goes no further: over a question, it must not also press the
        # question's default button.
        self.passphrase.installEventFilter(self)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.problem = _error_label()
        if cover:  # one line: a question's window is small
            layout.setContentsMargins(8, 4, 8, 4)
            row.setContentsMargins(0, 0, 0, 0)
            self.passphrase.setMinimumWidth(160)
            self.passphrase.setPlaceholderText("Passphrase")
            line = QHBoxLayout()
            line.addWidget(self.passphrase, 1)
            line.addWidget(self.unlock_button)
            row.addLayout(line)
        else:
            row.addWidget(label)
            row.addWidget(self.passphrase)
            row.addWidget(self.unlock_button)
        row.addWidget(self.problem)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(column)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addStretch(2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.passphrase:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if event.type() != QEvent.Type.KeyPress or key is None:
                return False
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.try_unlock()
                return True
            # Escape would close the question under a sheet (answering it): not here.
            return bool(key == Qt.Key.Key_Escape)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())  # a cover covers its window whole
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        event.accept()  # no key reaches the window under a sheet

    def begin(self, path: Path) -> None:
        self.path = path
        self.passphrase.clear()
        self.problem.hide()
        self.passphrase.setFocus()

    def say_close_first(self) -> None:
        self.problem.setText(
            "MBC Journal stays open while it is locked, so what was being typed is kept: "
            "type the passphrase, then close it."
        )
        self.problem.show()
        self.passphrase.setFocus()

    def try_unlock(self) -> None:
        if self.path is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            operations.check_passphrase(self.path, self.passphrase.text())
        except JournalError as error:
            self.problem.setText("That passphrase does not open it." if self.cover else str(error))
            self.problem.show()
            self.passphrase.selectAll()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.unlocked.emit()


class IdleWatcher(QObject):
    """Calls ``on_idle`` after ``minutes`` without a key press, click or mouse move in
    the app (0: never)."""

    ACTIVITY = {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }

    def __init__(self, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(on_idle)
        self.minutes = 0
        self._watching = False

    def set_minutes(self, minutes: int) -> None:
        """Watch the app's input only while a lock time is chosen (every event passes
        through here then)."""
        self.minutes = minutes
        app = QApplication.instance()
        if app is not None and (minutes > 0) != self._watching:
            if minutes > 0:
                app.installEventFilter(self)
            else:
                app.removeEventFilter(self)
            self._watching = minutes > 0
        self.poke()

    def poke(self) -> None:
        if self.minutes > 0:
            self.timer.start(self.minutes * 60 * 1000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.ACTIVITY:
            self.timer.start(self.minutes * 60 * 1000)
        return False
