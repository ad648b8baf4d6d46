"""The rollups' level histogram: how many replies of an agent's day had each
(level, confidence) per component.

A team's calibrated thresholds apply to a reply's level *and* confidence
(`empathy.calibration.calibrated_level`), so sums of levels cannot be recalibrated; counts
per (level, confidence) can, exactly, because the analyzer rounds confidences to two
decimals (a handful of distinct values per component). The scoring service adds to it in
the score's transaction; `LEVELS_FROM_SCORES_SQL` rebuilds it from the stored scores (the
data migration and the benchmark generator).
"""

from __future__ import annotations

from collections.abc import Mapping

COMPONENTS = ("listening", "validation", "reflection", "tone")
DEFAULT_CONFIDENCE = 0.8  # a score stored without one reads as the analyzer's default


def level_key(level: int, confidence: float) -> str:
    """ "1:0.85", "2:1": the text PostgreSQL gives the same float, so both writers agree."""
    return f"{level}:{float(confidence):g}"


def parse_key(key: str) -> tuple[int, float]:
    level, _, confidence = key.partition(":")
    return int(level), float(confidence) if confidence else DEFAULT_CONFIDENCE


def levels_add(
    levels: Mapping[str, Mapping[str, int]],
    scored: Mapping[str, int],
    confidence: Mapping[str, float],
) -> dict[str, dict[str, int]]:
    """`levels` with one more reply of component levels `scored` and their `confidence`."""
    result = {name: dict(counts) for name, counts in levels.items()}
    for name in COMPONENTS:
        key = level_key(scored[name], confidence.get(name, DEFAULT_CONFIDENCE))
        counts = result.setdefault(name, {})
        counts[key] = counts.get(key, 0) + 1
    return result


# One row per (agent, local day, version) of the scores; %(tz)s is the site's time zone,
# as the scoring service's timezone.localdate(). Keys are "level:confidence" as stored.
LEVELS_FROM_SCORES_SQL = """
UPDATE empathy_dailyrollup AS r SET levels = h.levels
FROM (
    SELECT agent_id, day, version, jsonb_object_agg(component, counts) AS levels
    FROM (
        SELECT agent_id, day, version, component, jsonb_object_agg(key, n) AS counts
        FROM (
            SELECT s.agent_id, (s.replied_at AT TIME ZONE %(tz)s)::date AS day, s.version,
                c.component,
                c.level || ':' || (coalesce(s.confidence ->> c.component, '0.8'))::float8
                    AS key,
                count(*) AS n
            FROM empathy_replyscore AS s
            CROSS JOIN LATERAL (VALUES
                ('listening', s.listening), ('validation', s.validation),
                ('reflection', s.reflection), ('tone', s.tone)
            ) AS c (component, level)
            GROUP BY 1, 2, 3, 4, 5
        ) AS per_key
        GROUP BY 1, 2, 3, 4
    ) AS per_component
    GROUP BY 1, 2, 3
) AS h
WHERE r.agent_id = h.agent_id AND r.day = h.day AND r.version = h.version
"""
