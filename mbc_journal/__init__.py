"""MBC Journal: a private symptom journal for metastatic breast cancer."""

from __future__ import annotations

__version__ = "0.1.0"

# The app's names for the desktop: the .desktop file's and the icon's name (also the name
# Qt gives Wayland), and the X11 window class, which must match the .desktop file's
# StartupWMClass. Here, not in desktop.py, so the window's start imports nothing more.
APP_ID = "mbc-journal"
WM_CLASS = "MBC Journal"
