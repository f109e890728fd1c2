"""Initial schema: API keys, scenarios and versions, solve jobs, revisions, publications.

Revision ID: v0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table; the scenario → published revision key closes a cycle, so it comes last."""
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_revision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scenarios"),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_scenario_versions_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("scenario_id", "version", name="pk_scenario_versions"),
    )
    op.create_table(
        "solve_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("time_limit", sa.Float(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("progress_seconds", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_solve_jobs_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name="pk_solve_jobs"),
    )
    op.create_index("ix_solve_jobs_scenario_id", "solve_jobs", ["scenario_id"])
    op.create_index("ix_solve_jobs_state", "solve_jobs", ["state"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("objective", sa.Float(), nullable=True),
        sa.Column("bound", sa.Float(), nullable=True),
        sa.Column("gaps", sa.Integer(), nullable=False),
        sa.Column("violations", sa.Integer(), nullable=False),
        sa.Column("roster", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["solve_jobs.id"], name="fk_revisions_job_id_solve_jobs"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_revisions_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("job_id", name="uq_revisions_job_id"),
    )
    op.create_index("ix_revisions_scenario_id", "revisions", ["scenario_id"])
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("previous_revision_id", sa.Integer(), nullable=True),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("published_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], name="fk_publications_key_id_api_keys"),
        sa.ForeignKeyConstraint(
            ["previous_revision_id"], ["revisions.id"], name="fk_publications_previous_revision_id_revisions"
        ),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name="fk_publications_revision_id_revisions"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_publications_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name="pk_publications"),
    )
    op.create_index("ix_publications_scenario_id", "publications", ["scenario_id"])
    # SQLite cannot add a constraint to a table: batch mode copies the (still empty) table.
    with op.batch_alter_table("scenarios") as batch:
        batch.create_foreign_key(
            "fk_scenarios_published_revision_id_revisions", "revisions", ["published_revision_id"], ["id"]
        )


def downgrade() -> None:
    """Drop every table."""
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_constraint("fk_scenarios_published_revision_id_revisions", type_="foreignkey")
    for table in ("publications", "revisions", "solve_jobs", "scenario_versions", "scenarios", "api_keys"):
        op.drop_table(table)
