"""Acknowledged safety signals.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_acks",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("acknowledged_at", sa.DateTime, nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("signal_acks")
