from django.db import migrations, models

from helpdesk.migration_operations import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    # Built concurrently: at 1M scores a plain CREATE INDEX would block scoring (writes to
    # empathy_replyscore) for the length of the build.
    atomic = False

    dependencies = [
        ("empathy", "0005_rollup_levels"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="replyscore",
            index=models.Index(
                fields=["ticket", "version", "replied_at", "agent", "overall", "id"],
                name="score_ticket_low_csat",
            ),
        ),
    ]
