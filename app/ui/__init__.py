"""Qt widgets, Qt models and signals that call the services; no SQL and no business rule here."""
