"""An HTML page as a file: PDF through QTextDocument and QPdfWriter (no browser needed), or
the HTML itself. The printed reports (training, shift) share it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

# Printed on white whatever the application's theme.
PRINT_CSS = """
body { color: #000000; background: #ffffff; font-size: 10pt; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3 { font-size: 11pt; }
th { background: #e4e8ee; color: #000000; }
td { color: #000000; }
"""


def write_pdf(page: str, out: Path, title: str) -> Path:
    """Print the HTML ``page`` to the PDF file ``out`` (A4, 15 mm margins); returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(out))
    writer.setResolution(96)  # the document lays out in screen points, as it would on screen
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(title)
    doc = QTextDocument()
    doc.setHtml(page)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    return out


def write_document(page: str, out: Path, title: str) -> Path:
    """``page`` as PDF for a ``.pdf`` path, else as the HTML file; returns ``out``."""
    if out.suffix.lower() == ".pdf":
        return write_pdf(page, out, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
