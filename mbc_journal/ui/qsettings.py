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


TEXT_SIZES = (100, 125, 150, 200)  # per cent, the choices in Settings
_base_point_size: list[float] = []  # the system's font size, before any scaling


def text_scale() -> float:
    """The chosen text size as a factor (1.0 = the system's size)."""
    try:
        percent = int(str(ui_settings().value("ui/text_size", 100)))
    except ValueError:
        percent = 100
    return (percent if percent in TEXT_SIZES else 100) / 100


def apply_text_scale(percent: int | None = None) -> float:
    """Set the whole app's text size (and keep it when ``percent`` is given)."""
    from PySide6.QtWidgets import QApplication

    if percent is not None:
        ui_settings().setValue("ui/text_size", percent)
    scale = text_scale()
    font = QApplication.font()
    if not _base_point_size:
        _base_point_size.append(font.pointSizeF())
    font.setPointSizeF(_base_point_size[0] * scale)
    QApplication.setFont(font)
    return scale


LOCK_MINUTES = (0, 5, 15, 60)  # the choices in Settings; 0: never


def lock_minutes() -> int:
    """Minutes without use before an encrypted journal's window locks (0: never)."""
    try:
        minutes = int(str(ui_settings().value("privacy/lock_minutes", 0)))
    except ValueError:
        return 0
    return minutes if minutes in LOCK_MINUTES else 0
