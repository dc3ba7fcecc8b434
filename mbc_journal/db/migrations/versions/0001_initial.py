"""Initial schema: entries, day notes, settings, custom items.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("time", sa.Time, nullable=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("entered_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("role", sa.String(16), nullable=False, server_default="patient"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_entries_date_item", "entries", ["local_date", "item_id"])
    op.create_index("ix_entries_item_date", "entries", ["item_id", "local_date"])
    op.create_table(
        "day_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("local_date", sa.Date, nullable=False, unique=True),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("entered_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("role", sa.String(16), nullable=False, server_default="patient"),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "custom_items",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(16), nullable=True),
        sa.Column("min", sa.Float, nullable=True),
        sa.Column("max", sa.Float, nullable=True),
        sa.Column("decimals", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("custom_items")
    op.drop_table("settings")
    op.drop_table("day_notes")
    op.drop_index("ix_entries_item_date", "entries")
    op.drop_index("ix_entries_date_item", "entries")
    op.drop_table("entries")
