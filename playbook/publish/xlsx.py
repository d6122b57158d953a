"""A small XLSX writer: one worksheet of text cells, bold header row, the same bytes for the same rows.

The document tracker is a spreadsheet download. A general library (openpyxl)
cost 0.3-0.5 s of imports on every build, so this writes the few package parts
a one-sheet workbook needs, with fixed zip times and dates: the file depends
only on the rows and the sheet title.
"""
from __future__ import annotations

import io
import re
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Zip entry time: the earliest a zip can hold, so no build's clock leaks into the file."""

_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    '<Application>playbook</Application></Properties>'
)
_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>playbook</dc:creator>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)
# The smallest style sheet Excel accepts: two fonts (plain, bold), the two fills every
# workbook must have, one border, and three cell formats (default, header, wrapped body).
_STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    '</Relationships>'
)
_WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    '</Relationships>'
)
_OFFICE = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.extended-properties+xml"/>'
    '</Types>'
)

_WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + _REL + '">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
# The first row and the first two columns (artifact, kind) stay in view when scrolling.
_SHEET_HEAD = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{ref}"/>'
    '<sheetViews><sheetView workbookViewId="0"><pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight"'
    ' state="frozen"/><selection pane="bottomRight" activeCell="C2" sqref="C2"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
)
_SHEET_TAIL = "</sheetData></worksheet>"
_HEADER_STYLE, _BODY_STYLE = 1, 2
"""Indexes into the cellXfs of _STYLES: bold font; wrapped text aligned to the top."""

# Characters XML 1.0 cannot hold at all; a spreadsheet cell loses them rather than the build failing.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def column_letter(n: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet(rows: list[list[str]]) -> str:
    width = max((len(r) for r in rows), default=1) or 1
    letters = [column_letter(c) for c in range(1, width + 1)]
    parts = [_SHEET_HEAD.format(ref=f"A1:{letters[-1]}{max(len(rows), 1)}")]
    widths = {1: 45, 2: 14}
    if rows:
        widths.update({i: 22 for i in range(3, len(rows[0]) + 1)})
    parts.append("<cols>")
    parts += [f'<col width="{w}" customWidth="1" min="{i}" max="{i}"/>' for i, w in sorted(widths.items())]
    parts.append("</cols><sheetData>")
    for r, row in enumerate(rows, 1):
        style = _HEADER_STYLE if r == 1 else _BODY_STYLE
        parts.append(f'<row r="{r}">')
        for c, letter in enumerate(letters):
            value = row[c] if c < len(row) else ""
            if not value:
                parts.append(f'<c r="{letter}{r}" s="{style}" t="n"/>')
                continue
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            parts.append(f'<c r="{letter}{r}" s="{style}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
        parts.append("</row>")
    parts.append(_SHEET_TAIL)
    return "".join(parts)


def workbook(rows: list[list[str]], title: str) -> bytes:
    """One sheet named ``title`` (cut to 31 characters) holding ``rows`` as text; row 1 is bold.

    Every cell is stored as an inline string, so text that starts like a
    formula stays text. The result depends only on the arguments.
    """
    members = [
        ("docProps/app.xml", _APP),
        ("docProps/core.xml", _CORE),
        ("xl/worksheets/sheet1.xml", _sheet(rows)),
        ("xl/styles.xml", _STYLES),
        ("_rels/.rels", _RELS),
        ("xl/workbook.xml", _WORKBOOK.format(name=_attr(title[:31]))),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ("[Content_Types].xml", _CONTENT_TYPES),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
