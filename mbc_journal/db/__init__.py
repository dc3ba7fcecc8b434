"""Storage: SQLite through SQLAlchemy 2.0, Alembic migrations, file safety."""
