"""Re-planning: the audit log, links between periods, repairs and swaps.

Revision ID: v0003
Revises: v0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0003"
down_revision: str | None = "v0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the four tables; nothing existing changes."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], name="fk_audit_log_key_id_api_keys"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_kind", "audit_log", ["kind"])
    op.create_index("ix_audit_log_scenario_id", "audit_log", ["scenario_id"])
    op.create_table(
        "scenario_links",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["previous_id"], ["scenarios.id"], name="fk_scenario_links_previous_id_scenarios"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_scenario_links_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("scenario_id", name="pk_scenario_links"),
    )
    op.create_table(
        "repairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("base_revision_id", sa.Integer(), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("freeze_at", WHEN, nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["base_revision_id"], ["revisions.id"], name="fk_repairs_base_revision_id_revisions"),
        sa.ForeignKeyConstraint(["job_id"], ["solve_jobs.id"], name="fk_repairs_job_id_solve_jobs"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_repairs_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name="pk_repairs"),
        sa.UniqueConstraint("job_id", name="uq_repairs_job_id"),
    )
    op.create_index("ix_repairs_scenario_id", "repairs", ["scenario_id"])
    op.create_table(
        "swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("base_revision_id", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_at", WHEN, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("undo_revision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["base_revision_id"], ["revisions.id"], name="fk_swaps_base_revision_id_revisions"),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name="fk_swaps_revision_id_revisions"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_swaps_scenario_id_scenarios"),
        sa.ForeignKeyConstraint(["undo_revision_id"], ["revisions.id"], name="fk_swaps_undo_revision_id_revisions"),
        sa.PrimaryKeyConstraint("id", name="pk_swaps"),
    )
    op.create_index("ix_swaps_scenario_id", "swaps", ["scenario_id"])
    op.create_index("ix_swaps_state", "swaps", ["state"])


def downgrade() -> None:
    """Drop the four tables."""
    for table in ("swaps", "repairs", "scenario_links", "audit_log"):
        op.drop_table(table)
