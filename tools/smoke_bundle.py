"""Smoke test of the built desktop bundle, run by hand (a build takes about 30-60 s and
needs the ``bundle`` extra, which CI does not install): ``python tools/smoke_bundle.py``.

Runs ``dist/mbc-journal/mbc-journal`` the way a user's machine would: a new empty HOME,
PATH without any venv or pyenv, no PYTHON* variables. Checks the version, a demo
journal, a PDF report, a FHIR export, the update safety of the journal (an older
journal from tests/fixtures is migrated after a verified backup; a journal of a newer
app is refused), the desktop menu entry, and, under Xvfb, that the window opens on the
journal, a screenshot of it, and that Ctrl+Q quits with status 0. Prints what it saw;
docs/install.md records a run. ``--build`` builds the bundle first; ``--compare
PROGRAM`` also times a pip-installed ``mbc-journal`` to the window.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "mbc-journal" / "mbc-journal"
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"


class Failed(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    parser.add_argument("--build", action="store_true", help="run tools/build_bundle.py first")
    parser.add_argument("--compare", type=Path, default=None, metavar="PROGRAM")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs for the medians")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "build" / "bundle-window.png")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        # A real X server for the window checks (apt-get install xvfb x11-utils xdotool).
        # Not xvfb-run's first choice, :99: another user of this machine's /tmp starting
        # an Xvfb there at the same moment takes the display away mid-run.
        display = str(300 + os.getpid() % 500)
        screen = "-screen 0 1280x800x24"
        command = ["xvfb-run", "-a", "-n", display, "-s", screen, sys.executable, *sys.argv]
        return subprocess.run(command).returncode
    if args.build:
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_bundle.py")], check=True)
    bundle = args.bundle.resolve()
    if not bundle.is_file():
        sys.stderr.write(f"smoke_bundle: no bundle at {bundle}; build it with --build.\n")
        return 2
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mbc-smoke-") as tmp:
        home = Path(tmp)
        checks = [
            ("version", lambda: check_version(bundle, home)),
            ("report and FHIR", lambda: check_report_and_fhir(bundle, home)),
            ("encryption", lambda: check_encryption(bundle, home)),
            ("older journal migrated after a backup", lambda: check_migration(bundle, home)),
            ("newer journal refused", lambda: check_newer_refused(bundle, home)),
            ("menu entry", lambda: check_menu_entry(bundle, home)),
            ("window", lambda: check_window(bundle, home, args.screenshot)),
            ("start-up", lambda: check_startup(bundle, args.compare, home, args.runs)),
        ]
        for name, check in checks:
            try:
                said = check()
                print(f"ok    {name}: {said}")
            except Failed as error:
                failures += 1
                print(f"FAIL  {name}: {error}")
    # Symbolic links (Qt's libQt6Core.so.6 -> ...) are not counted twice: what du reports.
    size = sum(
        p.stat().st_size for p in bundle.parent.rglob("*") if p.is_file() and not p.is_symlink()
    )
    print(f"bundle size: {size / 2**20:.1f} MiB unpacked ({bundle.parent})")
    print("all checks passed" if not failures else f"{failures} check(s) failed")
    return 1 if failures else 0


def environment(home: Path, **extra: str) -> dict[str, str]:
    """A user's session: no venv, no pyenv, no Python variables, a HOME of its own."""
    env = {"HOME": str(home), "PATH": CLEAN_PATH, "LANG": "C.UTF-8"}
    for key in ("DISPLAY", "XAUTHORITY"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra)
    return env


def run(program: Path, home: Path, *args: str, code: int = 0, path: str = CLEAN_PATH) -> str:
    result = subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        env=environment(home, PATH=path),
        cwd=home,
    )
    if result.returncode != code:
        raise Failed(
            f"'{' '.join(args)}' exited {result.returncode} (wanted {code}): "
            f"{(result.stderr or result.stdout).strip()[-400:]}"
        )
    return result.stdout + result.stderr


def check_version(bundle: Path, home: Path) -> str:
    return run(bundle, home, "--version").strip()


def check_report_and_fhir(bundle: Path, home: Path) -> str:
    run(bundle, home, "demo", "--days", "90")
    pdf = home / "report.pdf"
    started = time.monotonic()
    said = run(bundle, home, "--demo", "report", "-o", str(pdf)).strip()
    report_time = time.monotonic() - started
    if not pdf.read_bytes().startswith(b"%PDF"):
        raise Failed("the report is not a PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(ROOT / "build" / "bundle-report"),
            ],
            check=False,
        )
    fhir = home / "fhir.json"
    run(bundle, home, "--demo", "export", "--format", "fhir", "-o", str(fhir))
    data = json.loads(fhir.read_text())
    if data.get("resourceType") != "Bundle" or not data.get("entry"):
        raise Failed("the FHIR export is not a Bundle with entries")
    kinds = sorted({e["resource"]["resourceType"] for e in data["entry"]})
    return (
        f"{said} in {report_time:.1f} s; FHIR Bundle of {len(data['entry'])} ({', '.join(kinds)})"
    )


