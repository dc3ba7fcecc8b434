"""What the app refuses to open leaves nothing beside it (found by a tester)."""

from __future__ import annotations

from pathlib import Path

from mbc_journal.ui.main_window import MainWindow
from tests.helpers import digest, other_programs_file


def test_another_programs_file_is_refused_before_the_lock(
    window: MainWindow, tmp_path: Path, dialogs: list[str]
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    other = other_programs_file(folder / "photos.db")
    before = digest(other)
    assert not window.open_journal(other)
    assert any("another program" in d for d in dialogs)
    assert sorted(p.name for p in folder.iterdir()) == ["photos.db"]  # no photos.db.lock
    assert digest(other) == before
