"""Entry versions: an entry's earlier values, kept when it is changed or deleted.

Revision ID: 0004
Revises: 0003

Only adds a table: no existing row is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entry_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("time", sa.Time, nullable=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("entered_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("role", sa.String(16), nullable=False, server_default="patient"),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.Column("replaced_at", sa.DateTime, nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
    )
    op.create_index("ix_entry_versions_entry", "entry_versions", ["entry_id", "replaced_at"])


def downgrade() -> None:
    op.drop_index("ix_entry_versions_entry", "entry_versions")
    op.drop_table("entry_versions")
