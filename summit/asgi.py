"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from summit.settings import require_secret_key_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")

application = get_asgi_application()
# A server must never run on the development key.
require_secret_key_to_serve()
