"""Database connections of this process."""

from __future__ import annotations

from django.db import connections


def close_all_connections() -> None:
    """Close every connection of this process and empty its PostgreSQL pools (a pool keeps
    idle connections open: a launcher that only supervises, or pg_restore, must not see them)."""
    for conn in connections.all(initialized_only=True):
        conn.close()
        pools = getattr(type(conn), "_connection_pools", {})
        if conn.alias in pools:
            conn.close_pool()
