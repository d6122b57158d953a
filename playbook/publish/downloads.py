"""Downloads: every generated format of the playbook, made from the one linked model.

The build publishes these files under /downloads/ and links them from the
downloads page, the footer and (for phase PDFs) the phase pages; the ``pdf``
and ``export`` commands write the same bytes to a folder or file of your choice.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from playbook.publish import export, files
from playbook.publish.pdf import PdfUnavailable  # noqa: F401  (re-exported for the pipeline)


@dataclass(frozen=True)
class Download:
    """One generated file."""

    name: str
    """File name under /downloads/, e.g. 'playbook.csv'."""
    label: str
    """Link text, e.g. 'Activities as a spreadsheet (CSV)'."""
    kind: str
    """'pdf', 'json', 'csv' or 'xlsx'."""
    media: str
    """File type for readers, e.g. 'PDF'."""
    data: bytes
    """The file's bytes."""
    group: str = "data"
    """'document' (to read) or 'data' (to work with): the downloads page's sections."""
    phase: int | None = None
    """The phase of a one-phase PDF."""
    note: str = ""
    """One line on what the file holds."""
    length: int = 0
    """Bytes in the file: ``len(data)``, kept when the data is let go once written (see :meth:`written`)."""

    def __post_init__(self):
        if not self.length:
            object.__setattr__(self, "length", len(self.data))

    def written(self) -> Download:
        """This download without its bytes, once they are in the site: the pages need only its size."""
        return replace(self, data=b"")

    def sized(self, length: int) -> Download:
        """This download, without bytes, as ``length`` bytes long (made elsewhere and written)."""
        return replace(self, data=b"", length=length)

    @property
    def size(self) -> str:
        """'12 KB', '1.4 MB': shown beside the link so readers know what they fetch."""
        return files.size_text(self.length)


def planned_data_files(renderer) -> list[tuple[Download, Callable[[], bytes]]]:
    """Each data export (:data:`playbook.publish.export.EXPORTS`) with the function that makes its bytes.

    The downloads are known before their bytes are made: every page's footer
    links to them, and only the downloads page shows their sizes, so a build
    makes them alongside the pages (:meth:`Download.sized` once they exist).
    """
    return [(Download(e.file, e.label, e.format, e.media, b"", note=e.note), lambda e=e: e.make(renderer))
            for e in export.EXPORTS]


def pdf_files(renderer) -> list[Download]:
    """The whole playbook as one PDF, then one PDF per phase (slow: seconds per document)."""
    from playbook.publish import pdf

    out = []
    for doc in pdf.documents(renderer.site, renderer.info.title):
        label = ("The whole playbook (PDF)" if doc.phase is None
                 else f"{doc.title.split(', ', 1)[-1]} (PDF)")
        note = ("Cover, contents, every phase and key task, and the glossary; tagged for screen readers."
                if doc.phase is None else "")
        out.append(Download(doc.name, label, "pdf", "PDF", pdf.render(renderer, doc), group="document",
                            phase=doc.phase, note=note))
    return out
