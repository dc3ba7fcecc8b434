"""The main window (minimal until the desktop-app issue lands)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("MBC Journal")
        self.resize(900, 650)
        self.status = QLabel("Opening your journal…")
        self.setCentralWidget(self.status)
        self.journal = None

    def open_journal(self, path: Path, *, demo: bool = False) -> None:
        from mbc_journal.errors import JournalError

        try:
            if demo and not path.exists():
                from mbc_journal import demo as demo_module
                from mbc_journal.journal import Journal

                journal = Journal.open(path)
                demo_module.generate(journal)
            else:
                from mbc_journal.journal import Journal

                journal = Journal.open(path)
        except JournalError as error:
            QMessageBox.warning(self, "MBC Journal", str(error))
            return
        self.journal = journal
        self.setWindowTitle(f"MBC Journal — {path.name}")
        self.status.setText(f"{journal.count_entries()} entries")
