"""Leaders' reception days (lịch tiếp công dân), their online connection points and the citizens'
bookings; a visit held on such a day points at it (``visit.reception_day_id``).

``visit`` carries full-text triggers, so its new column is a plain ``ADD COLUMN`` (on SQLite with an
inline ``REFERENCES``: it cannot add a constraint afterwards) rather than a batch copy of the table.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reception_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_name", sa.String(length=120), nullable=False),
        sa.Column("leader_title", sa.String(length=120), nullable=True),
        sa.Column("duty_code", sa.String(length=60), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recording_ref", sa.String(length=300), nullable=True),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.Column("updated_at", TZDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_day")),
    )
    op.create_index(op.f("ix_reception_day_held_on"), "reception_day", ["held_on"], unique=False)
    op.create_index(op.f("ix_reception_day_status"), "reception_day", ["status"], unique=False)
    op.create_table(
        "reception_connection_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reception_day_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=8), nullable=True),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("contact_person", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["reception_day_id"],
            ["reception_day.id"],
            name=op.f("fk_reception_connection_point_reception_day_id_reception_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["admin_unit.code"], name=op.f("fk_reception_connection_point_unit_code_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_connection_point")),
    )
    op.create_index(
        op.f("ix_reception_connection_point_reception_day_id"),
        "reception_connection_point",
        ["reception_day_id"],
        unique=False,
    )
    op.create_table(
        "reception_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reception_day_id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("matter_kind", sa.String(length=32), nullable=True),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("delegation_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("connection_point_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.Column("updated_at", TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reception_day_id"],
            ["reception_day.id"],
            name=op.f("fk_reception_booking_reception_day_id_reception_day"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"], name=op.f("fk_reception_booking_citizen_id_citizen")),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_reception_booking_petition_id_petition")
        ),
        sa.ForeignKeyConstraint(
            ["connection_point_id"],
            ["reception_connection_point.id"],
            name=op.f("fk_reception_booking_connection_point_id_reception_connection_point"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_reception_booking_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_booking")),
    )
    op.create_index(
        op.f("ix_reception_booking_reception_day_id"), "reception_booking", ["reception_day_id"], unique=False
    )
    op.create_index(op.f("ix_reception_booking_citizen_id"), "reception_booking", ["citizen_id"], unique=False)
    op.create_index(op.f("ix_reception_booking_visit_id"), "reception_booking", ["visit_id"], unique=False)
    op.add_column(
        "visit",
        sa.Column(
            "reception_day_id",
            sa.Integer(),
            sa.ForeignKey("reception_day.id", name=op.f("fk_visit_reception_day_id_reception_day")),
            nullable=True,
        ),
        # SQLite cannot add a constraint to a table: the reference goes inline. PostgreSQL adds the
        # named constraint after the column.
        inline_references=op.get_bind().dialect.name == "sqlite",
    )
    op.create_index(op.f("ix_visit_reception_day_id"), "visit", ["reception_day_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_visit_reception_day_id"), table_name="visit")
    # Dropping the column drops its reference too (PostgreSQL; SQLite 3.35+ for an inline REFERENCES).
    op.drop_column("visit", "reception_day_id")
    op.drop_index(op.f("ix_reception_booking_visit_id"), table_name="reception_booking")
    op.drop_index(op.f("ix_reception_booking_citizen_id"), table_name="reception_booking")
    op.drop_index(op.f("ix_reception_booking_reception_day_id"), table_name="reception_booking")
    op.drop_table("reception_booking")
    op.drop_index(op.f("ix_reception_connection_point_reception_day_id"), table_name="reception_connection_point")
    op.drop_table("reception_connection_point")
    op.drop_index(op.f("ix_reception_day_status"), table_name="reception_day")
    op.drop_index(op.f("ix_reception_day_held_on"), table_name="reception_day")
    op.drop_table("reception_day")
