"""The reception desk screen: visit form, returning-citizen panel, today's board and the visit list."""
