"""Test settings: fast hasher, local-memory cache, immediate tasks."""

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
MAP_TILE_URL = "/static/carte/test-tile.png"
GEOCODER_URL = ""
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Maps and geography: no network, and the map sandbox for browser tests.
GEOCODER_BACKEND = "carte.geocoding.FakeGeocoder"
AGORA_TESTING_URLS = True
