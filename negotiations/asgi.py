"""The ASGI entry point, for servers that speak ASGI (the README deploys with gunicorn's WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiations.settings")

application = get_asgi_application()
