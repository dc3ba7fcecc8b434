"""The PySide6 face of the app. Only this package imports Qt.

The core modules the window needs before it is usable are imported here, before any
Qt module: once PySide6 is imported, shiboken inspects every module imported after it
(its ``__feature__`` import hook), about 10 ms for these at each start
(docs/performance.md). None of them imports Qt or SQLAlchemy.
"""

from mbc_journal import day_view, operations, signals  # noqa: F401
