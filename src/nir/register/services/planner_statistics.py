"""The query planner's statistics refreshed after the register is loaded in bulk.

The heavy queries (the figures, data quality, the reports) are planned from the
database's table statistics. Right after a seed or a bulk load they describe an empty or
a much smaller register, so the planner may choose a scan where the index was meant;
autovacuum catches up only later, and SQLite never gathers them by itself. ANALYZE on
both databases gives the planner the register as it now stands.
"""

from __future__ import annotations

from django.db import connections, router

from nir.register.models import Participation


def refresh_planner_statistics() -> None:
    """ANALYZE the register's database (PostgreSQL and SQLite spell it the same)."""
    alias = router.db_for_write(Participation)
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")
