"""The Báo cáo section: report preview with drill-down, register export, legacy register import."""
