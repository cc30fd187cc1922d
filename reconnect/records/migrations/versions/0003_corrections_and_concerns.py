"""entries withdrawn as entered in error; safety concerns raised

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An entry taken back ("undo") stays in the table, marked, as clinical records keep
    # entries made in error; every read leaves it out.
    with op.batch_alter_table("plans") as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("outreach_attempts") as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))

    op.create_table(
        "safety_concerns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("reported_by", sa.String(length=20), nullable=False),
        sa.Column("in_hand_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safety_concerns") as batch_op:
        batch_op.create_index("ix_safety_concerns_client_id", ["client_id"])


def downgrade() -> None:
    op.drop_table("safety_concerns")
    with op.batch_alter_table("outreach_attempts") as batch_op:
        batch_op.drop_column("withdrawn_at")
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_column("withdrawn_at")
