"""render_pdf(): the page model into PDF files, in a print or a screen profile."""

from booksmith.render.pdf import render_pdf
from booksmith.render.profiles import PRINT, SCREEN, Profile

__all__ = ["PRINT", "SCREEN", "Profile", "render_pdf"]
