"""The desk: citizens and their identity documents, the search that finds a returning citizen,
and the visits (lượt tiếp) registered at the reception desk.

May import ``common`` and ``security``: reception never depends on casework."""
