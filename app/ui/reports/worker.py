"""A long job (export, import) in a worker thread, with progress and a cancel request.

The job receives ``progress(done, total)`` and ``cancelled() -> bool``; the service checks the
latter between batches and stops cleanly (no half-written file, nothing committed).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class JobThread(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job, parent: Any = None) -> None:
        super().__init__(parent)
        self._job = job
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            result = self._job(lambda done, total: self.progressed.emit(done, total), self._stop.is_set)
        except BaseException as exc:
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
