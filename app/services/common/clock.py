"""The office's calendar day: the machine's clock read in Vietnam time.

A server or a CI machine may run on UTC; from 17:00 UTC it is already tomorrow in Vietnam, and a
visit is filed under its Vietnamese day (``Visit.received_on``), so every "today" is read here.
"""

from __future__ import annotations

import datetime as dt

from app.models import LOCAL_TZ


def local_today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()
