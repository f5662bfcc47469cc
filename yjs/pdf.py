"""The one place that turns HTML into PDF (WeasyPrint). Callers never import
WeasyPrint themselves."""

from __future__ import annotations

from django.conf import settings


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document (with its own <style>, including @page rules) to
    PDF bytes. ``base_url`` resolves relative links; static files by default."""
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()
