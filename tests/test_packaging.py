"""The wheel and the sdist people install from (issue 20): everything the app reads at
run time is inside, and the version comes from one place."""

from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import mbc_journal

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel and an sdist built from a copy of the source tree (about 5 s): the copy
    keeps other work's build/ and egg-info out of them."""
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    out = tmp / "dist"
    wheel = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert wheel.returncode == 0, wheel.stderr
    # The sdist with the setuptools pyproject.toml asks for (pip's isolated build does
    # the same for the wheel); the venv's own may be older.
    backend = tmp / "backend"
    fetched = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(backend), "setuptools>=77"],
        capture_output=True,
        text=True,
    )
    assert fetched.returncode == 0, fetched.stderr
    sdist = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(backend)!r}); "
            f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})",
        ],
        capture_output=True,
        text=True,
        cwd=source,
    )
    assert sdist.returncode == 0, sdist.stderr
    [whl] = out.glob("mbc_journal-*.whl")
    [tgz] = out.glob("mbc_journal-*.tar.gz")
    return whl, tgz


def _runtime_files() -> set[str]:
    """Every file the installed app reads that is not Python: resources and migrations."""
    names = {
        f"mbc_journal/resources/{p.name}"
        for p in (ROOT / "resources").iterdir()
        if p.is_file() and p.suffix != ".pyc"
    }
    for p in (ROOT / "mbc_journal" / "db" / "migrations").rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts:
            names.add(p.relative_to(ROOT).as_posix())
    return names


def test_the_wheel_holds_every_resource_and_migration(built: tuple[Path, Path]) -> None:
    whl, _ = built
    names = set(zipfile.ZipFile(whl).namelist())
    expected = _runtime_files()
    for name in (
        "mbc_journal/resources/catalogue.toml",
        "mbc_journal/resources/icon.svg",
        "mbc_journal/resources/mbc-journal.desktop",
        "mbc_journal/db/migrations/script.py.mako",
        "mbc_journal/db/migrations/env.py",
        "mbc_journal/db/migrations/versions/0001_initial.py",
    ):
        assert name in expected
    assert expected <= names, sorted(expected - names)
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "tools/"))]


def test_the_version_is_the_packages_own(built: tuple[Path, Path]) -> None:
    whl, tgz = built
    assert whl.name.startswith(f"mbc_journal-{mbc_journal.__version__}-")
    assert tgz.name == f"mbc_journal-{mbc_journal.__version__}.tar.gz"
    with zipfile.ZipFile(whl) as archive:
        [meta] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.Parser().parsestr(archive.read(meta).decode())
        entry_points = archive.read(meta.replace("METADATA", "entry_points.txt")).decode()
    assert headers["Version"] == mbc_journal.__version__
    assert "mbc-journal = mbc_journal.cli:entry_point" in entry_points
    # The bundle's tool is an extra of its own: CI's '.[test]' never installs it.
    extras = headers.get_all("Provides-Extra") or []
    assert {"test", "bundle"} <= set(extras)
    requires = headers.get_all("Requires-Dist") or []
    assert not [r for r in requires if "pyinstaller" in r.lower() and 'extra == "test"' in r]


def test_the_sdist_builds_the_same_app(built: tuple[Path, Path]) -> None:
    _, tgz = built
    with tarfile.open(tgz) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for name in _runtime_files():
        source_name = name.replace("mbc_journal/resources/", "resources/")
        assert source_name in names, source_name
    assert "pyproject.toml" in names


def test_the_version_option_says_the_one_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mbc_journal", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"mbc-journal {mbc_journal.__version__}"
