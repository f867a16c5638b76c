"""The office's records as files: backup and restore, the integrity check, import of legacy Excel
registers, register export, the formula-safe xlsx writing they share, and the drafts of unsaved forms.

May import ``common``, ``security`` and ``reception``."""
