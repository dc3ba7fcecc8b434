"""The main window: navigation between screens, File and Edit menus.

The window is shown before the journal is opened (see ui/app.py), so the
first paint does not wait for the database layer.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from mbc_journal import paths
from mbc_journal.ui import errors
from mbc_journal.ui.qsettings import (
    last_folder,
    lock_minutes,
    recent_journals,
    remember_folder,
    remember_journal,
    ui_settings,
)
from mbc_journal.ui.widgets.banner import UrgentBanner
from mbc_journal.wording import plural

if TYPE_CHECKING:
    from mbc_journal.day_view import DayView
    from mbc_journal.errors import JournalError
    from mbc_journal.journal import Journal
    from mbc_journal.ui.careplan_screen import CarePlanScreen
    from mbc_journal.ui.history import HistoryScreen
    from mbc_journal.ui.privacy import LockScreen
    from mbc_journal.ui.report_screen import ReportScreen
    from mbc_journal.ui.settings_screen import SettingsScreen
    from mbc_journal.ui.single import AppLock
    from mbc_journal.ui.trends import TrendsScreen
    from mbc_journal.ui.welcome import WelcomePanel
    from mbc_journal.ui.worker import Task

BACKUP_EVERY_MS = 30 * 60 * 1000  # like Anki: every 30 minutes, if anything changed

SCREENS = ("Today", "History", "Trends", "Care plan", "Report", "Settings")


def app_icon() -> QIcon:
    path = importlib.resources.files("mbc_journal.resources") / "icon.svg"
    return QIcon(str(path))


class _Screens(Mapping[str, QWidget]):
    """The open journal's screens by name; each is built the first time it is asked for.

    Only the check-in is built when a journal opens: the other five cost about 0.07 s
    and 6 MiB of start-up (docs/performance.md) for screens the user may never open.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, name: str) -> QWidget:
        if name not in self:
            raise KeyError(name)
        return self._window._screen(name)

    def __contains__(self, name: object) -> bool:
        # Before the journal is open (the check-in read first) only Today exists.
        window = self._window
        return (
            name in SCREENS
            and "Today" in window._built
            and (name == "Today" or window._screens_journal is not None)
        )

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in SCREENS if name in self])

    def __len__(self) -> int:
        return len(list(iter(self)))


