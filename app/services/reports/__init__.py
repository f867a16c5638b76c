"""The inspectorate's periodic report forms: periods, form definitions as data, the engine, the xlsx layout.

May import ``common``, ``security``, ``reception``, ``casework`` and ``records``."""
