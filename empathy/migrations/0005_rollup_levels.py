from datetime import date
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from empathy.rollups import COMPONENTS, LEVELS_FROM_SCORES_SQL, levels_add


def fill_levels(apps: Any, schema_editor: Any) -> None:
    """Histograms for the rollups of scores stored before this migration."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LEVELS_FROM_SCORES_SQL, {"tz": settings.TIME_ZONE})
        return
    # The zero-setup SQLite default holds a demo's worth of scores: the same histogram,
    # counted in Python with the scoring service's own key and local day.
    ReplyScore = apps.get_model("empathy", "ReplyScore")
    DailyRollup = apps.get_model("empathy", "DailyRollup")
    histograms: dict[tuple[int, date, str], dict[str, dict[str, int]]] = {}
    for score in ReplyScore.objects.iterator():
        key = (score.agent_id, timezone.localdate(score.replied_at), score.version)
        levels = {name: getattr(score, name) for name in COMPONENTS}
        histograms[key] = levels_add(histograms.get(key, {}), levels, score.confidence)
    for (agent_id, day, version), levels in histograms.items():
        DailyRollup.objects.filter(agent_id=agent_id, day=day, version=version).update(
            levels=levels
        )


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
