"""The one place that turns model objects into URLs and output paths.

A *site path* is what a page answers to below the site root, always starting
and (for pages) ending with '/': '/1.6/'. ``href`` prefixes the base path so
the site can live under a subpath; ``output_file`` maps a site path to a file
inside the output folder and never leaves it.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

from playbook.diagnostics import Diagnostics
from playbook.model.types import Glossary, KeyTask, Page, Phase, Playbook, Resources

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]|^[A-Za-z]:|(?:^|/)\.\.?(?:/|$)")
PLACEHOLDER_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?example\.(?:com|org|net)(?:[/?#]|$)", re.I)
"""An address left as a placeholder (www.example.com): warned about, never linked."""
_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.|//)", re.I)
LIQUID_BASEURL = re.compile(r"^\{\{\s*site\.baseurl\s*\}\}")
"""Jekyll's ``{{ site.baseurl }}`` at the start of a link: the one piece of Liquid playbook resolves."""
_SLUG_DROP = re.compile(r"[^\w\s-]", re.U)
_SLUG_DASH = re.compile(r"[\s_-]+", re.U)


def slugify(text: str) -> str:
    """A readable, stable URL segment: 'Project Business Case' -> 'project-business-case'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _SLUG_DROP.sub("", text.lower())
    return _SLUG_DASH.sub("-", text).strip("-") or "item"


def check_site_path(value: str) -> str | None:
    """Why ``value`` is not a safe site path, or None when it is."""
    decoded = unquote(value)
    if not decoded.startswith("/"):
        return "must start with '/'"
    if decoded.startswith("//") or "://" in decoded:
        return "must be a path on this site, not an address"
    if _UNSAFE.search(decoded.lstrip("/")) or _UNSAFE.search(decoded):
        return "must not contain '..', '.', backslashes, drive letters or control characters"
    return None


_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "mailto")
"""Schemes a template, example, url or download value may link to."""


def check_file_name(value: str) -> str | None:
    """Why ``value`` is not a safe file name below /assets/files/, or None when it is."""
    if _DRIVE.match(value):
        return "must not start with a drive letter"
    if "\\" in value:
        return "must not contain backslashes"
    if value.startswith("/"):
        return "must be a file name, not an absolute path"
    if _CONTROL.search(value):
        return "must not contain control characters"
    if any(part in ("", ".", "..") for part in value.split("/")):
        return "must not contain '..', '.' or empty folder names"
    return None


def address_scheme(value: str) -> str:
    """The lower-cased scheme of an address as a browser would read it ('' for none)."""
    m = _SCHEME.match(_CONTROL.sub("", value.strip()))
    return m.group(1).lower() if m else ""


def check_address(value: str, site_path: bool) -> tuple[str, str] | None:
    """Why a template/example/url/download value is unsafe: (severity, reason), or None.

    An address with a scheme other than http, https or mailto is shown as text,
    never linked (a warning). A path that could leave its folder is an error.
    ``site_path`` allows a path on this site starting with '/' (url, downloads).
    """
    scheme = address_scheme(value)
    if scheme and not _DRIVE.match(value):
        if scheme in LINK_SCHEMES:
            return None
        return "warning", f"'{scheme}:' addresses are not linked; use an http or https address"
    if value.lower().startswith("www."):
        return None
    if site_path and value.startswith("/"):
        problem = check_site_path(value)
        return ("error", problem) if problem else None
    problem = check_file_name(value)
    return ("error", problem) if problem else None


def normalise_permalink(value: str) -> str:
    """'/1.6' -> '/1.6/'; a path ending in a file name (404.html) is kept."""
    last = value.rsplit("/", 1)[-1]
    if last and "." in last and not re.match(r"^\d+\.\d+$", last):
        return value
    return value if value.endswith("/") else value + "/"


_BUILT_IN = ("/activities/", "/artifacts/", "/assets/", "/downloads/", "/pagefind/", "/parties/")
"""Folders where the build puts pages and files of its own."""


class Urls:
    """URLs for one build: base path, every page's site path, and file mapping."""

    def __init__(self, base_url: str = "/", host: str = ""):
        parts = urlsplit(base_url or "/")
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        self.base_path = "/" + parts.path.strip("/") if parts.path.strip("/") else ""
        self.host = host.rstrip("/")
        """Address of the site the playbook is part of ('' for none): content links to paths that are
        not the playbook's go there (see :meth:`rewrite`)."""
        self._paths: dict[str, str] = {}
        self._pages: frozenset[str] = frozenset()
        self.linked: dict[str, str | None] = {}
        """Every site path :meth:`href` linked to (fragment included), with the page being rendered
        when it was first asked for (None outside a page): the build checks each against the files
        it wrote. Fragments and the side navigation keep their HTML across pages, so a link is
        recorded on the first page that made it."""
        self.page: str | None = None
        """The site path of the page being rendered; the renderer sets it."""

    # --- fixed pages -------------------------------------------------------
    home = "/"
    activities = "/activities/"
    not_found = "/404.html"
    sitemap = "/sitemap.xml"
    robots = "/robots.txt"
    artifacts = "/artifacts/"
    tracker_csv = "/artifacts/tracker.csv"
    """The document tracker (artifact x phase) as CSV."""
    tracker_xlsx = "/artifacts/tracker.xlsx"
    """The document tracker as an Excel workbook."""
    flow_svg = "/artifacts/flow.svg"
    flow_css = "/artifacts/flow.css"
    """The picture of the whole artifact flow."""
    downloads = "/downloads/"

    @staticmethod
    def download(name: str) -> str:
        """A generated file on the downloads page, e.g. download('playbook.pdf')."""
        return "/downloads/" + quote(name.lstrip("/"))

    @staticmethod
    def edit(repository: str, branch: str, repo_path: str) -> str:
        """"Edit this page": the file in the repository's web editor (GitHub's /edit/BRANCH/PATH form)."""
        return f"{repository.rstrip('/')}/edit/{quote(branch, safe='')}/{quote(repo_path.lstrip('/'))}"

    search_bundle = "/pagefind/"
    """Where `playbook build` puts the Pagefind search index and its UI."""

    @staticmethod
    def asset(name: str) -> str:
        """A file under /assets/, e.g. asset('css/site.css')."""
        return "/assets/" + quote(name.lstrip("/"))

    @staticmethod
    def template_file(filename: str) -> str:
        """Where a template or example file named in content is served; never outside /assets/files/."""
        name = filename.strip()
        problem = check_file_name(name)
        if problem:
            raise ValueError(f"unsafe file name {name!r}: {problem}")
        return "/assets/files/" + quote(name)

    @staticmethod
    def party(key: str) -> str:
        """The static page of one responsible party's work."""
        return f"/parties/{key}/"

    @staticmethod
    def artifact(slug: str) -> str:
        """The page of one artifact."""
        return f"/artifacts/{slug}/"

    @staticmethod
    def glossary_term(glossary_path: str, term: str) -> str:
        """Link to a term's anchor on the glossary page."""
        return f"{glossary_path}#{slugify(term)}"

    @staticmethod
    def section_ids(names) -> list[str]:
        """The anchors of the Resources page's sections, as the M3 site makes them: the title without
        spaces and punctuation ('Progress Review Templates' -> 'ProgressReviewTemplates'), unique."""
        out, seen = [], set()
        for name in names:
            ident = re.sub(r"[^A-Za-z0-9_-]", "", unicodedata.normalize("NFKD", name)) or "section"
            n, base = 1, ident
            while ident in seen:
                n += 1
                ident = f"{base}-{n}"
            seen.add(ident)
            out.append(ident)
        return out

    # --- content pages -------------------------------------------------------
    @staticmethod
    def default_path(obj) -> str:
        """The site path a content object gets when it names no permalink."""
        if isinstance(obj, KeyTask):
            return f"/{obj.phase}.{obj.number}/"
        if isinstance(obj, Phase):
            return f"/phase{obj.number}/"
        if isinstance(obj, Glossary):
            return "/glossary/"
        if isinstance(obj, Page):
            return f"/{slugify(obj.slug)}/"
        if isinstance(obj, Resources):
            return "/resources/"
        raise TypeError(obj)

    def assign(self, playbook: Playbook, diags: Diagnostics) -> None:
        """Give every content object its site path; refuse unsafe or clashing ones."""
        taken: dict[str, str] = {p: "(built in)" for p in (self.home, self.activities, self.artifacts,
                                                          self.not_found, "/parties/", self.downloads,
                                                          self.search_bundle)}
        objs = [*playbook.phases, *playbook.tasks, *([playbook.glossary] if playbook.glossary else []),
                *([playbook.resources] if playbook.resources else []), *playbook.pages]
        for obj in objs:
            path = self.default_path(obj)
            if obj.permalink:
                problem = check_site_path(obj.permalink)
                line = playbook.sources[obj.path].line("permalink") if obj.path in playbook.sources else 0
                if problem:
                    diags.error(obj.path, line, "permalink", f"unsafe permalink '{obj.permalink}': {problem}",
                                f"use a path such as '{path}'")
                else:
                    path = normalise_permalink(obj.permalink)
            if path.startswith(self.artifacts) and path not in taken:
                line = playbook.sources[obj.path].line("permalink") if obj.path in playbook.sources else 0
                diags.error(obj.path, line, "permalink", f"permalink '{path}' is inside {self.artifacts}, "
                            "where the artifact pages are", "pick a path outside it")
                continue
            if path in taken:
                if not obj.permalink and isinstance(obj, KeyTask):
                    continue  # two tasks with one id: reported as a duplicate key task already
                line = playbook.sources[obj.path].line("permalink") if obj.path in playbook.sources else 0
                diags.error(obj.path, line, "permalink", f"duplicate permalink '{path}' (also used by {taken[path]})",
                            "give each page its own permalink")
                continue
            taken[path] = obj.path
            self._paths[obj.path] = path
        self._pages = frozenset(self._paths.values())

    def of(self, obj) -> str:
        """The site path of a content object (after :meth:`assign`)."""
        return self._paths.get(obj.path) or self.default_path(obj)

    def has(self, obj) -> bool:
        """True when the object got a page of its own."""
        return obj.path in self._paths

    def page_paths(self) -> frozenset[str]:
        """The site path of every content object that got a page."""
        return self._pages

    # --- links ---------------------------------------------------------------
    def href(self, site_path: str) -> str:
        """A link to a site path, under the base path; recorded in :attr:`linked`."""
        self.linked.setdefault(site_path, self.page)
        return self.base_path + site_path

    def folder(self, site_path: str) -> str:
        """Where the files below a folder are served, for a script that loads them (not itself a link)."""
        return self.base_path + site_path

    def absolute(self, site_path: str) -> str:
        """A full address (for sitemap.xml); only as full as the base URL allows."""
        return self.origin + self.base_path + site_path

    def rewrite(self, href: str) -> str:
        """A root-relative link written in content, as the pages link it.

        A leading ``{{ site.baseurl }}`` (Jekyll's Liquid) is the site's root. A path of the playbook (a content page, a built-in page, a file below /assets/) moves under
        the base path, and a content page's path gets the slash it lacks ('/m3phase0' ->
        '/m3phase0/'). Any other root-relative path is a page of the host site (:attr:`host`) when
        there is one, and goes there. Links already under the base path, and all others, stay."""
        if href.startswith("{"):
            href = LIQUID_BASEURL.sub("", href) or "/"
        if not href.startswith("/") or href.startswith("//"):
            return href
        if self.base_path and (href == self.base_path or href.startswith(self.base_path + "/")):
            return href
        cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
        path, rest = href[:cut], href[cut:]
        site = unquote(path)
        if site not in self._pages and not site.endswith("/") and site + "/" in self._pages:
            return self.base_path + path + "/" + rest
        if self.host and not self.ours(site):
            return self.host + href
        return self.base_path + href

    def ours(self, site_path: str) -> bool:
        """True when the playbook may answer a root-relative path: one of its pages or files, or a
        path where the build puts pages and files of its own (/artifacts/, /assets/, ...)."""
        folder = site_path if site_path.endswith("/") else site_path + "/"
        return (site_path in self._pages or folder in self._pages or folder == "/" or folder.startswith(_BUILT_IN)
                or site_path in (self.not_found, self.sitemap, self.robots))

    def address(self, value: str) -> str | None:
        """Href for a template, example, url or download value: an address, a path on this site or a file
        name below /assets/files/; None for placeholders, other schemes and unsafe names (not linked)."""
        value = (value or "").strip()
        if value.startswith("{"):
            value = LIQUID_BASEURL.sub("", value) or "/"
        if not value or PLACEHOLDER_ADDRESS.match(value):
            return None
        if _URLISH.match(value):
            if value.lower().startswith("www."):
                return "https://" + value
            return value if address_scheme(value) in LINK_SCHEMES else None
        if value.startswith("/"):
            return self.rewrite(value)
        try:
            return self.href(self.template_file(value))
        except ValueError:  # validation reported it; never link outside /assets/files/
            return None

    @staticmethod
    def output_file(site_path: str) -> str:
        """The file (relative to the output folder) that serves a site path."""
        problem = check_site_path(site_path)
        if problem:
            raise ValueError(f"unsafe site path {site_path!r}: {problem}")
        rel = unquote(site_path).lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        return rel
