"""The catalogues of the Danh mục section: competent bodies (the 2025 two-tier administration), the
routing rules that suggest where a petition goes, the fields (lĩnh vực) an office uses.

May import ``common`` and ``security``."""
