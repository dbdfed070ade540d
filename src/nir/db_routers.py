"""Sending report and statistics reads to a read replica (see docs/deployment.md).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and this router. Reads
go to the replica only where code has asked for it with ``replica_reads`` (the statistics,
data-quality and report pages), only for the register's own tables, and never inside a
transaction: everything else - writes, the access log, sessions, sign-in, the task queue,
the caseworker's own pages - stays on ``default``. A replica lags the primary by a moment;
the routed reads are aggregates and lists that tolerate seconds of lag, whereas a caseworker
who has just saved a registration must see it on the next page, so those pages are left alone.

Without the setting there is no router and ``replica_reads`` changes nothing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from types import TracebackType
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
# Only the register's tables: a report reads participations, persons and municipalities.
# The access log, sessions, users, the sign-in throttle and the task queue are read and then
# written in the same request, so a lagging copy of them would be wrong, not just late.
ROUTED_APP_LABELS = frozenset({"register"})

# A context variable, not a thread-local: it follows the request's own flow of control
# (threads under gunicorn, tasks under an async server) and is reset when the scope ends.
_replica_scope: ContextVar[bool] = ContextVar("nir_replica_reads", default=False)

F = TypeVar("F", bound=Callable[..., Any])


class replica_reads:
    """Reads of the register inside this scope may come from the replica.

    Use it as ``with replica_reads():`` or as a decorator. On a generator function (the
    streamed export rows) the scope is entered around each step only, because a streamed
    response is iterated after the view has returned, and a scope left open across ``yield``
    would leak into whatever the server does between rows.
    """

    def __enter__(self) -> None:
        self._tokens = [*getattr(self, "_tokens", []), _replica_scope.set(True)]

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _replica_scope.reset(self._tokens.pop())

    def __call__(self, func: F) -> F:
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def stepwise(*args: Any, **kwargs: Any) -> Iterator[Any]:
                generator = func(*args, **kwargs)
                while True:
                    with replica_reads():
                        try:
                            item = next(generator)
                        except StopIteration:
                            return
                    yield item

            return cast(F, stepwise)

        @functools.wraps(func)
        def scoped(*args: Any, **kwargs: Any) -> Any:
            with replica_reads():
                return func(*args, **kwargs)

        return cast(F, scoped)


def in_replica_scope() -> bool:
    return _replica_scope.get()


def _in_transaction_on_default() -> bool:
    """Whether the code runs inside a transaction on ``default`` that it opened itself.

    A read inside a transaction may depend on what the transaction wrote, which the replica
    has not seen. The test suite's own wrapping transactions (marked by Django) do not count,
    or no test could ever observe a routed read.
    """
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


class ReplicaRouter:
    """Routes scoped reads of the register to ``replica``; everything else to ``default``."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_scope.get()
            and model._meta.app_label in ROUTED_APP_LABELS
            and not _in_transaction_on_default()
        ):
            return REPLICA
        # Explicitly default, not None: a row read from the replica must not pull its related
        # rows from there too once the scope has ended.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Both aliases are the same database, one of them a little behind.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica receives the schema by replication, never by migrating it.
        return db == DEFAULT_DB_ALIAS
