"""Each entry (and each earlier version) keeps the UTC offset in force where and when
it was made, in minutes east of UTC (+120 for 14:00 in Berlin in summer, -300 in New
York in winter), so an export says its time with that offset, not the exporting
computer's.

Revision ID: 0005
Revises: 0004

Only adds a nullable column: no existing row is touched. Rows from before have none
(NULL), and exports fall back to this computer's time-zone rules for their date.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("utc_offset_minutes", sa.Integer, nullable=True))
    op.add_column("entry_versions", sa.Column("utc_offset_minutes", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entry_versions") as batch:
        batch.drop_column("utc_offset_minutes")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("utc_offset_minutes")
