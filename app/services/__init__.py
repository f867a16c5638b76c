"""Plain-Python services: every rule, query, export and printout. Nothing here imports Qt."""
