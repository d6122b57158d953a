"""PDF: the playbook as tagged PDF (PDF/UA-1), from the same model and layouts as the site.

``layouts/pdf/playbook.html`` is rendered with the site's own Jinja environment
(same filters, same partials), then laid out by WeasyPrint with
``static/css/pdf.css``: cover, contents with page numbers, a section per phase,
each key task on a new page, running headers, "Page X of Y", the glossary.
The fonts are the USWDS Source Sans Pro files from node_modules, so the PDF
looks the same on every machine and does not depend on the fonts installed.

WeasyPrint is an optional dependency (``pip install '.[pdf]'``); it is imported
only when a PDF is asked for, because it is slow to import and to run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from playbook.publish import assets

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "pdf.css"
"""The print stylesheet: page size, margins, running headers, counters."""
VARIANT = "pdf/ua-1"
"""PDF/UA-1: tagged, with a structure tree, language and title, for screen readers."""
_FACES = (("regular", "normal", 400), ("italic", "italic", 400), ("bold", "normal", 700),
          ("bolditalic", "italic", 700))


class PdfUnavailable(Exception):
    """WeasyPrint (or the system libraries it needs) is not installed."""


@dataclass(frozen=True)
class Document:
    """One PDF to make: the whole playbook, or one phase."""

    name: str
    """File name, e.g. 'playbook.pdf' or 'phase-1.pdf'."""
    title: str
    """Document title (PDF metadata and cover)."""
    phases: tuple[int, ...]
    """Phase numbers it holds."""
    glossary: bool
    """Whether the glossary is appended."""
    phase: int | None = None
    """The phase, for a one-phase PDF."""


def documents(site, title: str) -> list[Document]:
    """The whole playbook, then one PDF per phase that has a phase file or key tasks."""
    numbers = tuple(site.phase_numbers())
    docs = [Document("playbook.pdf", title, numbers, site.playbook.glossary is not None)]
    for n in numbers:
        phase = site.phase_of.get(n)
        name = f"Phase {n}" + (f": {phase.name}" if phase else "")
        docs.append(Document(f"phase-{n}.pdf", f"{title}, {name}", (n,), False, n))
    return docs


def font_css() -> str:
    """@font-face rules for the USWDS body font, or '' when the USWDS package is not installed."""
    try:
        folder = assets.find_uswds() / "fonts" / "source-sans-pro"
    except assets.MissingAssets:
        return ""
    rules = []
    for stem, style, weight in _FACES:
        f = folder / f"sourcesanspro-{stem}-webfont.ttf"
        if f.is_file():
            rules.append(f"@font-face {{ font-family: 'Source Sans Pro'; font-style: {style}; "
                         f"font-weight: {weight}; src: url('{f.as_uri()}'); }}")
    return "\n".join(rules)


def iso_date(timestamp: int | None) -> str:
    """W3C date-time for the PDF metadata: the content's last change, so rebuilding changes nothing."""
    return datetime.fromtimestamp(timestamp or 0, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def html(renderer, doc: Document) -> str:
    """The HTML of one PDF, from layouts/pdf/playbook.html."""
    site, history = renderer.site, renderer.history
    rels = [p.rel for p in site.playbook.phases if p.number in doc.phases]
    rels += [t.rel for t in site.playbook.tasks if t.phase in doc.phases]
    stamps = [s for s in (history.timestamp(r) for r in rels) if s is not None]
    changed = max(stamps) if stamps else None
    return renderer.env.get_template("pdf/playbook.html").render(
        doc=doc, current="", page_path="", changed=iso_date(changed) if changed else "",
        changed_text=history.updated(rels[stamps.index(changed)]) if changed else "",
        glossary=site.playbook.glossary if doc.glossary else None,
    )


def write_pdf(markup: str, base_url: str | None) -> bytes:
    """Lay out HTML as tagged PDF bytes."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        raise PdfUnavailable(f"PDF output needs WeasyPrint and Pango: pip install '.[pdf]' and "
                             f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from exc
    # WeasyPrint warns about every CSS property it ignores (USWDS uses many); the build reports its own problems
    import logging  # with WeasyPrint only

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = weasyprint.text.fonts.FontConfiguration()
    sheets = [weasyprint.CSS(string=font_css(), font_config=fonts), weasyprint.CSS(filename=str(CSS),
                                                                                 font_config=fonts)]
    page = weasyprint.HTML(string=markup, base_url=base_url)
    return page.write_pdf(stylesheets=sheets, font_config=fonts, pdf_variant=VARIANT, pdf_tags=True,
                          uncompressed_pdf=False)


def check_links(urls, where: str, diags) -> None:
    """Warn, once for all the PDFs, when their links can only be paths on the site.

    A PDF is read away from the site (downloaded, mailed, printed), where a link to
    /1.6/ leads nowhere; with the site's full address every link in it is absolute.
    """
    if not urls.origin:
        diags.warning(where, 0, "base_url", "links in the PDFs are paths on the site, which do not work outside it",
                      "give the site's full address, e.g. --base-url https://agency.gov/m3/ or base_url in "
                      "playbook.toml")


def render(renderer, doc: Document) -> bytes:
    """One PDF document as bytes; links resolve against the site's address when it has one."""
    urls = renderer.urls
    base = urls.absolute("/") if urls.origin else None
    return write_pdf(html(renderer, doc), base)
