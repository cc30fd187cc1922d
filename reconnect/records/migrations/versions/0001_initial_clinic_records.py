"""initial clinic records

Revision ID: 0001
Revises: 
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_staff_id'), ['staff_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('therapist', 'front_desk', 'supervisor', name='staff_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('slack_user_id', sa.String(length=64), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slack_user_id')
    )
    op.create_table('clients',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('preferred_name', sa.String(length=100), nullable=True),
    sa.Column('therapist_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', 'discharged', name='client_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('payer', sa.Enum('self_pay', 'commercial', 'medicaid', 'medicare', name='payer', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('sms_consent', sa.Boolean(), nullable=False),
    sa.Column('email_consent', sa.Boolean(), nullable=False),
    sa.Column('phone_consent', sa.Boolean(), nullable=False),
    sa.Column('emergency_contact_on_file', sa.Boolean(), nullable=False),
    sa.Column('risk_level', sa.Enum('none', 'low', 'elevated', 'high', name='risk_level', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('last_risk_review', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['therapist_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clients_therapist_id'), ['therapist_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('therapist_id', sa.String(length=64), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('modality', sa.Enum('in_person', 'telehealth', 'phone', name='modality', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status', sa.Enum('attended', 'no_show', 'late_cancel', 'cancelled', 'scheduled', name='appointment_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    # Whole cents (reconnect.records.models.Money).
    sa.Column('fee_charged', sa.Integer(), nullable=True),
    sa.Column('fee_paid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.ForeignKeyConstraint(['therapist_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_client_start', ['client_id', 'start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_client_start')

    op.drop_table('appointments')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_therapist_id'))

    op.drop_table('clients')
    op.drop_table('staff')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_staff_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_client_id'))

    op.drop_table('audit_events')
