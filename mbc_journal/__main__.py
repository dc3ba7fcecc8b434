"""``python -m mbc_journal``: the same as the ``mbc-journal`` command."""

from __future__ import annotations

import sys

from mbc_journal.cli import entry_point as main

if __name__ == "__main__":
    sys.exit(main())
