from django.db import migrations

FIELDS = (
    '"username", "first_name", "last_name", "email", "role", "organisation", "is_active", '
    '"is_staff", "is_superuser", "second_factor_enabled"'
)

# Every account that existed before its changes were kept gets one "baseline" event with what
# it was then, so that its first change afterwards shows what it changed from.
BASELINE = f"""
INSERT INTO "accounts_userevent" ({FIELDS}, "pgh_created_at", "pgh_label", "pgh_obj_id")
SELECT {FIELDS}, NOW(), 'baseline', "id" FROM "accounts_user" u
WHERE NOT EXISTS (SELECT 1 FROM "accounts_userevent" e WHERE e."pgh_obj_id" = u."id")
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_user_audit_history")]

    operations = [migrations.RunSQL(BASELINE, reverse_sql=migrations.RunSQL.noop)]
