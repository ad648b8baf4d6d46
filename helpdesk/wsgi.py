import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

application = get_wsgi_application()

# Load the URLconf (and with it every view module and the empathy analyzer's compiled
# patterns) now rather than on a worker's first request: gunicorn recycles workers
# (--max-requests), and each fresh worker's first request would otherwise pay ~0.3 s of
# imports, the slowest request of its life.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
