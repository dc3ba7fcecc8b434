"""Draw the app's icon (resources/icon.svg) as the PNG sizes the Linux menu entry
installs (resources/icon-<size>.png), with Qt. Run after changing the SVG:

    python tools/render_icons.py

They are shipped as package data so ``mbc-journal install-desktop`` needs no Qt (the
core never imports it); tests/ui/test_icons.py fails if they no longer match the SVG.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mbc_journal.desktop import PNG_SIZES, png_name  # noqa: E402
from mbc_journal.ui.icons import render_pngs  # noqa: E402


def main() -> int:
    resources = ROOT / "resources"
    svg = (resources / "icon.svg").read_bytes()
    for size, data in render_pngs(svg, PNG_SIZES).items():
        (resources / png_name(size)).write_bytes(data)
        print(f"wrote resources/{png_name(size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
