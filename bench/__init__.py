"""The benchmark suite (see docs/performance.md).

Importing the helpdesk package first matters: its Celery app reads the settings while it
is imported, so with DJANGO_SETTINGS_MODULE=bench.settings the helpdesk package must be
initialised before bench.settings starts importing helpdesk.settings, not inside it.
"""

import helpdesk  # noqa: F401
