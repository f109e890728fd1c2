"""Alembic migrations of the oncall database, run by :meth:`oncall.storage.Database.migrate`."""
