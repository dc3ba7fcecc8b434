"""Window state and app preferences (not journal data) in an ini file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from mbc_journal import paths


def ui_settings() -> QSettings:
    folder = paths.ensure_private_dir(paths.config_dir())
    return QSettings(str(folder / "mbc-journal.ini"), QSettings.Format.IniFormat)


def recent_journals() -> list[str]:
    value = ui_settings().value("recent_journals", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_journal(path: str, limit: int = 8) -> None:
    items = [path] + [p for p in recent_journals() if p != path]
    ui_settings().setValue("recent_journals", items[:limit])


def last_folder(kind: str) -> Path:
    """The folder last chosen for this kind of file (report, export, chart), else home."""
    value = ui_settings().value(f"folders/{kind}", "")
    folder = Path(str(value)) if value else Path.home()
    return folder if folder.is_dir() else Path.home()


def remember_folder(kind: str, path: Path) -> None:
    ui_settings().setValue(f"folders/{kind}", str(Path(path).parent))
