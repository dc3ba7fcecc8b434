"""Care plan: treatments, appointments, questions, results.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "treatments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("details", sa.Text, nullable=False, server_default=""),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        *_stamps(),
    )
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("time", sa.Time, nullable=True),
        sa.Column("with_whom", sa.String(200), nullable=False, server_default=""),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        *_stamps(),
    )
    op.create_index("ix_appointments_day", "appointments", ["day"])
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column(
            "appointment_id", sa.Integer,
            sa.ForeignKey("appointments.id", ondelete="SET NULL"), nullable=True,
        ),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("answer", sa.Text, nullable=False, server_default=""),
        *_stamps(),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("unit", sa.String(32), nullable=False, server_default=""),
        sa.Column("ref_low", sa.Float, nullable=True),
        sa.Column("ref_high", sa.Float, nullable=True),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        *_stamps(),
    )
    op.create_index("ix_results_day", "results", ["day"])


def downgrade() -> None:
    op.drop_index("ix_results_day", "results")
    op.drop_table("results")
    op.drop_table("questions")
    op.drop_index("ix_appointments_day", "appointments")
    op.drop_table("appointments")
    op.drop_table("treatments")
