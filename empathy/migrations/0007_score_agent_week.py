from django.db import migrations, models

from helpdesk.migration_operations import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    # Built concurrently: at 1M scores a plain CREATE INDEX would block scoring (writes to
    # empathy_replyscore) for the length of the build.
    atomic = False

    dependencies = [
        ("empathy", "0006_score_ticket_low_csat"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="replyscore",
            index=models.Index(
                fields=["agent", "version", "replied_at", "ticket", "id"],
                name="score_agent_week",
            ),
        ),
    ]
