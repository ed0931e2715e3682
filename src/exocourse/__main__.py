"""``python -m exocourse``: the same as the ``exocourse`` command."""

import sys

from .cli import main

sys.exit(main())
