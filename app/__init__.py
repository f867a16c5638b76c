"""TiếpDân: citizen reception and petition handling for Vietnamese reception offices."""

__version__ = "0.1.0"