def check_encryption(bundle: Path, home: Path) -> str:
    """Encrypt a journal with the bundle's SQLCipher and its key derivation, read it with
    the passphrase, refuse it without, and find no plain symptom in it."""
    journal = home / "secret" / "journal.sqlite3"
    journal.parent.mkdir()
    run(bundle, home, "--db", str(journal), "log", "bone pain", "6", "--note", "bundle-note")
    secret = home / "passphrase"
    secret.write_text("a bundle passphrase\n")
    started = time.monotonic()
    said = run(bundle, home, "--db", str(journal), "encrypt", "--new-passphrase-file", str(secret))
    took = time.monotonic() - started
    if "Encrypted the journal" not in said or b"bundle-note" in journal.read_bytes():
        raise Failed(f"encrypt did not encrypt: {said.strip()}")
    listed = run(bundle, home, "--db", str(journal), "--passphrase-file", str(secret), "list")
    if "bundle-note" not in listed:
        raise Failed("the encrypted journal did not open with its passphrase")
    refused = subprocess.run(
        [str(bundle), "--db", str(journal), "list"],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    if refused.returncode != 2 or "is encrypted" not in refused.stderr:
        raise Failed(f"without the passphrase: exit {refused.returncode}, {refused.stderr!r}")
    return f"encrypted in {took:.1f} s, opened with the passphrase, refused without"


def check_migration(bundle: Path, home: Path) -> str:
    old = home / "old" / "journal.sqlite3"
    old.parent.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "journal-0001.sqlite3", old)
    before = revision(old)
    said = run(bundle, home, "--db", str(old), "check")
    if "revision 0004" not in said and revision(old) == before:
        raise Failed(f"not migrated: {said.strip()}")
    listed = run(bundle, home, "--db", str(old), "backups")
    backups = [Path(line.strip()) for line in listed.splitlines() if line.startswith("    ")]
    if not backups:
        raise Failed(f"no backup was made before the migration: {listed.strip()}")
    with sqlite3.connect(f"file:{backups[0]}?mode=ro", uri=True) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok" or revision(backups[0]) != before:
        raise Failed(f"the backup is {integrity}, revision {revision(backups[0])}")
    backup = f"backup {backups[0].name} (revision {before}, integrity ok)"
    return f"revision {before} -> {revision(old)}; {backup}"


def check_newer_refused(bundle: Path, home: Path) -> str:
    newer = home / "newer.sqlite3"
    shutil.copy(ROOT / "tests" / "fixtures" / "journal-0003.sqlite3", newer)
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE alembic_version SET version_num = '0999'")
    before = newer.read_bytes()
    said = run(bundle, home, "--db", str(newer), "list", code=2).strip()
    if "newer version" not in said or newer.read_bytes() != before:
        raise Failed(f"not refused as newer, or the file changed: {said}")
    return said


def check_menu_entry(bundle: Path, home: Path) -> str:
    # install-desktop runs gtk-update-icon-cache where the theme has a cache: a stand-in
    # records the environment a program the bundle starts gets.
    tools = home / "stand-ins"
    tools.mkdir(exist_ok=True)
    seen = home / "child-environment.txt"
    stand_in = tools / "gtk-update-icon-cache"
    stand_in.write_text(f"#!/bin/sh\nenv > '{seen}'\n")
    stand_in.chmod(0o755)
    cache = home / ".local/share/icons/hicolor/icon-theme.cache"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"")
    run(bundle, home, "install-desktop", path=f"{tools}:{CLEAN_PATH}")
    if not seen.is_file():
        raise Failed("install-desktop did not refresh the icon cache")
    leaked = [
        line
        for line in seen.read_text().splitlines()
        if line.startswith(("LD_LIBRARY_PATH=", "QT_PLUGIN_PATH=", "QML2_IMPORT_PATH="))
        or (str(bundle.parent) in line.split("=", 1)[-1] and not line.startswith("_PYI_"))
    ]
    if leaked:
        raise Failed(f"a program the bundle starts inherits the bundle's paths: {leaked}")
    cache.unlink()
    entry = home / ".local" / "share" / "applications" / "mbc-journal.desktop"
    text = entry.read_text()
    if f"Exec={bundle}" not in text and f'Exec="{bundle}"' not in text:
        raise Failed(f"Exec is not the bundle: {text}")
    icons = sorted(
        p.parent.parent.name for p in (home / ".local/share/icons/hicolor").rglob("mbc-journal.*")
    )
    valid = "not checked (no desktop-file-validate)"
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        if result.returncode != 0:
            raise Failed(f"desktop-file-validate: {result.stdout.strip()}")
        valid = "valid (desktop-file-validate)"
    menu = as_the_desktop_sees_it(home)
    run(bundle, home, "uninstall-desktop")
    if entry.exists():
        raise Failed("uninstall-desktop left the entry")
    if as_the_desktop_sees_it(home).startswith("GLib's menu lists it"):
        raise Failed("GLib's menu still lists the entry after uninstall-desktop")
    child = "a program it starts gets no LD_LIBRARY_PATH or Qt paths of the bundle"
    return f"{entry.name} {valid}, icons {', '.join(icons)}; {menu}; {child}; removed again"


