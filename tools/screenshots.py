"""Screenshots of every screen on the demo journal, for docs/screenshots/fit.

Run under Xvfb with an empty HOME, e.g. 200 % on 1920x1080:

    HOME=$(mktemp -d) QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 1920x1080x24" \\
        .venv/bin/python tools/screenshots.py docs/screenshots/fit 960x540 200pct
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from mbc_journal import paths
from mbc_journal.ui import app
from mbc_journal.ui.main_window import SCREENS


def settle(qa: QApplication, turns: int) -> None:
    for _ in range(turns):
        qa.processEvents()
        time.sleep(0.02)


def main(out: Path, size: str, prefix: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    window = app.start(paths.demo_journal_path(), demo=True)
    qa = QApplication.instance()
    assert window is not None and isinstance(qa, QApplication)
    deadline = time.time() + 30
    while time.time() < deadline and window.journal is None:
        settle(qa, 1)
    width, height = (int(n) for n in size.split("x"))
    window.resize(width, height)
    settle(qa, 30)
    for name in SCREENS:
        window.show_screen(name)
        settle(qa, 40)
        window.grab().save(str(out / f"{prefix}-{name.lower().replace(' ', '-')}.png"))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
