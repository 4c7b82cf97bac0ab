"""The text search configuration `dutch_unaccent` (core/search.py): PostgreSQL's Dutch
configuration, with the `unaccent` dictionary before the Dutch stemmer for the words that carry
letters beyond ASCII. `unaccent` is a trusted extension: the database's owner may create it."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

SQL = """
CREATE TEXT SEARCH CONFIGURATION dutch_unaccent (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION dutch_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
"""
REVERSE = "DROP TEXT SEARCH CONFIGURATION IF EXISTS dutch_unaccent;"


class Migration(migrations.Migration):
    dependencies = [("core", "0001_data_changes")]
    operations = [UnaccentExtension(), migrations.RunSQL(SQL, REVERSE)]
