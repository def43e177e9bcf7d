"""Test profile.

The suite runs in a time zone far from Indonesia's (Pacific/Honolulu, UTC-10) so that any
code that mixes naive dates with the server zone instead of the Pemda's own zone fails.
"""

import os

from .base import *  # noqa: F403
from .base import database_config

TIME_ZONE = "Pacific/Honolulu"
DATABASES = {"default": database_config(os.environ.get("TEST_DATABASE_URL"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
