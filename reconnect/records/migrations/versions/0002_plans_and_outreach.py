"""plans and outreach attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=20), nullable=False),
        sa.Column("barriers", sa.String(length=300), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Enum("open", "closed", name="plan_status", native_enum=False,
                                    create_constraint=True, length=20), nullable=False),
        sa.Column("outcome", sa.Enum("worked", "partly", "did_not_work", name="plan_outcome",
                                     native_enum=False, create_constraint=True, length=20),
                  nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plans") as batch_op:
        batch_op.create_index("ix_plans_client_id", ["client_id"])
        batch_op.create_index("ix_plans_staff_id", ["staff_id"])
        batch_op.create_index("ix_plans_follow_up_on", ["follow_up_on"])

    op.create_table(
        "outreach_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outreach_attempts") as batch_op:
        batch_op.create_index("ix_outreach_attempts_client_id", ["client_id"])


def downgrade() -> None:
    op.drop_table("outreach_attempts")
    op.drop_table("plans")
