"""The one helper that turns a template into PDF bytes (open-forms' render_to_pdf).

Rendering is safe by construction: the URL fetcher serves only files from the app's own static
files (and the data: URLs WeasyPrint makes for inline SVG); `file://`, http(s), media files and
anything else are refused, so text a user typed cannot make the renderer read a local file or
call out to the network. User text reaches the template through Django's autoescaping.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

__all__ = ["STATIC_BASE", "PdfAttachment", "SafeFetcher", "render_to_pdf"]

logger = logging.getLogger(__name__)

# Relative URLs in the templates resolve against this origin, which is never contacted: the
# fetcher maps its /static/ paths to files on disk and refuses everything else.
STATIC_BASE = "https://regiomonitor.invalid/"


class RefusedURL(ValueError):
    pass


@dataclass(frozen=True)
class PdfAttachment:
    name: str
    content: bytes
    description: str
    mime_type: str


def _static_file(path: str) -> Path | None:
    """The file of a static path ("css/report.css"), only inside the static folders."""
    if not path or ".." in Path(path).parts:
        return None
    found = finders.find(path)
    if found:
        return Path(found)
    candidate = (Path(settings.STATIC_ROOT) / path).resolve()
    root = Path(settings.STATIC_ROOT).resolve()
    if root in candidate.parents and candidate.is_file():
        return candidate
    return None


def _make_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """Serves our static files; refuses every other URL (and records what it refused)."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = STATIC_BASE + settings.STATIC_URL.strip("/") + "/"
            path = None
            if url.startswith(prefix):
                path = _static_file(url[len(prefix) :].split("?")[0].split("#")[0])
            if path is None:
                self.refused.append(url)
                logger.warning("PDF rendering refused to fetch %s", url[:200])
                raise RefusedURL(f"Refused: {url[:200]}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers=_headers(path))

    return Fetcher()


def _headers(path: Path) -> dict:
    types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
    return {"Content-Type": types.get(path.suffix, "application/octet-stream")}


SafeFetcher = _make_fetcher  # a new fetcher per render; `.refused` lists what it refused


def render_to_pdf(
    template: str,
    context: dict,
    *,
    variant: str,
    attachments: list[PdfAttachment] = (),
    fetcher=None,
) -> bytes:
    """Render `template` with `context` to PDF bytes of the given PDF/A `variant`."""
    from weasyprint import HTML, Attachment

    html = render_to_string(template, context)
    fetcher = fetcher or SafeFetcher()
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(
        pdf_variant=variant,
        attachments=[
            Attachment(
                string=a.content,
                name=a.name,
                description=a.description,
                relationship="Data",
                url_fetcher=fetcher,
            )
            for a in attachments
        ],
        uncompressed_pdf=False,
    )


def warm_up() -> None:
    """Load WeasyPrint, Pango and the fonts once in the pdf worker's main process, before it
    forks a pool process per render: each render then starts from that state instead of
    loading it again."""
    from weasyprint import HTML

    HTML(string="<p>Regiomonitor</p>").write_pdf()
