"""Messaging channels: provider message ids already taken in (retry guard).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("message_key", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("channel", "message_key"),
    )
    op.create_index(
        "ix_channel_deliveries_received_at", "channel_deliveries", ["received_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_channel_deliveries_received_at", "channel_deliveries")
    op.drop_table("channel_deliveries")
