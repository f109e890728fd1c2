"""Networks (tenants): a ``networks`` table, a ``network_id`` on every entity that is not reached through a
scenario, and import previews kept in the database (any API process may apply what another previewed).

Every existing row joins one network, ``default``, created here; a new database starts with it too, so a
deployment of one network needs no step of its own.

Revision ID: v0005_networks
Revises: v0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0005_networks"
down_revision: str | None = "v0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)

# The tables whose rows name their network; the others belong to one through their scenario.
OWNED = ("api_keys", "scenarios", "feed_tokens", "audit_log", "staff_users", "personal_links")
DEFAULT_SLUG = "default"


def upgrade() -> None:
    """Create ``networks`` with the default network, give the owned tables their ``network_id`` (every
    existing row in the default network), and create ``import_previews``."""
    networks = op.create_table(
        "networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_networks"),
        sa.UniqueConstraint("slug", name="uq_networks_slug"),
    )
    now = dt.datetime.now(dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC there (oncall.storage.database.UTCDateTime)
    op.bulk_insert(networks, [{"id": 1, "slug": DEFAULT_SLUG, "name": DEFAULT_SLUG, "created_at": now}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('networks', 'id'), 1)")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET network_id = 1"))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("network_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f"fk_{table}_network_id_networks", "networks", ["network_id"], ["id"])
            batch.create_index(f"ix_{table}_network_id", ["network_id"])
    op.create_table(
        "import_previews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_import_previews_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name="pk_import_previews"),
        sa.UniqueConstraint("token_hash", name="uq_import_previews_token_hash"),
    )
    op.create_index("ix_import_previews_scenario_id", "import_previews", ["scenario_id"])
    op.create_index("ix_import_previews_created_at", "import_previews", ["created_at"])


def _foreign_keys(on: bool) -> None:
    """SQLite changes a column by copying its table, and cannot drop ``scenarios`` (which others refer to)
    with foreign keys enforced. The pragma works outside a transaction only: ``Database.migrate`` turns
    them off around the whole migration (and ``Database.downgrade`` around a way back); this covers a caller
    that runs Alembic on its own connection before any other step."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def downgrade() -> None:
    """Only a database of one network can go back: the rows of the others would lose their owner."""
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM networks"))
    if count and count > 1:
        raise RuntimeError("cannot downgrade a database of several networks; keep one network first")
    _foreign_keys(on=False)
    op.drop_index("ix_import_previews_created_at", table_name="import_previews")
    op.drop_index("ix_import_previews_scenario_id", table_name="import_previews")
    op.drop_table("import_previews")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_network_id")
            batch.drop_constraint(f"fk_{table}_network_id_networks", type_="foreignkey")
            batch.drop_column("network_id")
    op.drop_table("networks")
    _foreign_keys(on=True)
