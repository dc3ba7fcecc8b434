"""What Qt's calls into ICU return with the bundle's rebuilt ICU data, beside the PySide6
wheel's full data: ``python tools/check_icu.py`` (Linux, after tools/build_bundle.py).

QtCore calls ICU for collation (QCollator, the file dialog's sorting), time-zone names,
locale case mapping and text codecs other than UTF and Latin-1. This calls the same ICU
functions through ctypes in a subprocess for each folder of libraries and prints the
lines that differ. docs/install.md records a run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import ctypes, functools, sys
folder, version = sys.argv[1], sys.argv[2]
for name in ("data", "uc", "i18n"):
    ctypes.CDLL(f"{folder}/libicu{name}.so.{version}", mode=ctypes.RTLD_GLOBAL)
uc = ctypes.CDLL(f"{folder}/libicuuc.so.{version}")
i18n = ctypes.CDLL(f"{folder}/libicui18n.so.{version}")
def f(lib, name):
    return getattr(lib, f"{name}_{version}")
P, I = ctypes.c_void_p, ctypes.c_int
f(i18n, "ucol_open").restype = P
f(i18n, "ucal_open").restype = P
f(uc, "ucnv_open").restype = P
f(i18n, "ucol_strcoll").argtypes = [P, P, I, P, I]
f(i18n, "ucol_close").argtypes = [P]
f(i18n, "ucal_close").argtypes = [P]
f(uc, "ucnv_close").argtypes = [P]
f(i18n, "ucal_getTimeZoneDisplayName").argtypes = [P, I, ctypes.c_char_p, P, I, P]
def u16(text):
    data = text.encode("utf-16-le")
    return (ctypes.c_uint16 * (len(data) // 2 + 1)).from_buffer_copy(data + b"\0\0")
def text(buffer, n):
    return ctypes.string_at(buffer, 2 * n).decode("utf-16-le") if n > 0 else ""
words = ["zebra", "Äpfel", "apple", "öl", "Zürich", "ångström", "中文", "abc"]
for loc in (b"en", b"de", b"sv", b"zh", b"ar"):
    status = I(0)
    coll = f(i18n, "ucol_open")(loc, ctypes.byref(status))
    if not coll:
        print(f"collation {loc.decode()}: cannot open ({status.value})")
        continue
    def compare(a, b):
        return f(i18n, "ucol_strcoll")(coll, u16(a), -1, u16(b), -1)
    print(f"collation {loc.decode()}: {sorted(words, key=functools.cmp_to_key(compare))}")
    f(i18n, "ucol_close")(coll)
for loc in (b"en", b"de", b"fr"):
    status = I(0)
    cal = f(i18n, "ucal_open")(u16("Europe/Berlin"), -1, loc, 0, ctypes.byref(status))
    buffer, status2 = (ctypes.c_uint16 * 200)(), I(0)
    n = f(i18n, "ucal_getTimeZoneDisplayName")(cal, 0, loc, buffer, 200, ctypes.byref(status2))
    print(f"time-zone name in {loc.decode()}: {text(buffer, n)!r}")
    f(i18n, "ucal_close")(cal)
for name in (b"UTF-8", b"ISO-8859-2", b"Shift_JIS"):
    status = I(0)
    converter = f(uc, "ucnv_open")(name, ctypes.byref(status))
    print(f"codec {name.decode()}: {'available' if converter else 'missing'}")
    if converter:
        f(uc, "ucnv_close")(converter)
for word, loc in (("straße", b"de"), ("istanbul", b"tr"), ("ΆΣ", b"el")):
    buffer, status = (ctypes.c_uint16 * 100)(), I(0)
    n = f(uc, "u_strToUpper")(buffer, 100, u16(word), -1, loc, ctypes.byref(status))
    print(f"upper case in {loc.decode()}: {text(buffer, n)!r}")
"""


def main(argv: list[str] | None = None) -> int:
    import PySide6

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bundle", type=Path, default=ROOT / "dist" / "mbc-journal" / "_internal" / "PySide6"
    )
    parser.add_argument("--wheel", type=Path, default=Path(PySide6.__file__).parent)
    args = parser.parse_args(argv)
    outputs = []
    for folder in (args.wheel, args.bundle):
        [data] = sorted((folder / "Qt" / "lib").glob("libicudata.so.*"))
        version = data.name.rsplit(".", 1)[1]
        run = subprocess.run(
            [sys.executable, "-c", PROBE, str(data.parent), version],
            capture_output=True,
            text=True,
        )
        if run.returncode:
            sys.stderr.write(f"check_icu: ICU in {folder} failed: {run.stderr.strip()[-300:]}\n")
            return 2
        outputs.append(run.stdout.splitlines())
    wheel, bundle = outputs
    for before, after in zip(wheel, bundle, strict=True):
        print(f"same  {after}" if before == after else f"was   {before}\nnow   {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
