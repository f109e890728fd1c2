"""Alembic environment: runs on the connection :meth:`oncall.storage.Database.migrate` hands over.

Developers who write a new migration can run Alembic on a scratch database, for example::

    python -c "from alembic import command; from oncall.storage import alembic_config; \
command.revision(alembic_config('sqlite:///scratch.db'), 'what changes', autogenerate=True)"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from oncall.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)  # type: ignore[arg-type]
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
elif (given := config.attributes.get("connection")) is not None:
    _run(given)
else:
    with create_engine(str(config.get_main_option("sqlalchemy.url"))).connect() as fresh:
        _run(fresh)
        fresh.commit()
