"""Leaders' reception days (lịch tiếp công dân): planning from the legal minimum, bookings, holding the
day at the desk, the agenda and the online sessions with their connection points.

Modules: ``days`` (plan, edit, shortfall against the dated minimum), ``bookings`` (register citizens,
hold the day: a booking becomes a visit), ``agenda`` (the facts the printed list and programme show).

May import ``common``, ``security``, ``deadlines``, ``reception`` and ``casework``.
"""
