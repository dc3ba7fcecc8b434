"""MBC Journal: a private symptom journal for metastatic breast cancer."""

from __future__ import annotations

__version__ = "0.1.0"
