"""WSGI entry point for gunicorn (SITECARE_STATE names the state dir)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitecare_service.settings")
application = get_wsgi_application()
