"""The floor for ``python -m app gui --screenshot``: a bare PySide6 window shown, grabbed and saved.

    QT_QPA_PLATFORM=offscreen python bench/bare_window.py /tmp/bare.png

Compared with the application's start-up as whole processes (see bench/README.md).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main(path: str) -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Tiếp công dân"))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    window.grab().save(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "bare.png"))
