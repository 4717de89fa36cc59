"""The django-helpdesk peer's manage.py: run with the peer's own venv (see setup.sh)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careline_peer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
