"""audit rows carry the conversation they came from

Revision ID: 0005
Revises: 0004_slack
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004_slack"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("conversation_id", sa.String(length=128), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_events_conversation_id"),
                              ["conversation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_conversation_id"))
        batch_op.drop_column("conversation_id")
