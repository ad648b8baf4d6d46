from django.conf import settings
from django.db import migrations, models

from helpdesk.migration_operations import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    # Built concurrently: at 1M scores a plain CREATE INDEX would block scoring (writes to
    # empathy_replyscore) for the length of the build.
    atomic = False

    dependencies = [
        ("empathy", "0003_calibration"),
        ("tickets", "0006_search_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="replyscore",
            index=models.Index(
                condition=models.Q(("opportunity__in", ["normal", "high"])),
                fields=["agent", "version", "overall", "-replied_at"],
                name="score_agent_lowest",
            ),
        ),
    ]
