"""On PostgreSQL, refuse UPDATE and DELETE on the access log: it is append-only.

(TRUNCATE is left to the database's privileges: the register's own role should not hold it
in production. SQLite has no roles, and its tests empty tables with DELETE.)"""

from django.db import migrations

TABLES = ("audit_accesslogentry", "audit_accesslogperson")

CREATE = """
CREATE OR REPLACE FUNCTION nir_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'innsynsloggen kan ikke endres eller slettes (%% på %%)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION nir_access_log_append_only();\n"
    for table in TABLES
)
DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES)
DROP += "DROP FUNCTION IF EXISTS nir_access_log_append_only();"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
