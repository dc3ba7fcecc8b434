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
    from mbc_journal.ui.app import run_app

    return run_app(path, demo=bool(getattr(args, "demo", False)))


if __name__ == "__main__":
    sys.exit(main())
