"""Save screenshots of each screen on the demo journal into docs/screenshots/.

QT_QPA_PLATFORM=offscreen python benchmarks/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MBC_JOURNAL_HOME"] = tempfile.mkdtemp()

from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv[:1])
    from mbc_journal import paths
    from mbc_journal.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1200, 820)
    window.show()
    window.open_journal(paths.demo_journal_path(), demo=True)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in window.screens:
        window.show_screen(name)
        app.processEvents()
        window.grab().save(str(OUT / f"{name.lower().replace(' ', '-')}.png"))
        print(OUT / f"{name.lower()}.png")
    window.journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
