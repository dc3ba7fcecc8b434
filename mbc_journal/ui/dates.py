"""One date style in the app: "Wed 2 Dec 2026" — readable and unambiguous in every
country (the command line and file names keep ISO dates)."""

from __future__ import annotations

import datetime as dt

QT_FORMAT = "ddd d MMM yyyy"  # for QDateEdit.setDisplayFormat


def show(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
