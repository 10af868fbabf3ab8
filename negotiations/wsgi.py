"""The WSGI entry point: gunicorn serves ``negotiations.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiations.settings")

application = get_wsgi_application()
