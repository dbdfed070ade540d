"""A key of a JSON column as text, spelled once for raw SQL and for the indexes over it.

The history's indexes over the termination's end date and the creation's start date
(``HistoryEvent.Meta``) are used only where a query spells the key as the index does, so
both take the spelling from here. The dates are ISO text, which sorts as the dates do; a
cast to ``date`` is not immutable on PostgreSQL and cannot be indexed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, TextField

JSON_TEXT = {"postgresql": "{col} ->> '{key}'", "sqlite": "json_extract({col}, '$.{key}')"}


class JsonText(Func):
    """``column``'s ``key`` as text: the expression of an index over it."""

    output_field = TextField()

    def __init__(self, column: str, key: str) -> None:
        if not key.isidentifier():
            raise ValueError(f"not a plain key: {key!r}")
        super().__init__(F(column))
        self.key = key

    def _spelled(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = JSON_TEXT[connection.vendor].format(col="%(expressions)s", key=self.key)
        return self.as_sql(compiler, connection, template=f"({template})", **extra)

    as_postgresql = as_sqlite = _spelled
