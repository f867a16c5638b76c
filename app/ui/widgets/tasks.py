"""Running database reads off the GUI thread, delivering only the latest answer.

A worker opens its own session (``ctx.db.session()``) inside ``job``; the result comes back
on the GUI thread. Each ``TaskRunner`` numbers its submissions, so an answer that arrives
after a newer question was asked (a stale search while the clerk kept typing) is dropped.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives in the GUI thread: a signal emitted by a worker is queued to it."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, ticket: int, job: Callable[[], Any]) -> None:
        super().__init__()
        self._relay = relay
        self._ticket = ticket
        self._job = job

    def run(self) -> None:
        try:
            result = self._job()
        except BaseException as exc:
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self._relay.failed, exc)
        else:
            self._emit(self._relay.done, result)

    def _emit(self, signal: Any, value: object) -> None:
        # RuntimeError: the screen was closed while the job ran, nobody is waiting for the answer.
        with contextlib.suppress(RuntimeError):
            signal.emit(self._ticket, value)


class TaskRunner(QObject):
    """Submit jobs; only the answer to the newest submission reaches ``on_done``."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._relay.failed.connect(self._fail)
        self._ticket = 0
        self._on_done: Callable[[Any], None] | None = None
        self._on_error: Callable[[BaseException], None] | None = None
        self.busy = False

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._ticket += 1
        self._on_done = on_done
        self._on_error = on_error
        self.busy = True
        self._pool.start(_Job(self._relay, self._ticket, job))

    def cancel(self) -> None:
        """Forget the pending answer (the job itself runs to its end)."""
        self._ticket += 1
        self.busy = False

    @Slot(int, object)
    def _deliver(self, ticket: int, result: object) -> None:
        if ticket != self._ticket or self._on_done is None:
            return
        self.busy = False
        self._on_done(result)

    @Slot(int, object)
    def _fail(self, ticket: int, exc: object) -> None:
        if ticket != self._ticket:
            return
        self.busy = False
        assert isinstance(exc, BaseException)
        if self._on_error is not None:
            self._on_error(exc)
        else:
            raise exc
