"""``python -m app`` (and the ``tiepdan`` command): the window, or a headless job (see ``--help``)."""

import gc
import sys


def run() -> None:
    # Loading the code (SQLAlchemy, the models, Qt, the desk) makes over a hundred thousand objects
    # that live as long as the process, and next to no garbage: the collector's full passes over
    # them, during the start and again at exit, were about a quarter of the window's start-up CPU
    # time. It stays off while the code loads; ``app.cli.common.code_loaded`` then freezes what was
    # loaded out of every later pass and turns it back on.
    gc.disable()
    from app.cli import main

    sys.exit(main())


if __name__ == "__main__":
    run()
