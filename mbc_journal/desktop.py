"""The applications menu entry on Linux desktops: ``mbc-journal install-desktop``.

Writes the ``.desktop`` file and the icon into the user's own XDG folders (no root, no
system folder), with ``Exec`` the absolute path of the program running now: the
bundle's binary, or the venv's or pipx's ``mbc-journal`` script. ``StartupWMClass``
is what Qt names the window's class on X11 (the application name set in ``ui.app``),
so the dock shows the window under the menu entry's icon; on Wayland the desktop file
name set there does the same.

No Qt here: the PNG sizes are shipped beside the SVG (``resources/icon-<size>.png``,
drawn by ``tools/render_icons.py``; a test keeps them matching the SVG).
"""

from __future__ import annotations

import errno
import importlib.resources
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mbc_journal import APP_ID, WM_CLASS
from mbc_journal.errors import JournalError

DESKTOP_FILE = f"{APP_ID}.desktop"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)


class DesktopError(JournalError):
    """The menu entry cannot be installed or removed here; nothing was changed."""


@dataclass(frozen=True)
class Installed:
    files: list[Path]
    png_sizes: tuple[int, ...]


def png_name(size: int) -> str:
    """The shipped PNG of the icon at ``size`` pixels, in mbc_journal.resources."""
    return f"icon-{size}.png"


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share (a relative value is ignored, as the XDG spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    import platformdirs

    if sys.platform.startswith("linux"):
        return platformdirs.user_data_path()  # reads XDG_DATA_HOME the same way
    return Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """The absolute command that starts this same installation of the app."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its own binary
        return [str(Path(sys.executable).absolute())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name in (APP_ID, f"{APP_ID}.exe") and script.is_file():
        # Not resolved: pipx's ~/.local/bin link keeps working across an upgrade.
        return [str(script.absolute())]
    beside = Path(sys.executable).parent / APP_ID
    if beside.is_file():
        return [str(beside.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "mbc_journal"]


def exec_line(command: Sequence[str]) -> str:
    """``command`` as a desktop entry's Exec value (quoting as the spec asks)."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    parts = []
    for arg in command:
        if any(c in reserved for c in arg) or not arg:
            arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
        parts.append(arg.replace("%", "%%"))
    # The value is itself a desktop-entry string, where a backslash is written twice.
    return " ".join(parts).replace("\\", "\\\\")


def desktop_entry(command: Sequence[str]) -> str:
    """The shipped .desktop file with Exec (and TryExec) set to ``command``."""
    template = (importlib.resources.files("mbc_journal.resources") / DESKTOP_FILE).read_text(
        encoding="utf-8"
    )
    lines = []
    for line in template.splitlines():
        key = line.split("=", 1)[0].strip()
        if key in ("TryExec", "StartupWMClass"):
            continue
        if key == "Exec":
            lines.append(f"Exec={exec_line(command)}")
            lines.append(f"TryExec={exec_line(command[:1])}")
            lines.append(f"StartupWMClass={WM_CLASS}")
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def targets(home: Path) -> dict[str, Path]:
    """Every file install writes, by what it is."""
    icons = home / "icons" / "hicolor"
    found = {"desktop": home / "applications" / DESKTOP_FILE}
    found["svg"] = icons / "scalable" / "apps" / f"{APP_ID}.svg"
    for size in PNG_SIZES:
        found[f"png{size}"] = icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    return found


def install(home: Path | None = None, *, platform: str = sys.platform) -> Installed:
    """Write the menu entry and the icons (again, if they are there: that is an update)."""
    _only_on_linux(platform, "install-desktop")
    home = home or data_home()
    files = targets(home)
    resources = importlib.resources.files("mbc_journal.resources")
    svg = (resources / "icon.svg").read_bytes()
    pngs = {size: (resources / png_name(size)).read_bytes() for size in PNG_SIZES}
    contents: dict[Path, bytes] = {
        files["desktop"]: desktop_entry(launch_command()).encode("utf-8"),
        files["svg"]: svg,
    }
    for size, data in pngs.items():
        contents[files[f"png{size}"]] = data
    for path in contents:
        _check_writable(path.parent, "installed")
    written: list[Path] = []
    try:
        for path, data in contents.items():
            _write(path, data)
            written.append(path)
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        raise DesktopError(
            f"MBC Journal could not write {path} ({_reason(error)}), so the menu entry was "
            f"not installed. Nothing was changed."
        ) from None
    _refresh(home)
    return Installed(files=written, png_sizes=tuple(sorted(pngs)))


def uninstall(home: Path | None = None, *, platform: str = sys.platform) -> list[Path]:
    """Remove what install wrote; the files removed (none if it was not installed)."""
    _only_on_linux(platform, "uninstall-desktop")
    home = home or data_home()
    present = [p for p in targets(home).values() if p.is_file() or p.is_symlink()]
    for path in present:
        _check_writable(path.parent, "removed")
    removed: list[Path] = []
    for path in present:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise DesktopError(
                f"MBC Journal could not remove {path} ({_reason(error)}); "
                f"{len(removed)} of its {len(present)} files were removed."
            ) from None
        removed.append(path)
    if removed:
        _refresh(home)
    return removed


def supported(platform: str = sys.platform) -> bool:
    """Whether this system's menus read XDG .desktop files (Linux and the BSDs)."""
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def installed(home: Path | None = None) -> bool:
    """Whether the menu entry is there (written by this or another installation)."""
    return targets(home or data_home())["desktop"].is_file()


def _only_on_linux(platform: str, command: str) -> None:
    if not supported(platform):
        raise DesktopError(
            f"'{command}' is for Linux desktops; on macOS and Windows the bundle's own "
            f"installer adds MBC Journal to the system (see docs/install.md)."
        )


def _check_writable(folder: Path, done: str) -> None:
    """One sentence before anything is written if ``folder`` cannot be made or written."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise DesktopError(
            f"{existing} is a file, not a folder, so the menu entry cannot be {done} in "
            f"{folder}. Nothing was changed."
        )
    if not os.access(existing, os.W_OK):
        raise DesktopError(
            f"MBC Journal cannot write in {existing} (no permission, or a read-only disk), "
            f"so the menu entry was not {done}. Nothing was changed."
        )


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary name, so a half-written entry never shows in a menu."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    os.chmod(part, 0o644)
    os.replace(part, path)


def _refresh(home: Path) -> None:
    """Tell an icon cache that may hold the old state; desktops watch the applications
    folder themselves (the entry has no MIME types, so no mimeinfo.cache is needed)."""
    icons = home / "icons" / "hicolor"
    if icons.is_dir():
        os.utime(icons)  # GTK checks the theme folder's time stamp
        tool = shutil.which("gtk-update-icon-cache")
        if tool and (icons / "icon-theme.cache").exists():
            subprocess.run([tool, "-q", "-t", "-f", str(icons)], capture_output=True, check=False)


def _reason(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission, or a read-only disk"
    return (error.strerror or type(error).__name__).lower()
