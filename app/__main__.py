"""``python -m app``: the window, or a headless job (see ``python -m app --help``)."""

import gc
import sys

# Loading the code (SQLAlchemy, the models, Qt, the desk) makes over a hundred thousand objects that
# live as long as the process, and next to no garbage: the collector's full passes over them, during
# the start and again at exit, were about a quarter of the window's start-up CPU time. It stays off
# while the code loads; ``app.cli.common.code_loaded`` then freezes what was loaded out of every
# later pass and turns it back on.
gc.disable()

from app.cli import main  # noqa: E402 — after the collector is off

sys.exit(main())
