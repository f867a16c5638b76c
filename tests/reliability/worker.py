"""A child process for the reliability tests: ``python -m tests.reliability.worker MODE DB [ARG]``
(DB: a SQLite file or a database URL).

Modes:
- ``save N``: register visits, each in its own transaction, printing ``saved <id>`` after each
  commit (``N`` = 0 means forever, until killed);
- ``fork K``: K times, fork a child that opens the database, prints ``ready <pid>`` and saves
  forever (the test kills it), then print ``ended <pid>``; the imports are paid once, not K times;
- ``full LIMIT``: the same under a file-size limit (a full disk) until the save is refused;
- ``backup-full LIMIT FOLDER``: a backup under a file-size limit.
It prints ``ready`` once the database is open and ``refused <message>`` for a StorageError.
The data key comes from ``TIEPDAN_KEY_FILE`` (set by the test).
"""

from __future__ import annotations

import itertools
import os
import resource
import signal
import sys
from pathlib import Path

from app.db import Database
from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput
from app.services.records import backup


def _visit(i: int) -> visits.VisitInput:
    return visits.VisitInput(
        reception_kind=ReceptionKind.REGULAR,
        citizen=CitizenInput(
            # The same number is the same person in every process (a CCCD under another name is
            # refused as a conflict); the process shows in the address.
            full_name=f"Công Dân Thứ {i % 100000}",
            id_number=f"0240850{i % 100000:05d}",
            gender=Gender.MALE,
            birth_year=1985,
            province_code="24",
            address_detail=f"Số {i} đường Thử Nghiệm, tiến trình {os.getpid()}",
        ),
        summary=f"Nội dung trình bày số {i}: khiếu nại về bồi thường đất đai " + "chi tiết " * 20,
        matter_kind=MatterKind.DENUNCIATION if i % 5 == 0 else MatterKind.COMPLAINT,
        outcome=VisitOutcome.GUIDED,
    )


def _limit_file_size(limit: int) -> None:
    # A full disk, without filling one: writes past ``limit`` bytes fail with EFBIG
    # (SIGXFSZ would kill the process instead, so it is ignored). Works as root, unlike chmod.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _report(line: str) -> None:
    # One write(2) of a whole line: a kill can drop a report but never cut one in half and glue
    # the rest to the parent's next line (print writes the text and the newline separately).
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), f"{line}\n".encode())


def _save_loop(db: Database, count: int) -> None:
    for i in itertools.count(1) if count == 0 else range(1, count + 1):
        with db.transaction() as session:
            saved = visits.register_visit(session, SYSTEM, _visit(i))
        _report(f"saved {saved.id}")  # only after the commit returned


def _forking(db_file: Path, times: int) -> int:
    for _ in range(times):
        pid = os.fork()
        if pid == 0:  # the child: open, announce, save until killed
            try:
                db = Database(f"sqlite:///{db_file}")
                print(f"ready {os.getpid()}", flush=True)
                _save_loop(db, 0)
            finally:
                os._exit(1)
        os.waitpid(pid, 0)
        print(f"ended {pid}", flush=True)
    print("done", flush=True)
    return 0


def main(argv: list[str]) -> int:
    mode, db_file = argv[0], Path(argv[1])
    if mode == "fork":
        return _forking(db_file, int(argv[2]))
    db = Database(argv[1] if "://" in argv[1] else f"sqlite:///{db_file}")  # a file, or any URL
    print("ready", flush=True)
    try:
        if mode == "save":
            _save_loop(db, int(argv[2]))
        elif mode == "full":
            _limit_file_size(int(argv[2]))
            _save_loop(db, 0)
        elif mode == "backup-full":
            _limit_file_size(int(argv[2]))
            backup.backup_to_folder(db, SYSTEM, Path(argv[3]))
            print("backed-up", flush=True)
    except StorageError as exc:
        print(f"refused {exc.user_message}", flush=True)
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