# What a GNOME or other GTK desktop's menu reads (Debian: python3-gi, gir1.2-gtk-3.0):
# GLib's list of applications from the XDG folders, and GTK's icon theme lookup of the
# entry's Icon name.
DESKTOP_LOOKUP = """
import gi
gi.require_version("Gio", "2.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gio, Gtk
[app] = [a for a in Gio.AppInfo.get_all() if a.get_id() == "mbc-journal.desktop"] or [None]
if app is None:
    print("not listed")
else:
    icon = app.get_icon().to_string()
    theme = Gtk.IconTheme.get_default()
    found = {s: theme.lookup_icon(icon, s, 0) for s in (16, 48, 256)}
    files = {s: i.get_filename() for s, i in found.items() if i is not None}
    print(
        f"GLib's menu lists it ({app.get_display_name()!r}, shown: {app.should_show()}, "
        f"icon {icon!r}); GTK's icon theme finds "
        + ", ".join(f"{s} px: {f.split('/icons/')[1]}" for s, f in files.items())
    )
"""


def as_the_desktop_sees_it(home: Path) -> str:
    system_python = Path("/usr/bin/python3")
    probe = subprocess.run(
        [str(system_python), "-c", DESKTOP_LOOKUP],
        capture_output=True,
        text=True,
        env=environment(home),
    )
    if probe.returncode != 0:
        return "GLib/GTK lookup not run (apt-get install python3-gi gir1.2-gtk-3.0)"
    return probe.stdout.strip()


# The main window's title once a journal is open: "journal.sqlite3 — MBC Journal", or
# "demo.sqlite3 (demo, invented data) — MBC Journal"; before that it is "MBC Journal".
JOURNAL_TITLE = re.compile(r'"[^"]*\.sqlite3[^"]* — MBC Journal"')


def window_ids(title: re.Pattern[str]) -> list[str]:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in tree.splitlines() if title.search(line)]


def start_and_wait(
    program: Path, home: Path, *args: str
) -> tuple[subprocess.Popen[bytes], float, str]:
    """Start the app; seconds until its window shows the opened journal's title."""
    before = set(window_ids(JOURNAL_TITLE))  # another app still open is not this one
    started = time.monotonic()
    process = subprocess.Popen(
        [str(program), *args],
        env=environment(home),
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    while time.monotonic() - started < 60:
        found = [w for w in window_ids(JOURNAL_TITLE) if w not in before]
        if found:
            return process, time.monotonic() - started, found[0]
        if process.poll() is not None:
            said = process.stderr.read().decode()  # type: ignore[union-attr]
            raise Failed(f"{program} exited {process.returncode}: {said.strip()[:1500]}")
        time.sleep(0.02)
    process.kill()
    raise Failed("no window with the journal within 60 s")


def quit_app(process: subprocess.Popen[bytes], window: str) -> int:
    if shutil.which("xdotool"):
        subprocess.run(["xdotool", "windowfocus", "--sync", window], capture_output=True)
        subprocess.run(["xdotool", "key", "--window", window, "ctrl+q"], capture_output=True)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return -9


def check_window(bundle: Path, home: Path, screenshot: Path) -> str:
    if not shutil.which("xwininfo"):
        raise Failed("xwininfo is missing (apt-get install x11-utils)")
    process, seconds, window = start_and_wait(bundle, home, "--demo")
    try:
        return use_window(process, seconds, window, home, screenshot)
    finally:
        if process.poll() is None:  # a check failed with the app still open
            process.kill()
            process.wait()


def use_window(
    process: subprocess.Popen[bytes], seconds: float, window: str, home: Path, screenshot: Path
) -> str:
    time.sleep(2)  # the check-in fills in after the first paint
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    shot = "no screenshot (no ImageMagick import)"
    if shutil.which("import"):
        subprocess.run(["import", "-window", "root", str(screenshot)], check=False)
        shot = f"screenshot {screenshot}"
    identity = window_identity(window)
    trends = "Trends not opened (no xdotool)"
    if shutil.which("xdotool"):
        # Trends draws with matplotlib's Qt canvas and numpy (built without BLAS here).
        subprocess.run(["xdotool", "windowfocus", "--sync", window], capture_output=True)
        subprocess.run(["xdotool", "key", "--window", window, "ctrl+3"], capture_output=True)
        time.sleep(4)
        if process.poll() is not None:
            raise Failed(f"the app exited {process.returncode} on opening Trends")
        trends_shot = screenshot.with_name(f"{screenshot.stem}-trends.png")
        if shutil.which("import"):
            subprocess.run(["import", "-window", "root", str(trends_shot)], check=False)
        trends = f"Trends opened (Ctrl+3), {trends_shot.name}; {save_chart_as_svg(window, home)}"
    code = quit_app(process, window)
    if code != 0:
        raise Failed(f"Ctrl+Q did not quit cleanly (status {code}); {shot}")
    held = [p.name for p in (home / ".local/share/mbc-journal").glob("*.lock") if locked(p)]
    if held:
        raise Failed(f"the journal is still locked after quitting: {held}")
    quit_said = "Ctrl+Q quit with 0, the journal's lock released"
    return f"journal shown after {seconds:.2f} s; {identity}; {shot}; {trends}; {quit_said}"


def save_chart_as_svg(window: str, home: Path) -> str:
    """Trends' "Save chart…" (matplotlib's SVG backend, which savefig imports by name):
    the button is clicked where it sits, at the right of the second row, and the path
    typed into Qt's file dialog."""
    saved = home / "chart.svg"
    shell = subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True
    ).stdout
    width = int(re.search(r"WIDTH=(\d+)", shell).group(1))  # type: ignore[union-attr]
    xdotool = ["xdotool", "mousemove", "--window", window, str(width - 60), "72", "click", "1"]
    subprocess.run(xdotool, capture_output=True)
    time.sleep(2)
    subprocess.run(["xdotool", "key", "ctrl+a"], capture_output=True)
    subprocess.run(["xdotool", "type", "--delay", "20", str(saved)], capture_output=True)
    subprocess.run(["xdotool", "key", "Return"], capture_output=True)
    time.sleep(2)
    if not saved.is_file() or b"<svg" not in saved.read_bytes()[:2000]:
        raise Failed("Save chart… wrote no SVG file (the button not hit, or the save failed)")
    return f"chart saved as SVG ({saved.stat().st_size // 1024} KiB)"


