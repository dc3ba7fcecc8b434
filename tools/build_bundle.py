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
import re
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

# The bootloader points LD_LIBRARY_PATH at the bundle (keeping the user's value in
# LD_LIBRARY_PATH_ORIG) and PyInstaller's Qt hook sets QT_PLUGIN_PATH: programs the app
# starts (the PDF viewer through xdg-open, gtk-update-icon-cache) would inherit them and
# load the bundle's GLib or Qt plugins instead of their own. This process no longer
# needs them: the loader read LD_LIBRARY_PATH when it started, and Qt finds its plugins
# beside its own libraries.
for key in ("LD_LIBRARY_PATH", "QT_PLUGIN_PATH", "QML2_IMPORT_PATH"):
    original = os.environ.pop(f"{key}_ORIG", None)
    if original is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = original
# Another PyInstaller-built program started from here starts afresh, not as part of us.
os.environ["PYINSTALLER_RESET_ENVIRONMENT"] = "1"

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
    # The app opens no network connection: no TLS. (OpenSSL's libcrypto and _hashlib
    # stay: an encrypted journal's key is derived with hashlib.pbkdf2_hmac, which needs
    # them — Python's own fallback is minutes slow in 3.11 and gone in 3.12.)
    "ssl",
    "_ssl",
    # Image formats the app never reads (Pillow's AVIF library alone is 5 MiB).
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    # Pillow's font drawing and colour management (FreeType, HarfBuzz, Little CMS: 3 MiB):
    # matplotlib draws text with its own FreeType, and the report's images are its PNGs.
    "PIL._imagingft",
    "PIL.ImageFont",
    "PIL._imagingcms",
    "PIL.ImageCms",
    # numpy parts neither the charts nor matplotlib import (numpy loads them lazily).
    "numpy.random",
    "numpy.fft",
    "numpy.polynomial",
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
# OpenSSL's TLS library, which Qt's network hook collects: the app only talks to itself
# over a local socket (the second-start check), never over the network. (libcrypto is
# kept for hashlib: see above.)
DROP_FILES += ("libssl.so.3", "libssl.so.1.1")
# matplotlib fonts the charts (mathtext off) and the report (DejaVu Sans) never use.
DROP_FONTS = ("STIX", "cm", "DejaVuSerif", "DejaVuSansDisplay", "DejaVuSansMono")
# matplotlib data only its examples (sample_data) and its PostScript and PDF backends'
# core fonts (afm, pdfcorefonts) use; the charts are drawn by Agg and saved as PNG or SVG.
DROP_MPL_DATA = ("sample_data", "fonts/afm", "fonts/pdfcorefonts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder desktop bundle.")
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (dist/)"
    )
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz")
    parser.add_argument(
        "--with-blas",
        action="store_true",
        help="bundle this Python's numpy as it is (Linux: with OpenBLAS, 27 MiB more)",
    )
    parser.add_argument("--in-bundle-env", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__  # noqa: F401
    except ImportError:
        sys.stderr.write(
            "build_bundle: PyInstaller is not installed here; install the bundle extra "
            "first: pip install '.[bundle]'\n"
        )
        return 2
    if sys.platform.startswith("linux") and not (args.with_blas or args.in_bundle_env):
        # Build in an environment of the same versions with numpy built without BLAS.
        python = prepare_bundle_env()
        again = [str(python), str(Path(__file__).resolve()), *(argv or sys.argv[1:])]
        return subprocess.run([*again, "--in-bundle-env"]).returncode
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
    icu = shrink_icu(folder, work / "icu")
    size = folder_size(folder)
    print(f"Removed {removed / 2**20:.1f} MiB of unused Qt and matplotlib files.")
    print(f"Removed {icu / 2**20:.1f} MiB of ICU data Qt never reads.")
    print(f"Stripped {stripped / 2**20:.1f} MiB of debugging symbols.")
    print(f"Bundle: {folder} ({size / 2**20:.1f} MiB unpacked, {count_files(folder)} files)")
    if not args.no_archive:
        archive = args.dist / f"{NAME}-{version(site)}-{platform_tag()}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=NAME)
        print(f"Archive: {archive} ({archive.stat().st_size / 2**20:.1f} MiB)")
    print(f"Built in {time.monotonic() - started:.0f} s.")
    return 0


def prepare_bundle_env() -> Path:
    """build/bundle-env: this Python's versions of the app's dependencies and PyInstaller,
    except numpy, built from its source (once, kept in build/wheels/) without BLAS.

    numpy's Linux wheels carry OpenBLAS and gfortran (27 MiB, a fifth of the bundle) for
    linear algebra the charts never need at speed: matplotlib's 3x3 transforms and a few
    thousand points. numpy without BLAS uses its own loops and its bundled LAPACK lite,
    the configuration numpy's own CI tests. The first build takes some minutes more
    (a C compiler is needed); later ones reuse the wheel. The Python to run the bundle
    build with.
    """
    from importlib import metadata

    env = ROOT / "build" / "bundle-env"
    python = env / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    numpy_version = metadata.version("numpy")
    wheels = ROOT / "build" / "wheels" / "numpy-without-blas"
    found = sorted(wheels.glob(f"numpy-{numpy_version}-*.whl"))
    if not found:
        print(f"Building numpy {numpy_version} without BLAS (once; some minutes)...")
        subprocess.run(
            [
                *(str(python), "-m", "pip", "wheel", "-q", "--no-deps", "--no-binary", "numpy"),
                "--no-cache-dir",  # not into pip's wheel cache, where other installs find it
                *("-w", str(wheels), f"numpy=={numpy_version}"),
                *("-Csetup-args=-Dblas=none", "-Csetup-args=-Dlapack=none"),
                "-Csetup-args=-Dallow-noblas=true",
            ],
            check=True,
        )
        found = sorted(wheels.glob(f"numpy-{numpy_version}-*.whl"))
    # The versions the tests ran against: every package installed here, pinned.
    pins = [
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in metadata.distributions()
        if dist.metadata["Name"] and dist.metadata["Name"].lower() not in ("mbc-journal", "numpy")
    ]
    constraints = ROOT / "build" / "bundle-constraints.txt"
    constraints.write_text("\n".join(sorted(set(pins))) + "\n")
    requirements = [
        req
        for req in metadata.requires("mbc-journal") or []
        if "extra ==" not in req or 'extra == "bundle"' in req
    ]
    requirements = [req.split(";")[0] if "extra ==" in req else req for req in requirements]
    subprocess.run(
        [
            *(str(python), "-m", "pip", "install", "-q", "-c", str(constraints)),
            *(str(found[-1]), *requirements),
        ],
        check=True,
    )
    return python


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
        # Trends saves a chart as SVG through matplotlib's SVG backend, which savefig
        # imports by name: PyInstaller's analysis cannot see it.
        "--hidden-import",
        "matplotlib.backends.backend_svg",
        "--add-data",
        f"{package / 'resources'}{sep}mbc_journal/resources",
        "--add-data",
        f"{package / 'db' / 'migrations'}{sep}mbc_journal/db/migrations",
    ]
    for module in EXCLUDES:
        options += ["--exclude-module", module]
    if sys.platform in ("darwin", "win32"):
        options.append("--windowed")  # a .app on macOS; no console window on Windows
        # PyInstaller turns a PNG into the .icns or .ico it needs (with Pillow); it
        # cannot read the SVG, so Qt draws it.
        options += ["--icon", str(icon_png(site, work))]
    PyInstaller.__main__.run(options)


