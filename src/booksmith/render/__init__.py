"""render_pdf(): the page model into PDF files, in a print or a screen profile."""

from booksmith.render.pdf import book_glyphs, draw_lines, draw_set_lines, first_text_face, render_pdf
from booksmith.render.profiles import PRINT, SCREEN, Profile, print_profile

__all__ = ["PRINT", "SCREEN", "Profile", "book_glyphs", "draw_lines", "draw_set_lines", "first_text_face",
           "print_profile", "render_pdf"]
