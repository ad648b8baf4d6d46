"""The benchmark's data generator builds a consistent data set.

`make bench` regenerates its database whenever the requested size is missing, so a schema
change the generator does not follow (a new NOT NULL column, say) breaks the benchmark on
a clean machine. This builds a small set in a throwaway database, as `bench/generate.py`
does at 1M, and checks that the derived tables agree with the rows they summarise.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"
DB = "attune_bench_selftest"

# The smallest size the command accepts, and a survey backlog cut to 200 (10,000 by
# default) so the run stays short.
BUILD = f"import bench.generate as g; g.DISPATCH_SURVEYS = 200; g.generate(1000, {DB!r}, seed=3)"


def _drop() -> None:
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="module")
def bench_db() -> Iterator[Any]:
    result = subprocess.run(
        [sys.executable, "-c", BUILD], cwd=ROOT, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    try:
        assert result.returncode == 0, result.stderr[-3000:]
        conn = psycopg2.connect(f"{PG}/{DB}")
        try:
            yield conn.cursor()
        finally:
            conn.close()
    finally:
        _drop()


def test_it_records_what_it_built(bench_db: Any) -> None:
    bench_db.execute("SELECT value FROM bench_meta WHERE key = 'tickets'")
    assert bench_db.fetchone()[0] == 1000
    bench_db.execute("SELECT count(*) FROM tickets_ticket")
    assert bench_db.fetchone()[0] >= 1000


def test_its_rollups_equal_a_direct_aggregate_of_the_scores(bench_db: Any) -> None:
    bench_db.execute(
        """
        SELECT count(*) FROM empathy_dailyrollup r
        FULL JOIN (
            SELECT agent_id, (replied_at AT TIME ZONE 'UTC')::date AS day, version,
                   count(*) AS n, sum(overall) AS overall
            FROM empathy_replyscore GROUP BY 1, 2, 3
        ) s USING (agent_id, day, version)
        WHERE r.replies IS DISTINCT FROM s.n OR r.overall_sum IS DISTINCT FROM s.overall
        """
    )
    assert bench_db.fetchone()[0] == 0
    bench_db.execute(
        "SELECT count(*) FROM empathy_dailyrollup WHERE levels = '{}'::jsonb OR levels IS NULL"
    )
    assert bench_db.fetchone()[0] == 0


def test_every_ticket_is_searchable(bench_db: Any) -> None:
    bench_db.execute(
        "SELECT count(*) FROM tickets_ticket t "
        "LEFT JOIN tickets_searchdocument d ON d.ticket_id = t.id WHERE d.ticket_id IS NULL"
    )
    assert bench_db.fetchone()[0] == 0
