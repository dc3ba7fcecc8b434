"""Alembic migration scripts (run automatically when a journal is opened)."""
