"""Petitions (đơn) from registration to closure: registration, classification and listing, the
handling actions with their legal effects, cases (vụ việc), eligibility, the first-reception
dates, and the register of issued documents.

May import ``common``, ``security``, ``directory``, ``deadlines`` and ``reception``."""
