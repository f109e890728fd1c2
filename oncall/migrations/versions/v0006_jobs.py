"""Solve jobs run by workers on other machines: the CP-SAT workers and the deterministic work a job asked
for, the worker that claimed it and its last heartbeat (a job whose worker stopped beating is failed).

Revision ID: v0006_jobs
Revises: v0005_networks
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0006_jobs"
down_revision: str | None = "v0005_networks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Four nullable columns on ``solve_jobs``; existing jobs keep NULL (the runner's defaults)."""
    op.add_column("solve_jobs", sa.Column("workers", sa.Integer(), nullable=True))
    op.add_column("solve_jobs", sa.Column("deterministic_time", sa.Float(), nullable=True))
    op.add_column("solve_jobs", sa.Column("worker", sa.String(200), nullable=True))
    op.add_column("solve_jobs", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the four columns."""
    with op.batch_alter_table("solve_jobs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("worker")
        batch.drop_column("deterministic_time")
        batch.drop_column("workers")
