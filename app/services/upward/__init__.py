"""Upward reporting: report packages sent to the body above, and their consolidation there."""
