from typing import Any

from django.conf import settings
from django.db import migrations, models

from empathy.rollups import LEVELS_FROM_SCORES_SQL


def fill_levels(apps: Any, schema_editor: Any) -> None:
    """Histograms for the rollups of scores stored before this migration."""
    schema_editor.execute(LEVELS_FROM_SCORES_SQL, {"tz": settings.TIME_ZONE})


class Migration(migrations.Migration):
    dependencies = [("empathy", "0004_score_agent_lowest")]

    operations = [
        migrations.AddField(
            model_name="dailyrollup",
            name="levels",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(fill_levels, migrations.RunPython.noop, elidable=True),
    ]
