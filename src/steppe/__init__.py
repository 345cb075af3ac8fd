"""steppe: an open migration observatory for Central Asia."""

__version__ = "0.1.0"
