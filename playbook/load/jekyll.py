"""The Jekyll repository a playbook's content may live in (the M3 site's own shape).

QSMO staff keep the M3 Playbook in a Jekyll site: the key tasks below
``_pages/m3/``, the template files in ``assets/files/`` and the images in
``assets/images/`` at the repository's root, and the site's address in
``_config.yml``. The root is recognised by ``_config.yml`` beside a
``_pages/`` folder, at or above the content folder; from it come the folder of
files to publish (:func:`playbook.pipeline.content_files`), a configuration
file kept there, and the address of the host site that links leaving the
playbook go to (:func:`host_address`).
"""
from __future__ import annotations

import os
from pathlib import Path

from playbook.diagnostics import Diagnostics

CONFIG = "_config.yml"
PAGES = "_pages"


def find_root(content: Path) -> Path | None:
    """The root of the Jekyll repository ``content`` lives in, as a path like ``content`` (relative when
    it is), or None when it lives in none."""
    content = Path(content)
    here = content.absolute()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file() and (folder / PAGES).is_dir():
            if content.is_absolute():
                return folder
            return Path(os.path.relpath(folder))
    return None


def host_address(root: Path, diags: Diagnostics) -> str:
    """``url`` and ``baseurl`` of the repository's _config.yml joined ('https://ussm.gsa.gov'); '' when
    absent. The file is read with the content's safe YAML reader; a problem is a warning (the file is the
    host site's, and only its address is needed)."""
    from playbook.load.documents import parse_yaml, read_text

    shown = (Path(root) / CONFIG).as_posix()
    said = Diagnostics()
    text = read_text(Path(root) / CONFIG, shown, said)
    got = parse_yaml(text, shown, 1, said) if text is not None else None
    for d in said.items:
        if d.severity == "error":
            diags.warning(d.path, d.line, d.field, f"{d.message}; the host site's address is not read from it",
                          d.hint)
    if got is None:
        return ""
    data, lines = got
    url, base = data.get("url"), data.get("baseurl")
    if url in (None, ""):
        return ""
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")) \
            or any(c.isspace() for c in url.strip()):
        diags.warning(shown, lines.get(("url",), 1), "url", f"'{url}' is not an http(s) address; links to the "
                      "host site stay under the playbook's base path", "set host_url in playbook.toml")
        return ""
    if not isinstance(base, str) or not base.strip().strip("/"):
        base = ""
    else:
        base = "/" + base.strip().strip("/")
    return url.strip().rstrip("/") + base
