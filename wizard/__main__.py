"""Provides `python -m wizard`."""

import sys

from .cli import main

sys.exit(main())
