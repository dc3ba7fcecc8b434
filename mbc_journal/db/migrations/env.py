"""Alembic environment: always run with a connection given by mbc_journal.db.migrate."""

from __future__ import annotations

from alembic import context

from mbc_journal.db.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
