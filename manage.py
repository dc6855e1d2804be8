#!/usr/bin/env python
"""Django's command-line utility for the coalition project."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    # manage.py is the developer's tool in a checkout: without a secret key it runs in development mode
    # rather than failing obscurely. Servers start through coalition.wsgi, which still refuses to run
    # without DJANGO_SECRET_KEY unless DJANGO_DEBUG is set.
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