class MainWindow(QMainWindow):
    """Signals:
    journal_opened(object) — the Journal now shown.
    checkin_painted() — the check-in's rows are built, filled and painted (its first
        shown rating painted): usable. At start-up this comes before the journal is
        open (the day read with plain sqlite3), and the journal opens right after.
    """

    journal_opened = Signal(object)
    checkin_painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.journal: Journal | None = None
        self._lock: AppLock | None = None
        self.refused_as_second = False  # this start found the journal open elsewhere
        self.welcome: WelcomePanel | None = None  # the first-use panel while it shows
        self.undo_stack = QUndoStack(self)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_EVERY_MS)
        self.backup_timer.timeout.connect(self.backup_in_background)
        self.backup_task: Task | None = None  # the automatic backup being made, if any
        self.backup_timer.start()
        self._reminded_on: dt.date | None = None
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(60 * 1000)
        self.reminder_timer.timeout.connect(lambda: self.check_reminder())
        self.reminder_timer.start()
        self.tray: QSystemTrayIcon | None = None
        self.setWindowTitle("MBC Journal")
        self.setWindowIcon(app_icon())
        self.resize(1100, 760)
        screen = QApplication.primaryScreen()
        if screen is not None:  # never larger than the screen (a laptop at 200 %)
            room = screen.availableGeometry()
            self.resize(min(1100, room.width()), min(760, room.height()))
        self.nav = QListWidget()
        self.nav.setAccessibleName("Screens")
        self._size_nav()
        self.stack = QStackedWidget()
        self.placeholder = QLabel("Opening your journal…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(4, 4, 4, 4)
        self.banner = UrgentBanner()
        self.banner.acknowledged.connect(self._on_banner_acknowledged)
        outer.addWidget(self.banner)
        layout = QHBoxLayout()
        outer.addLayout(layout, 1)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        # The journal's page, and the lock screen that hides it (built when first needed).
        self.pages = QStackedWidget()
        self.pages.addWidget(central)
        self.journal_page = central
        self.lock_screen: LockScreen | None = None
        self.setCentralWidget(self.pages)
        from mbc_journal.ui.privacy import IdleWatcher

        self.idle = IdleWatcher(self._on_idle, self)
        self._disabled_while_locked: list[QAction] = []
        self._covers: list[LockScreen] = []
        self._disabled_parts: list[QWidget] = []
        self._small_windows: list[tuple[QWidget, QSize]] = []
        self.idle.set_minutes(lock_minutes())
        self._built: dict[str, QWidget] = {}  # the screens made so far, by name
        self._screens_journal: Journal | None = None  # the journal they show
        self._opening: tuple[Path, bool] | None = None  # (path, demo) shown, not open yet
        self._wanted_screen = ""  # asked for before the journal was open
        self._rows_watch: QObject | None = None
        self.screens: Mapping[str, QWidget] = _Screens(self)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        geometry = ui_settings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    # menus -------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = QAction("&New journal…", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.open_action = QAction("&Open journal…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.export_action = QAction("&Export…", self)
        self.import_action = QAction("&Import…", self)
        self.save_action = QAction("&Save check-in", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setEnabled(False)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.import_action)
        self.lock_action = QAction("&Lock now", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(False)
        self.lock_action.setToolTip("Hide the journal until its passphrase is typed")
        self.lock_action.triggered.connect(self.lock_now)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        file_menu.insertAction(self.recent_menu.menuAction(), self.new_action)
        file_menu.insertAction(self.recent_menu.menuAction(), self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.quit_action)
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.save_action.triggered.connect(self._on_save_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        go_menu = self.menuBar().addMenu("&Go")
        for n, name in enumerate(SCREENS, start=1):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, name=name: self.show_screen(name))
            go_menu.addAction(action)

    def _on_save_action_triggered(self) -> None:
        if "Today" in self._built:  # before the journal is open, the save is held
            self.show_screen("Today")
            self.checkin.save()

    EXPORT_FILTERS = {
        "CSV spreadsheet (*.csv)": "csv",
        "MBC Journal JSON, whole journal (*.json)": "json",
        "FHIR R4 bundle (*.fhir.json)": "fhir",
        "FHIR R4 transaction, for a clinical server (*.fhir.json)": "fhir-transaction",
    }

    def _on_export_action_triggered(self) -> None:
        if self.journal is None:
            return
        from mbc_journal.ui.privacy import confirm_plain_file

        if not confirm_plain_file(self, self.journal.path, "export"):
            return
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Export",
            str(last_folder("export") / f"mbc-journal-export-{dt.date.today().isoformat()}.csv"),
            ";;".join(self.EXPORT_FILTERS),
        )
        if name:
            self.export_to(Path(name), self.EXPORT_FILTERS.get(chosen, "csv"))

    def export_to(self, path: Path, fmt: str) -> Task | None:
        """Export off the GUI thread, with progress in the status bar."""
        from mbc_journal import operations
        from mbc_journal.ui.worker import run_in_background

        journal = self.journal
        if journal is None:
            return None
        remember_folder("export", path)
        return run_in_background(
            self,
            lambda progress: operations.export(journal, fmt, path, progress=progress),
            success=lambda count: self.statusBar().showMessage(
                f"Exported {plural(count, 'entry')} to {path.name}.", 15000
            ),
            progress=lambda f, text: self.statusBar().showMessage(f"Exporting… {text}"),
            doing="exporting",
        )

    def _on_import_action_triggered(self) -> None:
        if self.journal is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import", str(last_folder("export")), "MBC Journal exports (*.json *.csv)"
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> Task | None:
        """Check the whole file, back up, then import in one transaction (off the GUI thread)."""
        from mbc_journal import operations
        from mbc_journal.ui.worker import run_in_background

        journal = self.journal
        if journal is None or not self.confirm_leave():
            return None

        def op(progress: Callable[[float, str], None]) -> object:
            return operations.import_file(journal, path, progress)

        def done(result: object) -> None:
            errors.show_message(self, getattr(result, "text", "Imported."))
            self.checkin.reload_unless_typing()
            self._if_built("History", lambda s: cast("HistoryScreen", s).refresh())
            self._if_built("Trends", lambda s: cast("TrendsScreen", s).mark_stale())
            self._if_built("Care plan", lambda s: cast("CarePlanScreen", s).refresh())
            self.refresh_banner()

        return run_in_background(
            self,
            op,
            success=done,
            doing="importing",
            progress=lambda f, t: self.statusBar().showMessage(f"Importing… {t}"),
        )

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in recent_journals():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.switch_journal(Path(p)))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _on_new_action_triggered(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New journal", str(Path.home() / "journal.sqlite3"), "Journals (*.sqlite3)"
        )
        if name:
            path = Path(name)
            if path.exists():
                errors.show_message(
                    self, f"{path.name} already exists; use Open journal to open it."
                )
                return
            self.switch_journal(path)

    def _on_open_action_triggered(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open journal", str(Path.home()), "Journals (*.sqlite3);;All files (*)"
        )
        if name:
            self.switch_journal(Path(name))

    # journals ----------------------------------------------------------------

    def open_journal(self, path: Path, *, demo: bool = False, rows_first: bool = False) -> bool:
        """Open ``path`` (making the demo journal if asked) and show it.

        ``rows_first`` (at start-up): a plain, up-to-date journal's check-in is built and
        painted from the day read with plain sqlite3, and the journal (SQLAlchemy, about
        0.3 s) opens on the event-loop turn after the rows are painted."""
        from mbc_journal.errors import CorruptJournalError, JournalError
        from mbc_journal.ui.single import AppLock, ask_running_app_to_show

        unlocked = self._unlock_if_encrypted(path)
        if unlocked is False:
            return False
        try:
            paths.check_journal_folder(path)
            from mbc_journal import operations

            # Another program's file, a newer journal or a backup is refused before the
            # lock, so no lock file is ever left beside it.
            operations.refuse_other_files(path)
        except JournalError as error:
            self._refuse(error)
            return False
        lock = AppLock(path)
        if not lock.acquire():
            if not lock.held_elsewhere():
                # A command is changing it, or the lock file cannot be made: say what is
                # true, never "already open".
                self._refuse(lock.error or JournalError("The journal could not be opened."))
                return False
            shown = ask_running_app_to_show(path)
            text = (
                f"{path.name} is already open in MBC Journal ({lock.owner()})"
                + ("; that window was brought to the front." if shown else ".")
                + " One window per journal keeps it safe."
            )
            self.placeholder.setText(text)
            errors.show_message(self, text)
            self.refused_as_second = True
            return False
        if rows_first and self._show_first_read(path, demo=demo, lock=lock):
            return True
        from mbc_journal.journal import Journal

        try:
            if demo and not path.exists():
                from mbc_journal import operations

                journal = operations.make_demo(path, replace=False)
            else:
                journal = Journal.open(path)
        except CorruptJournalError as error:
            lock.release()
            return self._offer_restore(path, error)
        except JournalError as error:
            lock.release()
            self._refuse(error)
            return False
        if self._lock is not None:
            self._lock.release()
        self._lock = lock
        lock.raise_requested.connect(self._on_raise_requested)
        self._show_journal(journal, demo=demo)
        self._finish_encryption(path)
        if not demo:
            remember_journal(str(path))
            self.backup_in_background()  # the check-in is usable meanwhile
        if isinstance(unlocked, str):  # opened with the recovery key: a new passphrase now
            recovered = unlocked
            QTimer.singleShot(0, lambda: self.change_encryption("change", current=recovered))
        return True

    def _show_first_read(self, path: Path, *, demo: bool, lock: AppLock) -> bool:
        """Show the check-in from the day read with plain sqlite3, if this journal can
        be read so (plain, up to date, writable) and Today is the screen to show."""
        if self.journal is not None or self._built or self._opening is not None:
            return False
        if str(ui_settings().value("window/screen", "Today")) != "Today":
            return False
        from mbc_journal.day_view import read_day

        view = read_day(path)
        if view is None:
            return False
        self._lock = lock
        lock.raise_requested.connect(self._on_raise_requested)
        self._opening = (path, demo)
        self._show_checkin(view, path, demo=demo)
        return True

    def finish_opening(self) -> bool:
        """Open the journal whose check-in was read first, and hand it over (at once
        when the app is closing or the user needs it). False if it could not open: the
        window then says why, as when opening failed."""
        if self._opening is None:
            return self.journal is not None
        path, demo = self._opening
        self._opening = None
        from mbc_journal.errors import CorruptJournalError, JournalError
        from mbc_journal.journal import Journal

        try:
            journal = Journal.open(path)
        except CorruptJournalError as error:
            self._close_unopened()
            return self._offer_restore(path, error)
        except JournalError as error:
            self._close_unopened()
            self._refuse(error)
            return False
        self._adopt(journal, demo=demo)
        self._finish_encryption(path)
        if not demo:
            remember_journal(str(path))
            self.backup_in_background()
        return True

    def _close_unopened(self) -> None:
        """The check-in read first, taken down: its journal did not open."""
        for screen in self._built.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self._built.clear()
        self.nav.clear()
        self.save_action.setEnabled(False)
        self.stack.setCurrentWidget(self.placeholder)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # encryption and the lock ----------------------------------------------------

    def _unlock_if_encrypted(self, path: Path) -> bool | str:
        """Ask for an encrypted journal's passphrase (the window is already painted).
        True when there is nothing to ask or it was given; 'recovered' when the recovery
        key opened it; False when the user gave up (the placeholder says so)."""
        from mbc_journal import operations
        from mbc_journal.errors import JournalError
        from mbc_journal.ui.privacy import ask_to_unlock

        try:
            if not path.is_file() or not operations.is_encrypted(path):
                return True
            if operations.passphrase_known(path):
                return True
        except JournalError as error:  # encryption not available on this computer
            self._refuse(error)
            return False
        self.placeholder.setText(f"“{path.name}” is encrypted; it opens with its passphrase.")
        result = ask_to_unlock(self, path)
        if result is False:
            self.placeholder.setText(
                f"“{path.name}” is encrypted and was not opened.\n\nTo open it, choose it "
                f"again in File › Open recent and type its passphrase."
            )
        return result

    def _finish_encryption(self, path: Path) -> None:
        from mbc_journal import operations
        from mbc_journal.errors import JournalError

        try:
            encrypted = operations.is_encrypted(path)
            if operations.encryption_available():
                # What a killed conversion left: its copy, backups in the wrong form.
                operations.finish_encryption(path)
        except JournalError as error:
            self.statusBar().showMessage(str(error), 15000)
            encrypted = False
        self.lock_action.setEnabled(encrypted)

    def change_encryption(self, action: str, *, current: str = "") -> Task | None:
        """Settings' encryption buttons: 'encrypt', 'change', 'decrypt' or 'recovery'.
        The journal is closed while its copy is written and verified (this window keeps
        its lock, so no command writes meanwhile), then opened again."""
        from mbc_journal import operations
        from mbc_journal.ui import privacy
        from mbc_journal.ui.worker import run_in_background

        if self.journal is None:
            return None
        path = self.journal.path
        passphrase = current
        recovery = True
        if action in ("change", "decrypt", "recovery") and not current:
            intro = {
                "change": "To change the passphrase, first type the one in use now.",
                "decrypt": "The journal and its backups will be stored unencrypted, so "
                "anyone using this computer's account could read them. To go on, type the "
                "passphrase.",
                "recovery": "A new recovery key replaces the old one, which stops working. "
                "Type the passphrase to make it.",
            }[action]
            confirm = privacy.UnlockDialog(path, self, intro=intro, button="Go on")
            if not privacy.accepted(confirm):
                return None
            passphrase = confirm.passphrase.text()
        if action in ("encrypt", "change"):
            dialog = privacy.NewPassphraseDialog(
                "Encrypt the journal" if action == "encrypt" else "A new passphrase",
                "The journal and its backups will open only with this passphrase. A few "
                "words you will remember make a good one."
                if action == "encrypt"
                else "The journal and its backups will open only with the new passphrase.",
                self,
            )
            if not privacy.accepted(dialog):
                return None
            passphrase, recovery = dialog.passphrase(), dialog.make_recovery.isChecked()
        if action == "recovery":
            try:
                key = operations.make_recovery_key(path, passphrase)
            except Exception as error:  # noqa: BLE001
                errors.show_error(self, error, "making the recovery key")
                return None
            privacy.RecoveryKeyDialog(key, self).exec()
            return None
        if not self.confirm_leave():
            return None
        doing = {
            "encrypt": "Encrypting",
            "change": "Changing the passphrase of",
            "decrypt": "Decrypting",
        }[action]

        def op(_progress: Callable[[float, str], None]) -> tuple[str, int]:
            if action == "encrypt":
                converted = operations.encrypt(path, passphrase)
            elif action == "change":
                converted = operations.change_passphrase(path, passphrase)
            else:
                converted = operations.decrypt(path)
            skipped = int(getattr(converted, "skipped", 0))
            if action != "decrypt" and recovery:
                return operations.make_recovery_key(path, passphrase), skipped
            return "", skipped

        self._close_for_conversion(f"{doing} the journal and its backups…")

        def done(result: object) -> None:
            key, skipped = cast("tuple[str, int]", result)
            self._reopen(path)
            said = {
                "encrypt": "The journal and its backups are encrypted.",
                "change": "The passphrase is changed.",
                "decrypt": "The journal and its backups are stored unencrypted.",
            }[action]
            if action == "encrypt" and lock_minutes() == 0:
                self.set_lock_minutes(15)  # a journal worth a passphrase locks when left
            if skipped:
                said += (
                    f" {plural(skipped, 'older backup')} under another passphrase "
                    f"{'was' if skipped == 1 else 'were'} left as before."
                )
            self.statusBar().showMessage(said, 15000)
            if key:
                privacy.RecoveryKeyDialog(str(key), self).exec()
            elif action != "decrypt":
                errors.show_message(self, f"{said} No recovery key was made. {privacy.FORGOTTEN}")

        def failed(error: BaseException) -> None:
            errors.show_error(self, error, doing.lower())
            self._reopen(path)

        return run_in_background(self, op, success=done, failure=failed, doing=doing.lower())

    def _close_for_conversion(self, text: str) -> None:
        if self.journal is not None:
            self.journal.close()
        self.journal = None
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.nav.setEnabled(False)
        self.menuBar().setEnabled(False)

    def _reopen(self, path: Path) -> None:
        self.nav.setEnabled(True)
        self.menuBar().setEnabled(True)
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.open_journal(path)

    @property
    def locked(self) -> bool:
        return self.pages.currentWidget() is not self.journal_page

    def _on_idle(self) -> None:
        self.lock_now()

    def lock_now(self) -> bool:
        """Hide the journal behind the lock screen (an encrypted journal only). What is
        being typed stays where it is, unsaved, until the passphrase is typed."""
        from mbc_journal import operations

        if self.journal is None or self.locked or not operations.is_encrypted(self.journal.path):
            return False
        from mbc_journal.ui.privacy import LockScreen

        if self.lock_screen is None:
            self.lock_screen = LockScreen()
            self.lock_screen.unlocked.connect(self._on_unlocked)
            self.pages.addWidget(self.lock_screen)
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open menu
            popup.close()
            popup = QApplication.activePopupWidget()
        # Windows left open (a question, Versions, an edit) are covered, not closed: what
        # they hold stays, and a modal one, which takes the keyboard, can be unlocked
        # from its cover.
        for window in QApplication.topLevelWidgets():
            if window is self or not window.isVisible() or isinstance(window, LockScreen):
                continue
            # Nothing under the sheet takes the keyboard (Tab, Space, Ctrl+C) while locked.
            parts = window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            for part in parts:
                if part.isEnabled():
                    part.setEnabled(False)
                    self._disabled_parts.append(part)
            self._small_windows.append((window, window.minimumSize()))
            window.setMinimumSize(max(window.width(), 440), max(window.height(), 260))
            cover = LockScreen(window, cover=True)
            cover.unlocked.connect(self._on_unlocked)
            cover.begin(self.journal.path)
            cover.show()
            cover.raise_()
            cover.passphrase.setFocus()
            self._covers.append(cover)
        self.pages.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        # No shortcut reaches the journal while it is hidden (Ctrl+S, Ctrl+2, Ctrl+Z…).
        self._disabled_while_locked = [a for a in self.findChildren(QAction) if a.isEnabled()]
        for action in self._disabled_while_locked:
            action.setEnabled(False)
        self.lock_screen.begin(self.journal.path)
        return True

    def _on_unlocked(self) -> None:
        self.pages.setCurrentWidget(self.journal_page)
        self.menuBar().setEnabled(True)
        for action in self._disabled_while_locked:
            action.setEnabled(True)
        self._disabled_while_locked = []
        for cover in self._covers:
            cover.hide()
            cover.deleteLater()
        self._covers = []
        for part in self._disabled_parts:
            part.setEnabled(True)
        self._disabled_parts = []
        for window, size in self._small_windows:
            window.setMinimumSize(size)
        self._small_windows = []
        self.idle.poke()

    def set_lock_minutes(self, minutes: int) -> None:
        ui_settings().setValue("privacy/lock_minutes", minutes)
        self.idle.set_minutes(minutes)

    def _refuse(self, error: JournalError) -> None:
        self.placeholder.setText(f"{error}\n\nUse File › Open journal to choose another file.")
        errors.show_error(self, error)

    def check_reminder(self, now: dt.datetime | None = None) -> bool:
        """Remind once a day, at the chosen time, if nothing is logged yet today."""
        if self.journal is None:
            return False
        from mbc_journal.errors import JournalError

        now = now or dt.datetime.now()
        try:
            when = self.journal.reminder()
            if when is None or now.time() < when or self._reminded_on == now.date():
                return False
            if self.journal.entries_on(now.date()):
                return False
        except JournalError:
            return False
        self._reminded_on = now.date()
        text = "Time for today's check-in. It takes about a minute."
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip("MBC Journal")
            self.tray.messageClicked.connect(self._on_raise_requested)
            self.tray.show()
        if self.tray is not None:
            self.tray.showMessage("MBC Journal", text)
        self.statusBar().showMessage(text, 10 * 60 * 1000)
        QApplication.alert(self)
        return True

    def _on_raise_requested(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _offer_restore(self, path: Path, error: Exception) -> bool:
        """A damaged journal: say so plainly and offer the newest good backup."""
        from mbc_journal import operations
        from mbc_journal.ui.single import AppLock

        good = operations.newest_good(path)
        self.placeholder.setText(str(error))
        if good is None:
            errors.show_error(self, error)
            return False
        if not self.ask_restore(
            f"{error}\n\nRestore the backup from {good.label}? The damaged "
            f"file is kept aside, not deleted."
        ):
            return False
        lock = AppLock(path)  # no command may write while the backup goes in
        if not lock.acquire():
            errors.show_error(self, lock.error or error)
            return False
        try:
            operations.restore(path, good.path)
        except Exception as restore_error:  # noqa: BLE001
            errors.show_error(self, restore_error, "restoring the backup")
            return False
        finally:
            lock.release()
        return self.open_journal(path)

    def ask_restore(self, text: str) -> bool:
        answer = QMessageBox.question(self, "MBC Journal", text)
        return answer == QMessageBox.StandardButton.Yes

    def backup_in_background(self) -> Task | None:
        """The automatic backup, off the GUI thread (a 20-year journal takes ~0.2 s)."""
        if self.journal is None or self.backup_task is not None:
            return None
        from mbc_journal import operations
        from mbc_journal.ui.worker import run_in_background

        path = self.journal.path
        folder = operations.backup_folder(path)  # decided here, where the settings are
        # Bound methods, so the results are dropped if the window is gone by then.
        self.backup_task = run_in_background(
            self,
            lambda _progress: operations.automatic_backup(path, folder=folder),
            success=self._on_backup_done,
            failure=self._on_backup_failed,
        )
        return self.backup_task

    def _on_backup_done(self, _result: object = None) -> None:
        self.backup_task = None

    def _on_backup_failed(self, error: BaseException) -> None:
        self.backup_task = None
        self.statusBar().showMessage(f"The automatic backup did not work: {error}", 15000)

    def backup_now(self) -> None:
        """The automatic backup, here and now (on closing): only if the journal changed."""
        if self.journal is None:
            return
        from mbc_journal import operations
        from mbc_journal.errors import JournalError

        try:
            operations.automatic_backup(self.journal.path)
        except (JournalError, OSError) as error:
            self.statusBar().showMessage(f"The automatic backup did not work: {error}", 15000)

    def restore_backup(self, backup_path: Path) -> bool:
        """Restore from Settings: keep a copy of the journal as it is, then reopen."""
        from mbc_journal import operations
        from mbc_journal.errors import JournalError

        if self.journal is None:
            return False
        path = self.journal.path
        from mbc_journal.errors import PassphraseNeededError
        from mbc_journal.ui import privacy

        try:
            operations.verify_backup(backup_path)
        except PassphraseNeededError:
            # A backup made under another passphrase (before it was changed, or copied in).
            ask = privacy.UnlockDialog(
                backup_path,
                self,
                intro=f"The backup {backup_path.name} was made under another passphrase. "
                "Type that passphrase to restore it; the journal keeps its own.",
                button="Restore",
            )
            if not privacy.accepted(ask):
                return False
        except JournalError as error:
            errors.show_error(self, error)
            return False
        self.journal.close()  # this window keeps the lock: no command writes meanwhile
        try:
            operations.restore(path, backup_path)
        except (JournalError, OSError) as error:
            errors.show_error(self, error, "restoring the backup")
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.journal = None
        return self.open_journal(path)

    def switch_journal(self, path: Path) -> None:
        if self._opening is not None and not self.finish_opening():
            return
        if not self.confirm_leave():
            return
        previous = self.journal
        if previous is not None and previous.path.resolve() == path.resolve():
            return
        if self.open_journal(path) and previous is not None:
            previous.close()

    def _show_journal(self, journal: Journal, *, demo: bool) -> None:
        self._show_checkin(journal, journal.path, demo=demo)
        self._adopt(journal, demo=demo)

    def _show_checkin(self, source: Journal | DayView, path: Path, *, demo: bool) -> None:
        """Build and show the check-in (from the journal, or from the day read first)."""
        from mbc_journal.ui.checkin import CheckInScreen

        for screen in self._built.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self._built.clear()
        self.undo_stack.clear()
        self._screens_journal = None
        self._wanted_screen = ""
        self.checkin = CheckInScreen(source)
        self._built["Today"] = self.checkin
        self.stack.addWidget(self.checkin)
        self._connect_checkin()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.addItems(list(SCREENS))
        self.nav.blockSignals(False)
        self.save_action.setEnabled(True)
        suffix = " (demo, invented data)" if demo else ""
        self.setWindowTitle(f"{path.name}[*]{suffix} — MBC Journal")
        # Today first, without recording it as the screen last shown (_adopt shows that).
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(SCREENS.index("Today"))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.checkin)
        self._watch_rows_painted()

    def _adopt(self, journal: Journal, *, demo: bool) -> None:
        """The journal is open: the check-in and the other screens work on it."""
        self.journal = journal
        self._screens_journal = journal
        if self.checkin.journal is None:
            self.checkin.set_journal(journal)
        wanted = self._wanted_screen or str(ui_settings().value("window/screen", "Today"))
        self._wanted_screen = ""
        if wanted != "Today" and wanted in self.screens:
            self.show_screen(wanted)
        self.refresh_banner()
        self.welcome = None
        if journal.welcome_needed():
            self.show_welcome()
        self.journal_opened.emit(journal)

    def _watch_rows_painted(self) -> None:
        """checkin_painted once the check-in's first shown rating is painted; then a
        journal read first opens, on the next event-loop turn."""
        from mbc_journal.ui.widgets.rating import RatingInput

        first = next(
            (r for r in self.checkin.findChildren(RatingInput) if r.isVisibleTo(self.checkin)),
            None,
        )
        self._rows_watch = _FirstPaint(first or self.checkin, self._on_rows_painted)

    def _on_rows_painted(self) -> None:
        self._rows_watch = None
        self.checkin_painted.emit()
        if self._opening is not None:
            QTimer.singleShot(0, self.finish_opening)

    def show_welcome(self) -> None:
        """The first-use panel, at the top of the check-in (it scrolls with it)."""
        from mbc_journal.ui.welcome import WelcomePanel

        if self.journal is None:
            return
        if self.welcome is not None:
            self.welcome.deleteLater()
        self.welcome = WelcomePanel(self.journal)
        self.welcome.finished.connect(self._on_welcome_finished)
        self.checkin.sections_layout.insertWidget(0, self.welcome)
        self.welcome.show()
        self.show_screen("Today")
        self.checkin.scroll_area.verticalScrollBar().setValue(0)
        # The keyboard (and a screen reader) starts in the welcome, not on the rating
        # under it: the panel is heard first.
        self.welcome.focus_first()

    def _on_welcome_finished(self, caregiver: str) -> None:
        from mbc_journal.model import Role
        from mbc_journal.ui.settings_screen import SettingsScreen

        if caregiver:
            ui_settings().setValue("checkin/person", f"{Role.CAREGIVER.value}:{caregiver}")
        if self.welcome is not None:
            self.welcome.hide()
            self.welcome.deleteLater()
            self.welcome = None
        if self.journal is None:
            return
        self._on_settings_saved()  # the check-in shows the new sites and people
        if "Settings" in self._built:  # it shows the choices just made
            settings = SettingsScreen(self.journal)
            self._connect_settings(settings)
            self._replace_screen("Settings", settings)
        self.checkin.status.setText(
            "Welcome — your choices are saved. Your first check-in is below."
        )
        self.checkin.focus_first_row()  # from the closed panel to the first rating

    def _size_nav(self) -> None:
        """The screen list's text a little larger than the app's, and wide enough for it."""
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.nav.setFont(font)
        metrics = self.nav.fontMetrics()
        widest = max(metrics.horizontalAdvance(name) for name in SCREENS)
        self.nav.setFixedWidth(max(150, widest + 3 * metrics.horizontalAdvance("M")))

    def _on_text_size_changed(self) -> None:
        self._size_nav()
        # The chart's text follows when it is next drawn.
        self._if_built("Trends", lambda s: cast("TrendsScreen", s).mark_stale())

    # screens, built when first shown ------------------------------------------

    @property
    def history(self) -> HistoryScreen:
        return cast("HistoryScreen", self._screen("History"))

    @property
    def trends(self) -> TrendsScreen:
        return cast("TrendsScreen", self._screen("Trends"))

    @property
    def care_plan(self) -> CarePlanScreen:
        return cast("CarePlanScreen", self._screen("Care plan"))

    @property
    def report(self) -> ReportScreen:
        return cast("ReportScreen", self._screen("Report"))

    @property
    def settings(self) -> SettingsScreen:
        return cast("SettingsScreen", self._screen("Settings"))

    def _screen(self, name: str) -> QWidget:
        """The screen called ``name``, built now if it was not yet."""
        built = self._built.get(name)
        if built is None:
            built = self._build_screen(name)
            self._built[name] = built
            self.stack.addWidget(built)
        return built

    def _if_built(self, name: str, then: Callable[[QWidget], object]) -> None:
        """Tell a screen about a change only if it exists: one built later reads it fresh."""
        built = self._built.get(name)
        if built is not None:
            then(built)

    def _build_screen(self, name: str) -> QWidget:
        journal = self._screens_journal
        if journal is None or "Today" not in self._built:
            raise KeyError(name)
        if name == "History":
            from mbc_journal.ui.history import HistoryScreen

            history = HistoryScreen(journal, self.undo_stack)
            history.entries_changed.connect(self._on_history_entries_changed)
            return history
        if name == "Trends":
            from mbc_journal.ui.trends import TrendsScreen

            return TrendsScreen(journal)
        if name == "Care plan":
            from mbc_journal.ui.careplan_screen import CarePlanScreen

            care_plan = CarePlanScreen(journal)
            care_plan.care_plan_changed.connect(self._on_care_plan_changed)
            return care_plan
        if name == "Report":
            from mbc_journal.ui.report_screen import ReportScreen

            return ReportScreen(journal)
        if name == "Settings":
            from mbc_journal.ui.settings_screen import SettingsScreen

            settings = SettingsScreen(journal)
            self._connect_settings(settings)
            return settings
        raise KeyError(name)

    def _on_history_entries_changed(self) -> None:
        self.checkin.reload_unless_typing()
        self.refresh_banner()
        self._if_built("Trends", lambda s: cast("TrendsScreen", s).mark_stale())

    def _connect_settings(self, settings: SettingsScreen) -> None:
        settings.settings_saved.connect(self._on_settings_saved)
        settings.restore_requested.connect(self.restore_backup)
        settings.welcome_requested.connect(self.show_welcome)
        settings.text_size_changed.connect(self._on_text_size_changed)
        settings.encryption_requested.connect(self.change_encryption)
        settings.lock_minutes_changed.connect(self.set_lock_minutes)

    def _replace_screen(self, name: str, new: QWidget) -> None:
        old = self._built[name]
        current = self.stack.currentWidget() is old
        self.stack.insertWidget(self.stack.indexOf(old), new)
        self.stack.removeWidget(old)
        old.deleteLater()
        self._built[name] = new
        if current:
            self.stack.setCurrentWidget(new)

    def _connect_checkin(self) -> None:
        self.checkin.checkin_saved.connect(self._on_checkin_saved)
        self.checkin.dirty_changed.connect(self.setWindowModified)

    def _on_checkin_saved(self, _day: object) -> None:
        self._if_built("History", lambda s: cast("HistoryScreen", s).refresh())
        self._if_built("Trends", lambda s: cast("TrendsScreen", s).mark_stale())
        self.refresh_banner()

    def refresh_banner(self) -> None:
        """Show urgent, unacknowledged signals of the last week with the care team's numbers."""
        if self.journal is None:
            return
        from mbc_journal.errors import JournalError
        from mbc_journal.ui.signals_view import contacts_text, current_signals

        try:
            found = current_signals(self.journal)
            self.banner.show_signals(found, contacts_text(self.journal, found))
        except JournalError as error:
            errors.show_error(self, error)

    def _on_banner_acknowledged(self) -> None:
        from mbc_journal.ui.signals_view import acknowledge

        if self.journal is not None and acknowledge(self, self.journal, self.banner.shown):
            self.refresh_banner()
            self.checkin.refresh_signals()

    def _on_care_plan_changed(self) -> None:
        self._if_built("Trends", lambda s: cast("TrendsScreen", s).mark_stale())
        self.checkin.refresh_plan()
        self.checkin.refresh_signals()
        self.refresh_banner()

    def _on_settings_saved(self) -> None:
        """Rebuild the check-in so new sites, items and people show up."""
        from mbc_journal.ui.checkin import CheckInScreen

        if self.journal is None:
            return
        day = self.checkin.day()
        if self.checkin.dirty and not self.checkin.resolve_unsaved():
            return
        self.checkin = CheckInScreen(self.journal)
        self.checkin.set_day(day)
        self._connect_checkin()
        self._replace_screen("Today", self.checkin)

    # navigation ----------------------------------------------------------------

    def show_screen(self, name: str) -> None:
        if name not in self.screens:
            if name in SCREENS and self._opening is not None:
                self._wanted_screen = name  # shown once the journal is open
            return
        self.nav.setCurrentRow(SCREENS.index(name))
        self.stack.setCurrentWidget(self.screens[name])

    def current_screen(self) -> str:
        for name, screen in self.screens.items():
            if self.stack.currentWidget() is screen:
                return name
        return ""

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(SCREENS) and self._opening is not None:
            self._wanted_screen = SCREENS[row]  # shown once the journal is open
        if 0 <= row < len(SCREENS) and SCREENS[row] in self.screens:
            name = SCREENS[row]
            leaving = self.stack.currentWidget()
            settings = self._built.get("Settings")
            if (
                settings is not None
                and leaving is settings
                and name != "Settings"
                and not self.settings.resolve_unsaved()
            ):
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(SCREENS.index("Settings"))
                self.nav.blockSignals(False)
                return
            if name == "History":
                self.history.refresh()
            elif name == "Report":
                self.report.update_preview()
            self.stack.setCurrentWidget(self.screens[name])
            ui_settings().setValue("window/screen", name)

    # closing -------------------------------------------------------------------

    def confirm_leave(self) -> bool:
        """Before quitting or closing the journal: unsaved check-in or settings are
        saved, discarded or kept open, as the user says."""
        if self._opening is not None:
            self.finish_opening()  # what was typed meanwhile can be saved only to it
        if "Today" in self._built and self.checkin.dirty and not self.checkin.resolve_unsaved():
            return False
        # Settings never opened has nothing unsaved.
        return "Settings" not in self._built or self.settings.resolve_unsaved()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.locked and self.lock_screen is not None:
            # Nobody may save or discard the hidden check-in without the passphrase.
            event.ignore()
            self.lock_screen.say_close_first()
            return
        if not self.confirm_leave():
            event.ignore()
            return
        ui_settings().setValue("window/geometry", self.saveGeometry())
        self.idle.set_minutes(0)  # stop watching the app's input
        if self.journal is not None:
            self.backup_now()
            self.journal.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        event.accept()


class _FirstPaint(QObject):
    """Calls ``then`` once, on the event-loop turn after ``widget`` is first painted
    (never inside the paint: a slot may grab or repaint the window)."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


__all__ = ["MainWindow", "QMessageBox"]
