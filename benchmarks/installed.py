"""The environment a benchmark's processes run in: the app as a person has it installed.

pip compiles a wheel's bytecode when it installs it, so an installed app never
compiles its own modules at start. These machines set PYTHONDONTWRITEBYTECODE, which
would make every measured process compile the app's modules again (about 0.1 s), so
it is cleared here, and each script runs the app once before timing.
"""

from __future__ import annotations

import os


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
