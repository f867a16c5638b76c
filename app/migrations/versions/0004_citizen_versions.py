"""Citizen versions: a visit or a petition keeps the person as they were when it was recorded.

Revision ID: 0004
Revises: 0003

Every existing citizen gets one version holding its current values, and every visit, delegation
member, petition and petition party points to it. The encrypted columns are copied as they are
(a version uses the same encryption purposes as the citizen), so the upgrade needs no data key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Every table whose rows name a person.
HOLDERS = ("visit", "visit_participant", "petition", "petition_party")


def upgrade() -> None:
    op.create_table(
        "citizen_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("province_code", sa.String(length=8), nullable=True),
        sa.Column("commune_code", sa.String(length=8), nullable=True),
        sa.Column("address_detail", sa.Text(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"], name=op.f("fk_citizen_version_citizen_id_citizen")),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["admin_unit.code"], name=op.f("fk_citizen_version_commune_code_admin_unit")
        ),
        sa.ForeignKeyConstraint(
            ["province_code"], ["admin_unit.code"], name=op.f("fk_citizen_version_province_code_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_version")),
    )
    op.create_index(op.f("ix_citizen_version_citizen_id"), "citizen_version", ["citizen_id"], unique=False)
    op.execute(
        "INSERT INTO citizen_version (citizen_id, recorded_at, full_name, id_number, phone, province_code, "
        "commune_code, address_detail, confidential) "
        "SELECT id, updated_at, full_name, id_number, phone, province_code, commune_code, address_detail, "
        "confidential FROM citizen"
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in HOLDERS:
        constraint = op.f(f"fk_{table}_citizen_version_id_citizen_version")
        if sqlite:
            # SQLite cannot add a constraint to a table, and rebuilding these tables (batch mode)
            # would drop their search triggers: the reference goes in with the column.
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN citizen_version_id INTEGER "
                f"CONSTRAINT {constraint} REFERENCES citizen_version (id)"
            )
        else:
            op.add_column(table, sa.Column("citizen_version_id", sa.Integer(), nullable=True))
            op.create_foreign_key(constraint, table, "citizen_version", ["citizen_version_id"], ["id"])
        op.execute(
            f"UPDATE {table} SET citizen_version_id = (SELECT v.id FROM citizen_version v "
            f"WHERE v.citizen_id = {table}.citizen_id) WHERE citizen_id IS NOT NULL"
        )


def downgrade() -> None:
    for table in HOLDERS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_citizen_version_id_citizen_version"), type_="foreignkey")
            batch.drop_column("citizen_version_id")
    op.drop_index(op.f("ix_citizen_version_citizen_id"), table_name="citizen_version")
    op.drop_table("citizen_version")
