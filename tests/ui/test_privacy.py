"""The app with an encrypted journal (issue 19): asked for the passphrase after the window
paints, encrypting from Settings, the recovery key, the lock screen that keeps what is
being typed, and a word before a report or export leaves the journal unencrypted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mbc_journal import operations
from mbc_journal.db import backup, cipher, encryption
from mbc_journal.journal import Journal
from mbc_journal.ui import privacy
from mbc_journal.ui.main_window import MainWindow

pytestmark = pytest.mark.skipif(not cipher.available(), reason="no SQLCipher wheel here")

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def no_passphrases_known() -> Iterator[None]:
    cipher.forget_all()
    privacy._agreed.clear()
    yield
    cipher.forget_all()


def when_dialog(
    act: Callable[[QDialog], None], *, then: Callable[[QDialog], None] | None = None
) -> list[QDialog]:
    """Act on the next modal dialog as a user would, once it is up (then on the one after)."""
    seen: list[QDialog] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal not in seen:
            seen.append(modal)
            try:
                (act if len(seen) == 1 else then or act)(modal)
            except BaseException:
                modal.reject()  # a failed step must fail the test, not leave it waiting
                raise
            if then is None or len(seen) >= 2:
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return seen


def type_and_enter(text: str) -> Callable[[QDialog], None]:
    def act(dialog: QDialog) -> None:
        field = dialog.focusWidget()
        if not isinstance(field, QLineEdit):  # the offscreen platform may give no focus
            field = dialog.findChildren(QLineEdit)[0]
        QTest.keyClicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)

    return act


def settle(qtbot: QtBot, win: MainWindow) -> None:
    """No background work of this window (the automatic backup after reopening) may run
    on into the next test."""
    qtbot.waitUntil(lambda: win.backup_task is None, timeout=20000)


def encrypted_journal(path: Path) -> Path:
    with Journal.open(path) as journal:
        journal.add_entry(journal.draft("bone_pain", 6, note="very private"))
    encryption.encrypt(path, PASS)
    cipher.forget_all()
    return path


def open_encrypted(qtbot: QtBot, path: Path) -> MainWindow:
    """A window on an encrypted journal whose passphrase this process already knows."""
    encrypted_journal(path)
    cipher.remember(PASS)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_journal(path)
    return win


def test_an_encrypted_journal_asks_for_its_passphrase_and_opens(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    encrypted_journal(journal_path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    problems: list[str] = []

    def wrong_then_right(dialog: QDialog) -> None:
        type_and_enter("not it")(dialog)
        problems.append(dialog.problem.text())  # type: ignore[attr-defined]
        dialog.passphrase.clear()  # type: ignore[attr-defined]
        type_and_enter(PASS)(dialog)

    when_dialog(wrong_then_right)
    assert win.open_journal(journal_path)
    assert "does not open" in problems[0]
    assert win.journal is not None and [e.note for e in win.journal.entries()] == ["very private"]
    assert win.lock_action.isEnabled()
    win.journal.close()


def test_giving_up_leaves_it_closed_and_says_how_to_open_it(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    encrypted_journal(journal_path)
    before = journal_path.read_bytes()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    when_dialog(lambda d: d.reject())
    assert not win.open_journal(journal_path)
    assert win.journal is None and "encrypted and was not opened" in win.placeholder.text()
    assert journal_path.read_bytes() == before
    assert not Path(f"{journal_path}.lock").exists() or win._lock is None


def test_encrypt_from_settings_then_the_recovery_key_is_shown(
    qtbot: QtBot, window: MainWindow, journal_path: Path
) -> None:
    window.checkin.row("fatigue").input.set_value(4)
    assert window.checkin.save()
    operations.backup(journal_path)
    button = window.settings.encryption_buttons["encrypt"]
    keys: list[str] = []

    def choose(dialog: QDialog) -> None:
        QTest.keyClicks(dialog.first, PASS)  # type: ignore[attr-defined]
        QTest.keyClicks(dialog.second, PASS)  # type: ignore[attr-defined]
        dialog.accept()

    def keep_key(dialog: QDialog) -> None:
        keys.append(dialog.key)  # type: ignore[attr-defined]
        assert not dialog.ok.isEnabled()  # type: ignore[attr-defined]
        dialog.kept.setChecked(True)  # type: ignore[attr-defined]
        dialog.accept()

    when_dialog(choose, then=keep_key)
    button.click()
    qtbot.waitUntil(lambda: bool(keys), timeout=20000)
    assert cipher.is_encrypted(journal_path)
    assert b"fatigue" not in journal_path.read_bytes()
    for kept in backup.folder_for(journal_path).glob("*.sqlite3"):
        assert cipher.is_encrypted(kept)
    assert window.journal is not None and window.journal.count_entries() == 1
    assert window.settings.encryption_buttons["change"].isVisibleTo(window.settings)
    settle(qtbot, window)
    cipher.forget_all()
    assert operations.recover_passphrase(journal_path, keys[0]) == PASS


def test_the_lock_hides_the_journal_and_keeps_what_was_typed(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    win = open_encrypted(qtbot, journal_path)
    win.settings.lock_after.setCurrentIndex(win.settings.lock_after.findData(5))
    assert win.idle.timer.isActive() and win.idle.timer.interval() == 5 * 60 * 1000
    win.checkin.row("fatigue").input.set_value(7)  # typed, not saved
    assert win.checkin.dirty
    win.idle.timer.timeout.emit()  # five minutes without use
    assert win.locked and win.lock_screen is not None
    assert win.pages.currentWidget() is win.lock_screen
    assert not win.journal_page.isVisible() and not win.menuBar().isEnabled()
    shown = [w for w in win.findChildren(QWidget) if w.isVisible()]
    assert win.checkin not in shown
    QTest.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Go › History
    QTest.keyClick(win, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    assert win.locked and not win.save_action.isEnabled()
    assert win.checkin.dirty
    QTest.keyClicks(win.lock_screen.passphrase, "wrong passphrase")
    QTest.keyClick(win.lock_screen.passphrase, Qt.Key.Key_Return)
    assert win.locked and "does not open" in win.lock_screen.problem.text()
    win.lock_screen.passphrase.clear()
    QTest.keyClicks(win.lock_screen.passphrase, PASS)
    QTest.keyClick(win.lock_screen.passphrase, Qt.Key.Key_Return)
    assert not win.locked and win.menuBar().isEnabled() and win.save_action.isEnabled()
    assert win.current_screen() == "Today"
    assert win.checkin.dirty and win.checkin.row("fatigue").input.value() == 7
    assert win.checkin.save()
    assert win.journal is not None
    assert {e.item_id for e in win.journal.entries()} == {"bone_pain", "fatigue"}
    win.journal.close()


def test_a_plain_journal_never_locks(window: MainWindow) -> None:
    assert not window.lock_now() and not window.locked
    assert not window.lock_action.isEnabled()
    assert not window.settings.lock_after.isEnabled()


def test_a_report_or_export_of_an_encrypted_journal_is_announced_first(
    qtbot: QtBot, journal_path: Path, dialogs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    win = open_encrypted(qtbot, journal_path)
    asked: list[str] = []

    def say_no(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    opened: list[bool] = []
    monkeypatch.setattr(
        "mbc_journal.ui.main_window.QFileDialog.getSaveFileName",
        lambda *_a, **_k: (opened.append(True), ("", ""))[1],
    )
    win.export_action.trigger()
    assert "not encrypted like the journal" in asked[-1] and not opened
    win.report.save_button.setEnabled(True)
    win.report.save_button.click()
    assert "report (a PDF) will be an ordinary file" in asked[-1] and not opened
    assert win.journal is not None
    win.journal.close()


def test_decrypt_from_settings_asks_the_passphrase_first(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    win = open_encrypted(qtbot, journal_path)
    when_dialog(lambda d: d.reject())  # changed their mind
    assert win.change_encryption("decrypt") is None
    assert cipher.is_encrypted(journal_path)
    when_dialog(type_and_enter(PASS))
    task = win.change_encryption("decrypt")
    assert task is not None
    qtbot.waitUntil(
        lambda: not cipher.is_encrypted(journal_path) and win.journal is not None, timeout=20000
    )
    settle(qtbot, win)
    assert b"very private" in journal_path.read_bytes()
    assert not win.lock_action.isEnabled()
    win.journal.close()


def test_after_the_recovery_key_a_new_passphrase_is_asked_not_the_forgotten_one(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    encrypted_journal(journal_path)
    key = encryption.make_recovery_key(journal_path, PASS)
    cipher.forget_all()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    seen: list[str] = []

    def act(dialog: QDialog) -> None:
        seen.append(type(dialog).__name__)
        if isinstance(dialog, privacy.UnlockDialog):
            dialog.recover_button.click()
        elif isinstance(dialog, privacy.RecoverDialog):
            QTest.keyClicks(dialog.key, key.lower().replace("-", " "))
            dialog.accept()
        elif isinstance(dialog, privacy.NewPassphraseDialog):
            QTest.keyClicks(dialog.first, "my new passphrase")
            QTest.keyClicks(dialog.second, "my new passphrase")
            dialog.make_recovery.setChecked(False)
            dialog.accept()

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal.isVisible():
            act(modal)
        if len(seen) < 3:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    assert win.open_journal(journal_path)
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=10000)
    assert seen == ["UnlockDialog", "RecoverDialog", "NewPassphraseDialog"]
    qtbot.waitUntil(
        lambda: (
            win.journal is not None and "passphrase is changed" in dialogs[-1] if dialogs else False
        ),
        timeout=20000,
    )
    settle(qtbot, win)
    cipher.forget_all()
    cipher.unlock(journal_path, "my new passphrase")
    assert win.journal is not None
    win.journal.close()


def test_a_locked_window_cannot_be_closed_and_covers_every_other_window(
    qtbot: QtBot, journal_path: Path, dialogs: list[str]
) -> None:
    """A dialog left open (Versions, an edit, a question) is covered, not closed: what it
    holds stays, and a modal one, which takes the keyboard, is unlocked from its cover."""
    win = open_encrypted(qtbot, journal_path)
    win.checkin.row("fatigue").input.set_value(3)
    answers: list[int] = []
    seen: list[str] = []
    failures: list[BaseException] = []

    def while_asked() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, QMessageBox)
        try:
            checks(question)
        except BaseException as error:  # a failure must not leave the question waiting
            failures.append(error)
        finally:
            if question.isVisible():
                win._on_unlocked()
                question.button(QMessageBox.StandardButton.No).click()

    def checks(question: QMessageBox) -> None:
        assert win.lock_now()
        (cover,) = question.findChildren(privacy.LockScreen)
        assert cover.isVisible() and cover.geometry() == question.rect()
        assert question.isVisible()  # still waiting for its answer
        assert not win.close()  # nobody may save or discard the hidden check-in
        seen.append(win.lock_screen.problem.text())  # type: ignore[union-attr]
        # Nothing under the sheet answers or copies: Escape, Tab Tab Space, the buttons.
        yes = question.button(QMessageBox.StandardButton.Yes)
        QTest.keyClick(cover.passphrase, Qt.Key.Key_Escape)
        for key in (Qt.Key.Key_Tab, Qt.Key.Key_Tab, Qt.Key.Key_Space):
            focused = QApplication.focusWidget() or cover.passphrase
            QTest.keyClick(focused, key)
        assert question.isVisible() and win.locked and not yes.isEnabled()
        cover.passphrase.clear()  # the Space went into the field
        QTest.keyClicks(cover.passphrase, PASS)
        QTest.keyClick(cover.passphrase, Qt.Key.Key_Return)
        assert not win.locked and not cover.isVisible() and yes.isEnabled()

    QTimer.singleShot(50, while_asked)
    answers.append(QMessageBox.question(win, "Restore backup", "Replace the journal?"))
    assert failures == []
    assert answers == [QMessageBox.StandardButton.No]
    assert "stays open" in seen[0]
    assert win.isVisible() and win.checkin.dirty and not win.locked
    assert win.journal is not None
    win.journal.close()


def test_the_app_finishes_a_decrypt_killed_before_the_backups(
    qtbot: QtBot, journal_path: Path, dialogs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(journal_path)
    cipher.remember(PASS)
    kept = operations.backup(journal_path)
    with monkeypatch.context() as patched:
        patched.setattr(encryption, "_swap_prepared", lambda _path: None)  # the kill
        encryption.decrypt(journal_path)
    assert cipher.is_encrypted(kept.path) and not cipher.is_encrypted(journal_path)
    cipher.forget_all()  # a new start of the app: no passphrase known
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_journal(journal_path)
    assert not cipher.is_encrypted(kept.path)
    assert list(backup.folder_for(journal_path).glob("*.rekey*")) == []
    assert win.journal is not None
    win.journal.close()
