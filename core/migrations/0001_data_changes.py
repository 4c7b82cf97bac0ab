"""A counter of changes to the application's tables (core/pagecache.py).

Every table of the project's apps gets a statement-level trigger that draws the next value of
the sequence `core_data_changes` (installed after every migrate, so a new table gets it too:
core/apps.py). A sequence is never rolled back and never locked, so counting costs writers
nothing; readers compare its value."""

from django.db import migrations

SQL = """
CREATE SEQUENCE IF NOT EXISTS core_data_changes;
CREATE OR REPLACE FUNCTION core_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('core_data_changes');
  RETURN NULL;
END;
$$;
"""
REVERSE = """
DROP FUNCTION IF EXISTS core_count_change() CASCADE;
DROP SEQUENCE IF EXISTS core_data_changes;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunSQL(SQL, REVERSE)]