def locked(path: Path) -> bool:
    """Whether a process still holds the lock (filelock keeps the file, unlocked)."""
    import fcntl

    with path.open("rb") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(file, fcntl.LOCK_UN)
        return False


def window_identity(window: str) -> str:
    """What a dock matches to the menu entry: the X11 class (StartupWMClass), the desktop
    file name Qt publishes, and the icon Qt set on the window."""
    props = subprocess.run(
        ["xprop", "-id", window, "WM_CLASS", "_KDE_NET_WM_DESKTOP_FILE", "_NET_WM_ICON"],
        capture_output=True,
        text=True,
    ).stdout
    wm_class = re.search(r'WM_CLASS\(STRING\) = "([^"]*)", "([^"]*)"', props)
    if wm_class is None or wm_class.group(2) != "MBC Journal":
        raise Failed(f"the window's class is not StartupWMClass 'MBC Journal': {props[:300]}")
    desktop_file = re.search(r'_KDE_NET_WM_DESKTOP_FILE\(UTF8_STRING\) = "([^"]*)"', props)
    if desktop_file is None or desktop_file.group(1) != "mbc-journal":
        raise Failed(f"the window names no desktop file mbc-journal: {props[:300]}")
    icon = re.search(r"_NET_WM_ICON\(CARDINAL\) = ([^\n]*)", props)
    if icon is None:
        raise Failed("the window has no icon (_NET_WM_ICON)")
    sizes = re.findall(r"Icon \((\d+) x \d+\)", props)
    return (
        f"WM_CLASS {wm_class.group(1)!r}, {wm_class.group(2)!r}; desktop file "
        f"{desktop_file.group(1)}; _NET_WM_ICON {'/'.join(sizes) or 'set'} px"
    )


def check_startup(bundle: Path, compare: Path | None, home: Path, runs: int) -> str:
    """Median seconds to the window with the journal open, alternating the two programs."""
    programs = {"bundle": bundle}
    if compare is not None:
        programs["pip"] = compare.resolve()
    times: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, program in programs.items():
            process, seconds, window = start_and_wait(program, home, "--demo")
            times[name].append(seconds)
            quit_app(process, window)
    medians = {name: statistics.median(values) for name, values in times.items()}
    said = ", ".join(f"{name} {medians[name]:.2f} s" for name in programs)
    if "pip" in medians:
        said += f" (bundle/pip {medians['bundle'] / medians['pip']:.2f}x)"
    return f"median of {runs} to the journal's window: {said}"


def revision(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


if __name__ == "__main__":
    sys.exit(main())
