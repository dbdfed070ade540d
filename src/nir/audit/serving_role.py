"""The role that serves the register on PostgreSQL, and exactly the privileges it holds.

The register is migrated by the role that owns its tables; it is served (`nir serve`, `nir
worker`, `nir run-due`) by another login role. Only an owner can TRUNCATE a table, drop or
disable its triggers, or drop it, so the serving role cannot empty or rewrite the access log:
it may read and append to the log (SELECT, INSERT), move a chain's head forward (UPDATE of
its hash and count only, which the append's row lock needs too; the trigger of audit
migration 0004 refuses a head that moves backwards) and nothing else, while it holds the
ordinary SELECT, INSERT, UPDATE and DELETE on the register's other tables. `nir
grant-serving-role ROLE` grants this and checks it (docs/deployment.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from nir.audit.models import AccessLogEntry, AccessLogHead, AccessLogPerson

ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Every privilege PostgreSQL knows on a table, each checked against what the role should hold.
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@dataclass(frozen=True)
class TableGrant:
    privileges: tuple[str, ...]  # on the whole table
    update_columns: tuple[str, ...] = ()  # UPDATE on these columns only


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _exceptions() -> dict[str, TableGrant]:
    """The tables whose grant is not the ordinary one."""
    head_columns = tuple(_column(AccessLogHead, name) for name in ("last_hash", "entries"))
    return {
        AccessLogEntry._meta.db_table: TableGrant(("SELECT", "INSERT")),
        AccessLogPerson._meta.db_table: TableGrant(("SELECT", "INSERT")),
        # INSERT: an append creates the chains' head rows that do not exist yet.
        AccessLogHead._meta.db_table: TableGrant(("SELECT", "INSERT"), head_columns),
        # Migrating is the owner's; serving only reads which migrations are applied.
        MigrationRecorder.Migration._meta.db_table: TableGrant(("SELECT",)),
    }


def grant_of(table: str) -> TableGrant:
    return _exceptions().get(table, TableGrant(ORDINARY))


class ServingRoleError(Exception):
    """Why the privileges cannot be granted to this role."""


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables(cursor: CursorWrapper) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def _refusal(role: str) -> str | None:
    """Why this role cannot be the serving role, or None."""
    if connection.vendor != "postgresql":
        return "the serving role is PostgreSQL's: SQLite has no roles or privileges"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        return f"{role!r} is not a role name: lower-case letters, digits and _"
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "the register has unapplied migrations: run `nir migrate` as the owner first"
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            return f"there is no role {role}: create it first (CREATE ROLE {role} LOGIN)"
        if row[0]:
            return f"{role} is a superuser, which no privilege can limit"
        # The tables' owners and the schema's (which may drop any table in it).
        cursor.execute(
            "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "UNION SELECT pg_get_userbyid(nspowner) FROM pg_namespace "
            "WHERE nspname = current_schema()"
        )
        for (owner,) in cursor.fetchall():
            cursor.execute("SELECT pg_has_role(%s, %s, 'USAGE')", [role, owner])
            if cursor.fetchone()[0]:
                return (
                    f"{role} acts as {owner}, which owns the register's tables or their "
                    "schema: serve with a role that owns nothing"
                )
    return None


def grant_serving_role(role: str) -> int:
    """Grant ``role`` exactly the serving privileges on every table of the register's schema
    (revoking whatever else it held there); return the number of tables. Run as the owner."""
    refusal = _refusal(role)
    if refusal:
        raise ServingRoleError(refusal)
    who = _q(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = _q(cursor.fetchone()[0])
        tables = _tables(cursor)
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {who}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}")
        for table in tables:
            grant = grant_of(table)
            privileges = list(grant.privileges)
            if grant.update_columns:
                privileges.append(f"UPDATE ({', '.join(_q(c) for c in grant.update_columns)})")
            cursor.execute(f"REVOKE ALL ON TABLE {_q(table)} FROM {who}")
            cursor.execute(f"GRANT {', '.join(privileges)} ON TABLE {_q(table)} TO {who}")
    return len(tables)


def serving_role_problems(role: str) -> tuple[int, list[str]]:
    """Every way the role's effective privileges (its own, PUBLIC's and its roles') differ
    from the serving privileges; with the number of tables checked."""
    refusal = _refusal(role)
    if refusal:
        return 0, [refusal]
    problems = []
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        for table in tables:
            grant = grant_of(table)
            for privilege in TABLE_PRIVILEGES:
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                if cursor.fetchone()[0] != (privilege in grant.privileges):
                    can = "can" if privilege not in grant.privileges else "cannot"
                    problems.append(f"{role} {can} {privilege} {table}")
            if grant.update_columns:
                cursor.execute(
                    "SELECT attname, has_column_privilege(%s, attrelid, attnum, 'UPDATE') "
                    "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                    "AND NOT attisdropped",
                    [role, table],
                )
                for column, can_update in cursor.fetchall():
                    if can_update != (column in grant.update_columns):
                        can = "can" if can_update else "cannot"
                        problems.append(f"{role} {can} UPDATE {table}.{column}")
        cursor.execute(
            "SELECT c.relname, has_sequence_privilege(%s, c.oid, 'USAGE'), "
            "has_sequence_privilege(%s, c.oid, 'UPDATE') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY 1",
            [role, role],
        )
        for sequence, usage, update in cursor.fetchall():
            if not usage:
                problems.append(f"{role} cannot use the sequence {sequence}")
            if update:
                problems.append(f"{role} can set the sequence {sequence}")
    return len(tables), problems
