"""Build the one-folder desktop bundle: ``python tools/build_bundle.py``.

Needs the ``bundle`` extra (``pip install '.[bundle]'``) in the Python that runs it.
Writes ``dist/mbc-journal/`` (the folder to ship; its ``mbc-journal`` program starts
the app, or runs a command like the pip-installed one) and a ``.tar.gz`` of it beside.
The same script builds on macOS and Windows (see docs/install.md).

Steps: build the wheel and unpack it into a staging folder, so the bundle holds exactly
what the wheel holds; run PyInstaller on a small launcher with the modules the app
never uses excluded; then remove the Qt files PyInstaller's hooks collect anyway that
the app cannot use (translations it never loads, plugins for other platforms and image
formats); report the size.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "mbc-journal"

LAUNCHER = """\
import os
import sys

import platformdirs

# PyInstaller's hook points matplotlib at a new temporary folder on every start, so its
# font list would be rebuilt for every report and every Trends screen (seconds on a
# desktop with many fonts): keep it where a pip install keeps it, in the cache folder.
os.environ["MPLCONFIGDIR"] = str(platformdirs.user_cache_path("mbc-journal") / "matplotlib")

from mbc_journal.cli import entry_point

sys.exit(entry_point())
"""

# Python modules the app never imports; some would be pulled in by optional imports of
# the libraries (matplotlib's other backends, Pillow's Tk support, numpy's tools).
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "PIL.ImageTk",
    "matplotlib.backends.backend_tkagg",
    "matplotlib.backends.backend_tkcairo",
    "matplotlib.backends.backend_gtk3agg",
    "matplotlib.backends.backend_gtk4agg",
    "matplotlib.backends.backend_wxagg",
    "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_nbagg",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtDBus",
    "PySide6.QtPrintSupport",
    "PySide6.QtUiTools",
    "IPython",
    "jedi",
    "pytest",
    "hypothesis",
    "mypy",
    "setuptools",
    "pkg_resources",
    "pip",
    "numpy.f2py",
    "numpy.distutils",
    "numpy.testing",
    "pydoc_data",
    "lib2to3",
    # The app opens no network connection: no TLS (OpenSSL is 5 MiB); hashlib falls
    # back on Python's own hashes.
    "ssl",
    "_ssl",
    "_hashlib",
    # Image formats the app never reads (Pillow's AVIF library alone is 5 MiB).
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
]

# Qt plugins the app uses on each system; every other plugin folder is removed.
KEEP_PLUGINS = {
    "platforms",  # the window system: trimmed below to KEEP_PLATFORMS
    "wayland-shell-integration",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "xcbglintegrations",
    "platformthemes",  # the desktop portal's file dialogs (GTK's is removed, below)
    "platforminputcontexts",  # input methods (accents, non-Latin keyboards)
    "iconengines",  # the SVG icon
    "imageformats",  # trimmed below to the formats the app reads
    "styles",
    "generic",  # touch and tablet input
}
KEEP_IMAGE_FORMATS = ("qsvg", "qico", "qjpeg", "qgif")  # PNG is built into QtGui
KEEP_PLATFORMS = ("qxcb", "qwayland", "qoffscreen", "qminimal.", "qwindows", "qcocoa")
# The GTK theme plugin would load the system's GTK over the bundle's older GLib (a
# classic crash of frozen Qt apps); Qt's own dialogs are used instead.
DROP_FILES = ("libqgtk3.so",)
# OpenSSL, which Qt's network hook collects for TLS: the app only talks to itself over a
# local socket (the second-start check), never over the network.
DROP_FILES += ("libssl.so.3", "libcrypto.so.3", "libssl.so.1.1", "libcrypto.so.1.1")
# matplotlib fonts the charts (mathtext off) and the report (DejaVu Sans) never use.
DROP_FONTS = ("STIX", "cm", "DejaVuSerif", "DejaVuSansDisplay")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder desktop bundle.")
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (dist/)"
    )
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz")
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__  # noqa: F401
    except ImportError:
        sys.stderr.write(
            "build_bundle: PyInstaller is not installed here; install the bundle extra "
            "first: pip install '.[bundle]'\n"
        )
        return 2
    started = time.monotonic()
    work = ROOT / "build" / "bundle"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    site = stage_wheel(work)
    launcher = work / "launcher.py"
    launcher.write_text(LAUNCHER)
    run_pyinstaller(launcher, site, work, args.dist)
    folder = args.dist / NAME
    removed = trim(folder)
    stripped = strip(folder)
    size = folder_size(folder)
    print(f"Removed {removed / 2**20:.1f} MiB of unused Qt and matplotlib files.")
    print(f"Stripped {stripped / 2**20:.1f} MiB of debugging symbols.")
    print(f"Bundle: {folder} ({size / 2**20:.1f} MiB unpacked, {count_files(folder)} files)")
    if not args.no_archive:
        archive = args.dist / f"{NAME}-{version(site)}-{platform_tag()}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=NAME)
        print(f"Archive: {archive} ({archive.stat().st_size / 2**20:.1f} MiB)")
    print(f"Built in {time.monotonic() - started:.0f} s.")
    return 0


def stage_wheel(work: Path) -> Path:
    """The wheel, unpacked: the bundle gets the package exactly as pip would install it."""
    wheels = work / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    [wheel] = wheels.glob("mbc_journal-*.whl")
    site = work / "site"
    shutil.unpack_archive(wheel, site, "zip")
    return site


def run_pyinstaller(launcher: Path, site: Path, work: Path, dist: Path) -> None:
    import PyInstaller.__main__

    package = site / "mbc_journal"
    sep = ";" if sys.platform == "win32" else ":"
    options = [
        str(launcher),
        "--name",
        NAME,
        "--onedir",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work / "pyinstaller"),
        "--specpath",
        str(work),
        "--paths",
        str(site),
        # Modules only data names: the resources package, the migration scripts Alembic
        # loads from their files (as data, beside their imports as modules).
        "--collect-submodules",
        "mbc_journal",
        "--hidden-import",
        "mbc_journal.resources",
        "--hidden-import",
        "alembic.op",
        "--hidden-import",
        "alembic.context",
        "--add-data",
        f"{package / 'resources'}{sep}mbc_journal/resources",
        "--add-data",
        f"{package / 'db' / 'migrations'}{sep}mbc_journal/db/migrations",
    ]
    for module in EXCLUDES:
        options += ["--exclude-module", module]
    if sys.platform in ("darwin", "win32"):
        options.append("--windowed")  # a .app on macOS; no console window on Windows
        icon = site / "mbc_journal" / "resources" / "icon.svg"
        if icon.exists() and shutil.which("magick"):
            options += ["--icon", str(icon)]
    PyInstaller.__main__.run(options)


def trim(folder: Path) -> int:
    """Remove Qt and matplotlib files the app cannot use, then the libraries only they
    needed; the bytes removed."""
    before = _needed_libraries(folder)
    removed = 0
    for qt in folder.rglob("PySide6"):
        if not qt.is_dir():
            continue
        for sub in (qt / "Qt" / "translations", qt / "translations"):
            removed += _remove(sub)  # the app installs no QTranslator (English only)
        for plugins in (qt / "Qt" / "plugins", qt / "plugins"):
            if not plugins.is_dir():
                continue
            for kind in plugins.iterdir():
                if kind.name not in KEEP_PLUGINS:
                    removed += _remove(kind)
            for kind, keep in (("imageformats", KEEP_IMAGE_FORMATS), ("platforms", KEEP_PLATFORMS)):
                if (plugins / kind).is_dir():
                    for plugin in (plugins / kind).iterdir():
                        if not plugin.name.removeprefix("lib").startswith(keep):
                            removed += _remove(plugin)
    for name in DROP_FILES:
        for found in folder.rglob(name):
            removed += _remove(found)
    for fonts in folder.rglob("mpl-data/fonts/ttf"):
        for font in fonts.iterdir():
            if font.name.startswith(DROP_FONTS):
                removed += _remove(font)
    if before is not None:
        after = _needed_libraries(folder) or set()
        # A library the removed plugins alone needed goes too; one nothing ever named as
        # needed (loaded by ctypes or dlopen) stays.
        for lib in sorted(before - after):
            for found in folder.rglob(lib):
                if found.is_file() and found.parent.name in ("_internal", "lib", "pillow.libs"):
                    removed += _remove(found)
    return removed


def strip(folder: Path) -> int:
    """Strip debugging symbols where they were left (a Python built by pyenv: 22 MiB in
    libpython alone; Cython extensions); the bytes saved. Linux only.

    Libraries that auditwheel vendored (``numpy.libs``, ``pillow.libs``) were rewritten by
    patchelf and strip breaks them (OpenBLAS then fails to load), so they are left, as
    are Qt's own, which come stripped.
    """
    tool = shutil.which("strip")
    if tool is None or not sys.platform.startswith("linux"):
        return 0
    saved = 0
    for path in folder.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        if any(part.endswith(".libs") or part == "Qt" for part in path.parts):
            continue
        size = path.stat().st_size
        if subprocess.run([tool, "--strip-unneeded", str(path)], capture_output=True).returncode:
            continue  # not an ELF file strip knows: left as it is
        saved += size - path.stat().st_size
    return saved


def _needed_libraries(folder: Path) -> set[str] | None:
    """The shared libraries named as needed by the bundle's ELF files, followed through
    what they need; None where readelf is missing (not Linux)."""
    readelf = shutil.which("readelf")
    if readelf is None or not sys.platform.startswith("linux"):
        return None
    needs: dict[str, set[str]] = {}
    roots: set[str] = set()
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as file:
            if file.read(4) != b"\x7fELF":
                continue
        out = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True).stdout
        names = {
            line.split("[", 1)[1].split("]", 1)[0]
            for line in out.splitlines()
            if "(NEEDED)" in line
        }
        needs[path.name] = names
        if path.parent.name not in ("_internal", "lib", "pillow.libs") or not path.name.startswith(
            "lib"
        ):
            roots.add(path.name)  # a program, a Python extension or a Qt plugin
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        for lib in needs.get(name, set()) - seen:
            seen.add(lib)
            todo.append(lib)
    return seen


def _remove(path: Path) -> int:
    if not path.exists():
        return 0
    size = folder_size(path) if path.is_dir() else path.stat().st_size
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    return size


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def version(site: Path) -> str:
    [info] = site.glob("mbc_journal-*.dist-info")
    return info.name.removeprefix("mbc_journal-").removesuffix(".dist-info")


def platform_tag() -> str:
    import platform

    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, "os")
    return f"{system}-{platform.machine().lower()}"


if __name__ == "__main__":
    sys.exit(main())
