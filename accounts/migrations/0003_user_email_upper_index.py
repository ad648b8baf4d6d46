import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                django.db.models.functions.text.Upper("email"), name="accounts_user_email_upper"
            ),
        ),
        # PostgreSQL has no statistics for a new expression until the table is analysed, and
        # without them it keeps scanning users in id order instead of using the index.
        migrations.RunSQL("ANALYZE accounts_user", reverse_sql=migrations.RunSQL.noop),
    ]
