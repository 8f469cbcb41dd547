"""booksmith: print-ready book typesetting."""

__version__ = "0.1.0"
