"""staff supervisors; the Slack morning digests sent

Revision ID: 0004_slack
Revises: 0003
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_slack"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(sa.Column("supervisor_id", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key("fk_staff_supervisor_id", "staff", ["supervisor_id"], ["id"])
    # One row per staff member and clinic day a digest was sent: a second run that day sends
    # nothing. `chronic_client_ids` are the clients over the chronic rule at that digest, so
    # the next one names only those who crossed it since (ids only, never names).
    op.create_table(
        "slack_digests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("chronic_client_ids", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("staff_id", "sent_on", name="uq_slack_digests_staff_day"),
    )


def downgrade() -> None:
    op.drop_table("slack_digests")
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_constraint("fk_staff_supervisor_id", type_="foreignkey")
        batch_op.drop_column("supervisor_id")
