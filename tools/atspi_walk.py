#!/usr/bin/python3
"""Walk MBC Journal as a screen reader sees it (AT-SPI, what Orca reads).

    apt-get install -y xvfb at-spi2-core python3-pyatspi dbus-x11 xdotool libxcb-cursor0
    /usr/bin/python3 tools/atspi_walk.py [--python .venv/bin/python] [--days 14]

Starts Xvfb, a D-Bus session and the AT-SPI bus, then the app on a demo journal
with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 (the app runs under the project's venv;
this script needs the system python3 for pyatspi). It opens every screen from the
screen list through AT-SPI's selection interface and counts, among the objects
showing on that screen:

- interactive objects (buttons, boxes, fields, sliders, lists, tables, cells)
  without a name;
- ratings (spin buttons) without a value interface, or whose text — what a screen
  reader reads as the value — is empty or a bare number ("-1") instead of words.

Prints one line per screen and the totals; exits 1 if anything is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "entry",
    "password text",
    "spin button",
    "slider",
    "list",
    "list item",
    "table",
    "table cell",
    "page tab",
    "date editor",
    "tree",
    "tree item",
    "scroll bar",
}
RATING_ROLES = ("spin button", "slider")  # a rating is a spin button (it was a slider)
RATING_HELP = "Rating 0 to 10"  # how a rating's description starts
CELLS_PER_TABLE = 300  # the first rows are enough to see every column's kind of cell


def start_session(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    display = ":97"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    env["DISPLAY"] = display
    out = subprocess.run(
        ["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True, check=True
    ).stdout
    for line in out.splitlines():
        if "=" in line and line.startswith("DBUS_"):
            key, value = line.split("=", 1)
            env[key] = value.strip().rstrip(";").strip("'")
    bus = subprocess.Popen(
        ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    env["_PIDS"] = f"{xvfb.pid} {bus.pid}"
    return env


def walk(node, found: list, depth: int = 0) -> None:  # type: ignore[no-untyped-def]
    import pyatspi

    try:
        states = node.getState()
        role = node.getRoleName()
    except Exception:  # noqa: BLE001 — an object gone while walking
        return
    if not states.contains(pyatspi.STATE_SHOWING):
        return
    found.append(node)
    try:
        count = node.childCount
    except Exception:  # noqa: BLE001
        return
    if role in ("table", "tree table", "list") and count > CELLS_PER_TABLE:
        count = CELLS_PER_TABLE
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:  # noqa: BLE001
            continue
        if child is not None:
            walk(child, found, depth + 1)


def audit(frame) -> dict[str, object]:  # type: ignore[no-untyped-def]
    found: list = []
    walk(frame, found)
    unnamed, sliders, no_value = [], [], []
    interactive = 0
    for node in found:
        role = node.getRoleName()
        if role not in INTERACTIVE:
            continue
        interactive += 1
        name = (node.name or "").strip()
        parent_role = node.parent.getRoleName() if node.parent else ""
        # Parts Qt builds inside a control (a spin box's or combo's inner field, a
        # scroll area's bars) are read as the control they belong to.
        inner = parent_role in ("spin button", "combo box", "date editor")
        if not name and not inner and role != "scroll bar":
            unnamed.append(f"{role} in {parent_role}")
        if role in RATING_ROLES and (node.description or "").startswith(RATING_HELP):
            try:
                value = node.queryValue()
                current = value.currentValue
                said = node.queryText().getText(0, -1)
            except NotImplementedError:
                no_value.append(name or "?")
                continue
            sliders.append((name, current, said))
            # The value must be read in words ("6, moderate", "not logged"), never "-1".
            if current is None or not said or said.lstrip("-").isdigit():
                no_value.append(name)
    return {
        "objects": len(found),
        "interactive": interactive,
        "unnamed": unnamed,
        "sliders": sliders,
        "no_value": no_value,
    }


def find(node, role: str, depth: int = 0):  # type: ignore[no-untyped-def]
    if node is None or depth > 12:
        return None
    if node.getRoleName() == role:
        return node
    for i in range(min(node.childCount, 50)):
        hit = find(node.getChildAtIndex(i), role, depth + 1)
        if hit is not None:
            return hit
    return None


def open_screen(frame, index: int) -> None:  # type: ignore[no-untyped-def]
    """Open screen ``index`` as a keyboard user does: Ctrl+1 … Ctrl+6, typed with
    xdotool (XTest) into the app's window."""
    subprocess.run(
        [
            "xdotool",
            "search",
            "--name",
            "MBC Journal",
            "windowfocus",
            "--sync",
            "key",
            "--clearmodifiers",
            f"ctrl+{index + 1}",
        ],
        check=False,
        capture_output=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for tool in ("Xvfb", "dbus-launch", "xdotool"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install xvfb dbus-x11 at-spi2-core xdotool")
    tmp = Path(tempfile.mkdtemp())
    env = start_session(tmp)
    pids = [int(p) for p in env.pop("_PIDS").split()]
    os.environ.update(env)  # pyatspi talks to the same session bus
    import pyatspi

    app_env = {
        **env,
        "MBC_JOURNAL_HOME": str(tmp),
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_ACCESSIBILITY": "1",
    }
    db = tmp / "walk.sqlite3"
    subprocess.run(
        [args.python, "-m", "mbc_journal", "demo", "--days", str(args.days), "--db", str(db)],
        env=app_env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    prefix = os.environ.get("ATSPI_WALK_PREFIX", "").split()  # e.g. "gdb -batch -ex run --args"
    app = subprocess.Popen(
        [*prefix, args.python, "-X", "faulthandler", "-m", "mbc_journal", "--db", str(db)],
        env=app_env,
        cwd=ROOT,
        stdout=subprocess.PIPE if prefix else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    problems = 0
    try:
        frame = None
        for _ in range(60):
            time.sleep(0.5)
            desktop = pyatspi.Registry.getDesktop(0)
            apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
            ours = [a for a in apps if a is not None and "mbc" in (a.name or "").lower()]
            if ours and ours[0].childCount:
                frame = ours[0].getChildAtIndex(0)
                named = frame is not None and "MBC Journal" in (frame.name or "")
                if named and find(frame, "spin button") is not None:
                    break
        if frame is None:
            print("the app never appeared on the AT-SPI bus", file=sys.stderr)
            return 2
        nav = find(frame, "list")
        names = [nav.getChildAtIndex(i).name for i in range(nav.childCount)]
        print(
            f"{'screen':<12}{'showing':>9}{'interactive':>13}{'unnamed':>9}"
            f"{'ratings':>9}{'no value':>10}"
        )
        total_unnamed = total_no_value = 0
        for index, screen in enumerate(names):
            open_screen(frame, index)
            time.sleep(1.5)
            result = audit(frame)
            unnamed, sliders, no_value = result["unnamed"], result["sliders"], result["no_value"]
            total_unnamed += len(unnamed)  # type: ignore[arg-type]
            total_no_value += len(no_value)  # type: ignore[arg-type]
            print(
                f"{screen:<12}{result['objects']:>9}{result['interactive']:>13}"
                f"{len(unnamed):>9}{len(sliders):>9}{len(no_value):>10}"  # type: ignore[arg-type]
            )
            if args.verbose or unnamed or no_value:
                for what in unnamed:  # type: ignore[attr-defined]
                    print(f"    unnamed: {what}")
                for what in no_value:  # type: ignore[attr-defined]
                    print(f"    no value: {what}")
            if sliders and (args.verbose or index == 0):
                for name, current, text in sliders[:4]:  # type: ignore[index]
                    print(f"    rating {name!r}: value {current}, read as {text!r}")
        print(
            f"total: {total_unnamed} unnamed interactive objects, "
            f"{total_no_value} ratings without a value"
        )
        problems = total_unnamed + total_no_value
    except Exception:
        if app.poll() is not None:
            assert app.stderr is not None
            print(f"the app ended ({app.returncode}):", app.stderr.read().decode()[-6000:])
            if app.stdout is not None:
                print(app.stdout.read().decode()[-6000:])
        raise
    finally:
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
        dbus_pid = env.get("DBUS_SESSION_BUS_PID", "")
        for pid in [*pids, *([int(dbus_pid)] if dbus_pid.isdigit() else [])]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
