"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

from summit.settings import require_secret_key_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")

application = get_wsgi_application()
# A server must never run on the development key.
require_secret_key_to_serve()
