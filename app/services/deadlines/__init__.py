"""The legal clocks: the pure deadline engine (``engine``), the office calendar of holidays and
make-up days (``calendar``, edited through ``calendar_edits``), the open clocks of petitions
(``clocks``), and the follow-up board built on them.

May import ``common`` and ``security``. Reading the calendar sits below ``clocks``; editing it
sits above, since an edit moves the open clocks."""
