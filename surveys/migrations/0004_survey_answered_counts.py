from django.db import migrations, models

from helpdesk.migration_operations import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    # Built concurrently: a plain CREATE INDEX would block answering surveys (writes to
    # surveys_survey) for the length of the build.
    atomic = False

    dependencies = [
        ("surveys", "0003_survey_low_rating"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="survey",
            index=models.Index(
                condition=models.Q(("rating__isnull", False)),
                fields=["answered_at", "queue", "sent_at", "state", "rating", "understood", "id"],
                name="survey_answered_counts",
            ),
        ),
    ]
