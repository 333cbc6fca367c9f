"""`python -m egov <command>`: manage.py for an installed package."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
execute_from_command_line(sys.argv)