def icon_png(site: Path, work: Path) -> Path:
    """The app's SVG icon drawn at 512 px by Qt, for the .app's and the .exe's icon."""
    sys.path.insert(0, str(site))
    from mbc_journal.ui.icons import render_pngs

    svg = (site / "mbc_journal" / "resources" / "icon.svg").read_bytes()
    png = work / "icon-512.png"
    png.write_bytes(render_pngs(svg, [512])[512])
    return png


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
    for data in folder.rglob("mpl-data"):
        for sub in DROP_MPL_DATA:
            removed += _remove(data / sub)
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


# ICU data Qt uses (QtCore calls ICU for collation, time-zone names, case mapping and
# text codecs): the root and English locales, all collation tailorings, time zones'
# rules and English names, the converter alias table and the normalization and property
# files. Everything else (locale names of languages, regions, currencies and units in
# 200 languages, break-iteration dictionaries, transliteration, spelled-out numbers, the
# converters' tables) is read only by ICU APIs Qt does not call; Qt's own CLDR tables
# format dates and numbers. A locale whose data is gone falls back to the root locale.
ICU_KEEP_FOLDERS = {"coll"}
ICU_KEEP_NAMES = {"root.res", "en.res", "pool.res", "res_index.res"}  # top level and zone/
ICU_KEEP_ZONE = ICU_KEEP_NAMES | {"tzdbNames.res"}
ICU_DROP_TOP = ("unames.icu", "confusables.cfu")


