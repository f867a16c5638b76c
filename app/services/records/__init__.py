"""The office's records as files: backup and restore, the integrity check, import of legacy Excel
registers, register export, and the formula-safe xlsx writing they share.

May import ``common``, ``security`` and ``reception``."""
