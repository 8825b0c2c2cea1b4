#!/usr/bin/env python
"""Django's manage.py; the `corridor` command is the same thing with Corridor's own help."""

import sys

from corridor.cli import main

if __name__ == "__main__":
    sys.exit(main())
