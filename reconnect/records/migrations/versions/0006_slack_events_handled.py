"""the Slack events and clicks already handled, shared by every Rasa process

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One row per Slack event or click handled: its key only (Slack's event id or trigger id,
    # or a sha256 of a longer one), never text or a user. The primary key makes claiming a
    # key one INSERT that only the first process wins; rows older than an hour are pruned.
    op.create_table(
        "slack_events_handled",
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_key"),
    )
    op.create_index(op.f("ix_slack_events_handled_first_seen_at"), "slack_events_handled",
                    ["first_seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_events_handled_first_seen_at"),
                  table_name="slack_events_handled")
    op.drop_table("slack_events_handled")
