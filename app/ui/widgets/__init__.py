"""Widgets shared by the screens: inputs with inline messages, dates, background tasks, lazy tables."""
