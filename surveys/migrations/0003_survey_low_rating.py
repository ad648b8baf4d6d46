from django.db import migrations, models

from helpdesk.migration_operations import AddIndexConcurrentlyWherePossible


class Migration(migrations.Migration):
    # Built concurrently: a plain CREATE INDEX would block answering surveys (writes to
    # surveys_survey) for the length of the build.
    atomic = False

    dependencies = [
        ("surveys", "0002_due_index_with_id"),
    ]

    operations = [
        AddIndexConcurrentlyWherePossible(
            model_name="survey",
            index=models.Index(
                condition=models.Q(("rating__lte", 2)),
                fields=["answered_at", "ticket", "reason"],
                name="survey_low_rating",
            ),
        ),
    ]
