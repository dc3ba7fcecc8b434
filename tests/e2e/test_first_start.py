"""The installed ``mbc-journal`` started as a new user would: an empty HOME, no data
folder, no config. These run the real console script in a subprocess (offscreen)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("mbc-journal")
PROBE = Path(__file__).with_name("probe")


def _env(home: Path, out: Path, *, hold: bool = False) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "MBC_JOURNAL")) and k not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    env.update(
        HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(PROBE),
        MBC_PROBE_OUT=str(out),
    )
    if hold:
        env["MBC_PROBE_HOLD"] = "1"
    return env


def _start(home: Path, out: Path, *args: str, hold: bool = False) -> subprocess.Popen[str]:
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    return subprocess.Popen(
        [str(SCRIPT), *args],
        env=_env(home, out, hold=hold),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _state(out: Path) -> dict[str, object]:
    return json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def _data(home: Path) -> Path:
    return home / ".local" / "share" / "mbc-journal"


def _opens_on_the_check_in(home: Path, out: Path, *args: str) -> None:
    """Run the app until it shows something; it must be the check-in, with no dialog."""
    app = _start(home, out, *args)
    _stdout, stderr = app.communicate(timeout=120)
    state = _state(out)
    assert app.returncode == 0, stderr
    assert state.get("dialogs") == [], state
    assert state.get("screen") == "CheckInScreen", state


def test_a_first_start_shows_the_check_in_on_a_new_journal(home: Path, tmp_path: Path) -> None:
    _opens_on_the_check_in(home, tmp_path / "state.json")
    journal = _data(home) / "journal.sqlite3"
    assert journal.is_file() and journal.stat().st_size > 0
    assert _mode(journal) == 0o600
    assert _mode(_data(home)) == 0o700
    assert not (_data(home) / "demo.sqlite3").exists()


def test_demo_on_a_fresh_machine_opens_without_touching_the_real_journal(
    home: Path, tmp_path: Path
) -> None:
    _opens_on_the_check_in(home, tmp_path / "state.json", "--demo")
    demo = _data(home) / "demo.sqlite3"
    assert demo.is_file() and _mode(demo) == 0o600
    assert not (_data(home) / "journal.sqlite3").exists()


def test_a_second_start_raises_the_first_window_and_exits(home: Path, tmp_path: Path) -> None:
    first_out, second_out = tmp_path / "first.json", tmp_path / "second.json"
    first = _start(home, first_out, hold=True)
    try:
        deadline = time.monotonic() + 90
        while _state(first_out).get("screen") != "CheckInScreen":
            assert first.poll() is None, first.communicate()[1]
            assert time.monotonic() < deadline, _state(first_out)
            time.sleep(0.2)
        second = _start(home, second_out)
        _stdout, stderr = second.communicate(timeout=60)
        assert second.returncode == 0, stderr
        assert not second_out.exists(), "the second start opened a window of its own"
        deadline = time.monotonic() + 10
        while not _state(first_out).get("raised"):
            assert time.monotonic() < deadline, "the first window was not asked to the front"
            time.sleep(0.1)
        assert first.poll() is None, "the first app must keep running"
    finally:
        first.terminate()
        first.communicate(timeout=30)


def test_looser_data_folders_are_tightened(home: Path, tmp_path: Path) -> None:
    data = _data(home)
    (data / "backups").mkdir(parents=True)
    os.chmod(data, 0o755)
    os.chmod(data / "backups", 0o777)
    out = tmp_path / "state.json"
    app = _start(home, out)
    app.communicate(timeout=90)
    assert _state(out).get("screen") == "CheckInScreen"
    assert _mode(data) == 0o700
    assert _mode(data / "backups") == 0o700


def test_the_window_names_its_menu_entry_and_shows_its_icon(home: Path, tmp_path: Path) -> None:
    """The desktop file name is the entry install-desktop writes (docks and Wayland match
    the window to it); the application name is the X11 class in StartupWMClass; the icon
    draws (the SVG plugins are there) for the app and for the window."""
    from mbc_journal import desktop

    out = tmp_path / "state.json"
    _opens_on_the_check_in(home, out)
    state = _state(out)
    entry = desktop.desktop_entry(["/opt/mbc-journal/mbc-journal"])
    assert f"{state['desktop_file_name']}.desktop" == desktop.DESKTOP_FILE
    assert f"\nIcon={state['desktop_file_name']}\n" in entry
    assert f"\nStartupWMClass={state['application_name']}\n" in entry
    assert state["app_icon_sizes"] == [16, 48, 256]
    assert state["window_icon_sizes"] == [16, 48, 256]
