"""Exit 0 if the PostgreSQL and Redis named by DATABASE_URL / REDIS_URL answer."""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit


def main() -> int:
    ok = True
    db = urlsplit(os.environ["DATABASE_URL"])
    try:
        import psycopg2

        psycopg2.connect(
            host=db.hostname,
            port=db.port or 5432,
            user=db.username or "postgres",
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:
        print(
            f"PostgreSQL at {db.hostname}:{db.port or 5432} is unreachable: {exc}", file=sys.stderr
        )
        ok = False
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
    except Exception as exc:
        print(f"Redis at {os.environ['REDIS_URL']} is unreachable: {exc}", file=sys.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
