"""``mbc-journal`` and ``python -m mbc_journal``: a command, or the app."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from mbc_journal import cli
    from mbc_journal.errors import JournalError

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        return cli.run(args)
    try:
        path = cli.journal_path(args)
    except JournalError as error:
        sys.stderr.write(f"mbc-journal: {error}\n")
        return cli.EXIT_USER_ERROR
    if _no_display():
        sys.stderr.write(
            "mbc-journal: No display was found, so the app cannot open here; the command line "
            "works without one (see 'mbc-journal --help').\n"
        )
        return cli.EXIT_USER_ERROR
    from mbc_journal.ui.app import run_app

    return run_app(path, demo=bool(getattr(args, "demo", False)))


def _no_display() -> bool:
    """On Linux without X11 or Wayland (and no Qt platform chosen), Qt would abort."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


if __name__ == "__main__":
    sys.exit(main())
