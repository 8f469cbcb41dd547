"""Printer profiles: what KDP, IngramSpark or Lulu require of an interior, as data
(printers/<name>.json, validated by schema.json), and fitting a book to them."""

from booksmith.printers.load import load_printer, printer_names
from booksmith.printers.model import PageBleed, Printer

__all__ = ["PageBleed", "Printer", "load_printer", "printer_names"]