def keep_icu_item(item: str) -> bool:
    folder, _, name = item.rpartition("/")
    if folder in ICU_KEEP_FOLDERS or (folder == "zone" and name in ICU_KEEP_ZONE):
        return True
    if not folder and name in ICU_KEEP_NAMES:
        return True
    if folder:  # zone/, lang/, region/, curr/, unit/, brkitr/, translit/, rbnf/
        return False
    if name.endswith(".cnv") or name in ICU_DROP_TOP:
        return False
    # Top level: a locale's own data (de_AT.res) goes; the shared tables stay.
    locale = name.removesuffix(".res")
    is_locale = name.endswith(".res") and (
        locale.split("_")[0].islower() and 2 <= len(locale.split("_")[0]) <= 3
    )
    return not is_locale


def shrink_icu(folder: Path, work: Path) -> int:
    """Rebuild Qt's libicudata (31 MiB, one data symbol) with only the data Qt reads; the
    bytes saved. Linux only; needs icupkg (Debian: icu-devtools) and a C compiler, and
    leaves the library as it is without them."""
    icupkg, cc, readelf = shutil.which("icupkg"), shutil.which("cc"), shutil.which("readelf")
    libs = [p for p in folder.rglob("libicudata.so.*") if p.is_file() and not p.is_symlink()]
    if not libs or not sys.platform.startswith("linux"):
        return 0
    if icupkg is None or cc is None or readelf is None:
        print("ICU data left whole: icupkg (icu-devtools) or cc is missing.")
        return 0
    work.mkdir(parents=True, exist_ok=True)
    saved = 0
    for lib in libs:
        symbol, data = _elf_data_symbol(readelf, lib)
        package = work / f"{symbol.removesuffix('_dat')}l.dat"  # icudt73l.dat
        package.write_bytes(data)
        listed = subprocess.run(
            [icupkg, "-l", str(package)], capture_output=True, text=True, check=True
        ).stdout.split()
        drop = [item for item in listed if not keep_icu_item(item)]
        (work / "drop.txt").write_text("\n".join(drop) + "\n")
        small = work / "small" / package.name  # icupkg names the items after the file
        small.parent.mkdir(exist_ok=True)
        subprocess.run(
            [icupkg, "-r", str(work / "drop.txt"), str(package), str(small)],
            capture_output=True,
            check=True,
        )
        source = work / "icudata.S"
        source.write_text(
            f".section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n"
            f'{symbol}:\n.incbin "{small}"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n'
        )
        built = work / lib.name
        subprocess.run(
            [cc, "-shared", "-nostdlib", f"-Wl,-soname,{lib.name}", "-o", str(built), str(source)],
            check=True,
        )
        saved += lib.stat().st_size - built.stat().st_size
        shutil.copyfile(built, lib)
        print(f"{lib.name}: {len(listed) - len(drop)} of {len(listed)} ICU data items kept.")
    return saved


def _elf_data_symbol(readelf: str, lib: Path) -> tuple[str, bytes]:
    """The one exported data symbol of ICU's data library (icudt73_dat) and its bytes."""
    symbols = subprocess.run(
        [readelf, "--dyn-syms", "-W", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    [(value, size, index, symbol)] = re.findall(
        r"^\s*\d+:\s+([0-9a-f]+)\s+(\S+)\s+OBJECT\s+GLOBAL\s+\S+\s+(\d+)\s+(icudt\w+_dat)$",
        symbols,
        flags=re.MULTILINE,
    )
    sections = subprocess.run(
        [readelf, "-S", "-W", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    [(address, offset)] = re.findall(
        rf"^\s*\[\s*{index}\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", sections, re.MULTILINE
    )
    start = int(offset, 16) + int(value, 16) - int(address, 16)
    with lib.open("rb") as file:
        file.seek(start)
        return symbol, file.read(int(size, 0))


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
