"""On PostgreSQL, a chain's head only moves forward: an UPDATE that lowers its count of
entries (a reset to hide a deleted tail) and a DELETE of a head are refused.

TRUNCATE is left to privileges (docs/deployment.md: the serving role does not own the tables);
whatever gets past them, the signed checkpoint outside the database finds."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION nir_access_log_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.entries < OLD.entries THEN
        RAISE EXCEPTION 'innsynsloggen kan ikke endres eller slettes (%% på %%)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessloghead_forward BEFORE UPDATE OR DELETE ON audit_accessloghead
FOR EACH ROW EXECUTE FUNCTION nir_access_log_head_forward();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_accessloghead_forward ON audit_accessloghead;
DROP FUNCTION IF EXISTS nir_access_log_head_forward();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_access_log_chains")]
    operations = [migrations.RunPython(forwards, backwards)]
