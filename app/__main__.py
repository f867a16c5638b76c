"""``python -m app``: the window, or a headless job (see ``python -m app --help``)."""

import sys

from app.cli import main

sys.exit(main())
