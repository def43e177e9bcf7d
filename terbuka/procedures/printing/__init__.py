"""The printed SOP sheet (PermenPAN-RB 35/2012): pure layout, HTML and PDF.

:mod:`.layout` is pure Python (no Django); :mod:`.render` renders the template and, through
WeasyPrint, the PDF.
"""

from .render import sop_sheet_html, sop_sheet_pdf

__all__ = ["sop_sheet_html", "sop_sheet_pdf"]
