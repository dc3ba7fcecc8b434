"""Rules of the code base that a test can hold: layering, lint, types, packaging."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_core_imports_without_qt() -> None:
    code = (
        "import sys\n"
        "import mbc_journal.journal, mbc_journal.cli, mbc_journal.catalogue, mbc_journal.demo\n"
        "heavy = ('PySide6', 'mbc_journal.ui', 'matplotlib', 'reportlab')\n"
        "bad = [m for m in sys.modules if m.startswith(heavy)]\n"
        "print(bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_import_contracts_hold() -> None:
    result = subprocess.run([tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run([tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_core_and_the_ui() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "mbc_journal").rglob("__init__.py")
    }
    assert on_disk <= listed


@pytest.mark.slow
def test_the_wheel_ships_resources_and_works_installed(tmp_path: Path) -> None:
    """Build the real wheel, install it elsewhere, and open a journal from it."""
    wheels = tmp_path / "wheels"
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("mbc_journal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mbc_journal/resources/catalogue.toml" in names
    assert "mbc_journal/db/migrations/env.py" in names
    assert "mbc_journal/db/migrations/versions/0001_initial.py" in names
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import sys, mbc_journal\n"
        f"assert mbc_journal.__file__.startswith({str(target)!r}), mbc_journal.__file__\n"
        "from mbc_journal.journal import Journal\n"
        f"j = Journal.open({str(tmp_path / 'j.sqlite3')!r})\n"
        "print(len(j.catalogue.items))\n"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            code.replace("import sys,", f"import sys; sys.path.insert(0, {str(target)!r}); import"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 40


def test_the_first_paint_path_does_not_load_the_database_layer() -> None:
    """The window must show before SQLAlchemy, Alembic, matplotlib or reportlab load
    (docs/performance.md): importing the start path may not pull them in."""
    code = (
        "import sys\n"
        "import mbc_journal.ui.app, mbc_journal.ui.main_window\n"
        "heavy = ('sqlalchemy', 'alembic', 'matplotlib', 'reportlab', 'mbc_journal.journal')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"


def test_the_check_in_is_built_and_painted_without_the_database_layer(
    tmp_path: Path,
) -> None:
    """Usable at start-up (issue 17): the check-in's rows are read with plain sqlite3,
    built, filled and painted before SQLAlchemy or the journal service is imported."""
    import datetime as dt

    from mbc_journal.journal import Journal

    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.save_checkin(dt.date.today(), {"fatigue": journal.draft("fatigue", 6)})
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from mbc_journal.ui.main_window import MainWindow\n"
        "heavy = ('sqlalchemy', 'alembic', 'matplotlib', 'reportlab', 'mbc_journal.journal')\n"
        "found = []\n"
        "w = MainWindow(); w.show()\n"
        "def painted():\n"
        "    found.append([m for m in heavy if m in sys.modules])\n"
        "    found.append(w.checkin.row('fatigue').input.value())\n"
        "    app.quit()\n"
        "w.checkin_painted.connect(painted)\n"
        "assert w.open_journal(Path(sys.argv[1]), rows_first=True)\n"
        "app.exec()\n"
        "print(found)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MBC_JOURNAL_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[[], 6]"
