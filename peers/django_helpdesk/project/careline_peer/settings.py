"""A minimal Django project around django-helpdesk, for Careline's tests and demo.

SQLite in PEER_DATA_DIR; the REST API on (django-helpdesk's API is staff-only, token
auth); mail goes nowhere (the customer hears from Careline, not from the helpdesk).
django-helpdesk reads its webhook targets from HELPDESK_NEW_TICKET_WEBHOOK_URLS and
HELPDESK_FOLLOWUP_WEBHOOK_URLS in the environment itself."""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("PEER_DATA_DIR", Path(__file__).resolve().parents[3] / ".peers"))
SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "careline-peer-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
    "careline_peer",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "careline_peer.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "helpdesk.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = DATA_DIR / "media"
# Attachments are links into MEDIA_ROOT that a deployment's web server serves; urls.py
# serves them here in its place.
MEDIA_URL = "/media/"
USE_TZ = True
TIME_ZONE = "UTC"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@peer.invalid"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
HELPDESK_API_ENABLED = True
HELPDESK_WEBHOOK_TIMEOUT = 5
LOGIN_URL = "/login/"
# Teams need pinax-teams; Careline does not use them.
HELPDESK_TEAMS_MODE_ENABLED = False
