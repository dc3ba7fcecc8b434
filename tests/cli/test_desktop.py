"""install-desktop / uninstall-desktop: the menu entry and icons in the user's XDG folders."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from mbc_journal import desktop
from mbc_journal.cli import main


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    return home / ".local" / "share"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_install_writes_the_entry_and_every_icon_size(data_home: Path) -> None:
    code, out, err = run("install-desktop")
    assert (code, err) == (0, "")
    entry = data_home / "applications" / "mbc-journal.desktop"
    values = entry_values(entry)
    command = desktop.launch_command()
    assert Path(command[0]).is_absolute()
    assert values["Exec"] == desktop.exec_line(command)
    assert values["TryExec"] == desktop.exec_line(command[:1])
    assert values["Icon"] == "mbc-journal"
    assert values["StartupWMClass"] == "MBC Journal"
    assert values["Terminal"] == "false"
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "mbc-journal.svg"
    assert svg.read_bytes().startswith(b"<svg")
    for size in desktop.PNG_SIZES:  # Qt is there in the test venv: every size is drawn
        png = data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "mbc-journal.png"
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
    assert str(entry) in out and "uninstall-desktop" in out
    assert not list(data_home.rglob(".*.part"))  # written through temporary names


def test_the_entry_is_valid_for_desktop_file_validate(data_home: Path) -> None:
    assert run("install-desktop")[0] == 0
    entry = data_home / "applications" / "mbc-journal.desktop"
    validator = shutil.which("desktop-file-validate")
    if validator is None:  # Debian's desktop-file-utils; the checks above still ran
        return
    result = subprocess.run([validator, str(entry)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if "error:" in line]
    assert problems == []


def test_installing_twice_is_an_update_and_uninstall_removes_everything(
    data_home: Path,
) -> None:
    assert run("install-desktop")[0] == 0
    first = sorted(p for p in data_home.rglob("*") if p.is_file())
    code, _, err = run("install-desktop")
    assert (code, err) == (0, "")
    assert sorted(p for p in data_home.rglob("*") if p.is_file()) == first
    code, out, err = run("uninstall-desktop")
    assert (code, err) == (0, "")
    assert "no longer in your applications menu" in out
    assert [p for p in data_home.rglob("*") if p.is_file()] == []
    code, out, err = run("uninstall-desktop")
    assert (code, err) == (0, "")
    assert "nothing to remove" in out


def test_uninstall_leaves_other_apps_and_the_journal(data_home: Path, private_home: Path) -> None:
    other = data_home / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    journal = private_home / "journal.sqlite3"
    journal.write_bytes(b"kept")
    assert run("install-desktop")[0] == 0
    assert run("uninstall-desktop")[0] == 0
    assert other.exists() and journal.read_bytes() == b"kept"


def test_a_read_only_folder_is_one_sentence_and_changes_nothing(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root writes through chmod 0444 (TESTING.md): the write check itself says no.
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: False if mode & os.W_OK else real_access(path, mode, **kw),
    )
    code, out, err = run("install-desktop")
    assert code == 2 and out == ""
    assert err.startswith("mbc-journal: MBC Journal cannot write in ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Nothing was changed." in err
    assert not data_home.exists() or not [p for p in data_home.rglob("*") if p.is_file()]


def test_a_file_where_a_folder_should_be_is_one_sentence(data_home: Path) -> None:
    data_home.parent.mkdir(parents=True, exist_ok=True)
    data_home.write_text("not a folder")
    code, out, err = run("install-desktop")
    assert code == 2 and out == ""
    assert "is a file, not a folder" in err and err.count("\n") == 1


def test_a_write_that_fails_halfway_takes_back_what_it_wrote(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = run("install-desktop")
    assert code == 2
    assert "(the disk is full)" in err and "Nothing was changed." in err
    assert [p for p in data_home.rglob("*") if p.is_file() and not p.name.endswith(".part")] == []


def test_other_systems_are_told_where_to_look(data_home: Path) -> None:
    with pytest.raises(desktop.DesktopError, match="is for Linux desktops"):
        desktop.install(platform="darwin")
    with pytest.raises(desktop.DesktopError, match="is for Linux desktops"):
        desktop.uninstall(platform="win32")


def test_the_bundle_starts_its_own_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/MBC Journal/mbc-journal")
    assert desktop.launch_command() == ["/opt/MBC Journal/mbc-journal"]
    assert desktop.exec_line(desktop.launch_command()) == '"/opt/MBC Journal/mbc-journal"'


def test_exec_quotes_what_the_spec_reserves() -> None:
    assert desktop.exec_line(["/usr/bin/mbc-journal"]) == "/usr/bin/mbc-journal"
    assert desktop.exec_line(["/a b/python", "-m", "mbc_journal"]) == '"/a b/python" -m mbc_journal'
    # $ and " are escaped inside quotes, then every backslash is doubled (a string value).
    assert desktop.exec_line(['/x/$HOME"s/p']) == '"/x/\\\\$HOME\\\\"s/p"'
    assert desktop.exec_line(["/x/100%/p"]) == "/x/100%%/p"


def test_a_relative_xdg_data_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert desktop.data_home() == tmp_path / ".local" / "share"


def test_without_qt_every_icon_size_is_installed(
    data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PNG sizes are shipped, not drawn: a wheel installed without its GUI
    libraries still gets the menu entry with every icon size."""
    for name in ("PySide6", "PySide6.QtGui", "PySide6.QtSvg", "mbc_journal.ui.icons"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails
    done = desktop.install()
    assert done.png_sizes == desktop.PNG_SIZES
    assert {p.suffix for p in done.files} == {".desktop", ".svg", ".png"}
    for size in desktop.PNG_SIZES:
        png = data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "mbc-journal.png"
        assert png.read_bytes().startswith(b"\x89PNG")
