"""Foundations every service may use: who acts (``actor``), the errors users read, Vietnamese text
folding, office settings, the enum labels (``vocab``) and the catalogue checks built on them.

Imports nothing from the other service packages: only the models and the standard library."""
