"""The build as a library call: load -> model/validate -> link -> render -> write."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from playbook.publish import assets
from playbook import collector
from playbook import config
from playbook.load import history
from playbook.link import site as link
from playbook.load import documents as load
from playbook.model import validate
from playbook.diagnostics import Diagnostics
from playbook.urls import Urls

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Options:
    """What to build and how."""

    content: Path = Path("content")
    """The content folder."""
    output: Path = Path("_site")
    """The output folder; replaced as a whole when the build succeeds."""
    base_url: str | None = None
    """Address or path the site is served under, e.g. https://agency.gov/m3/; None takes the configuration's."""
    config: Path | None = None
    """Configuration file; None looks for playbook.toml or pyproject.toml beside the content folder."""
    pdf: bool = False
    """Also make the PDFs (slow) and publish them under /downloads/."""
    strict: bool = False
    """Treat warnings as errors."""
    layouts: Path = PROJECT / "layouts"
    """Jinja2 layouts."""
    static: Path = PROJECT / "static"
    """Files copied as they are into the site's /assets/."""
    search: bool = False
    """Add the Pagefind search index and UI (the CLI turns it on; off here keeps library builds fast)."""


@dataclass
class Result:
    """What a build or check did."""

    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    """Every problem found."""
    pages: int = 0
    """HTML pages written."""
    files: int = 0
    """All files written, pages included."""
    seconds: float = 0.0
    """Wall time of the whole run."""
    written: bool = False
    """True when the output folder was replaced."""
    fatal: str = ""
    """A problem outside the content (missing assets, unwritable output)."""
    workers: int = 1
    """Processes that rendered pages (1: this one only)."""
    artifacts: object = None
    """How the inputs of key tasks resolved (:class:`playbook.artifacts.Stats`), once linked."""
    timings: dict = field(default_factory=dict)
    """Seconds per phase: load (reading and parsing the files), validate (checking each file and the whole
    playbook), link; for a build also render (pages and generated files, written as they are made) and write
    (copied files, the link check and the swap)."""

    def ok(self, strict: bool = False) -> bool:
        """True when the run succeeded."""
        return not self.fatal and not self.diagnostics.failed(strict)


def settings(options: Options, diags: Diagnostics) -> config.Config:
    """The site configuration (see :mod:`playbook.config` for where it is looked for)."""
    project = Path(options.content).absolute().parent
    return config.load(project, diags, options.config)


def warn_path_base_url(options: Options, urls: Urls, diags: Diagnostics) -> None:
    """Warn once when the base URL is only a path: robots.txt and sitemap.xml need full addresses, and so do
    the links in the PDFs (one warning for all, so a build with --pdf does not say it twice)."""
    if urls.origin:
        return
    if options.base_url is not None:
        where, line = "--base-url", 0
    else:
        where, line = config.locate(Path(options.content).absolute().parent, "base_url", options.config)
    shown = urls.base_path + "/" if urls.base_path else "/"
    # with no file setting it, the file where it would go: playbook.toml beside the content folder
    where = where or (Path(options.content).parent / "playbook.toml").as_posix()
    diags.warning(where, line, "base_url",
                  f"'{shown}' is a path, not a full address: robots.txt names no sitemap, "
                  + ("sitemap.xml lists paths, which search engines do not read, and links in the PDFs work only "
                     "on the site" if options.pdf else
                     "and sitemap.xml lists paths, which search engines do not read"),
                  f"set base_url to the address the site is served at, e.g. 'https://agency.gov{shown}', "
                  "in playbook.toml or with --base-url")


def read_site(options: Options, diags: Diagnostics, conf: config.Config | None = None,
              timings: dict | None = None):
    """Load, validate and link: everything except rendering and writing.

    ``timings``, when given, gets the seconds spent loading, validating and linking."""
    conf = conf or settings(options, diags)
    t0 = time.perf_counter()
    docs = load.load_tree(options.content, diags)
    if timings is not None:
        timings["load"] = time.perf_counter() - t0
    return link_docs(docs, diags, conf.base_url if options.base_url is None else options.base_url, None,
                     timings)


def link_docs(docs: list, diags: Diagnostics, base_url: str, checked: dict | None = None,
              timings: dict | None = None):
    """The loaded documents made into the linked site: (site, urls). Shared by build, check and serve.

    Each document is checked (or its result taken from ``checked``, see
    :func:`playbook.model.validate.document`), the whole-playbook checks run,
    every page gets its address under ``base_url``, and the cross-references
    are resolved. ``timings`` gets the seconds spent validating and linking."""
    t1 = time.perf_counter()
    playbook = validate.build_playbook(docs, diags, checked)
    urls = Urls(base_url)
    urls.assign(playbook, diags)
    t2 = time.perf_counter()
    site = link.link(playbook, diags)
    if timings is not None:
        timings.update(validate=t2 - t1, link=time.perf_counter() - t2)
    return site, urls


def make_renderer(options: Options, site, urls: Urls, conf: config.Config, dates=None):
    """The renderer for a site: layouts, configuration, git dates; shared by build, serve, pdf and export.

    ``dates`` (:class:`playbook.load.history.History`) are read from git when not given."""
    from playbook.render import renderer as render

    if dates is None:
        dates = history.read(options.content, Path(options.content).absolute().parent)
    return render.Renderer(site, urls, options.layouts, info=conf, search=options.search and conf.search,
                           history=dates)


def prepare(options: Options, diags: Diagnostics):
    """Read the site and set up its renderer, for commands that make one format (pdf, export)."""
    conf = settings(options, diags)
    site, urls = read_site(options, diags, conf)
    return make_renderer(options, site, urls, conf)


@collector.fewer_collections()
def check(options: Options) -> Result:
    """Run every check without writing anything."""
    start = time.perf_counter()
    result = Result()
    site, _urls = read_site(options, result.diagnostics, timings=result.timings)
    result.artifacts = site.artifacts.stats
    result.seconds = time.perf_counter() - start
    return result


def check_links(site_dir: Path, external: bool = False, timeout: float = 5.0) -> Result:
    """Check the links, assets and anchors of a site already built into ``site_dir``."""
    from playbook.publish import linkcheck

    start = time.perf_counter()
    result = Result()
    linkcheck.check_folder(Path(site_dir), result.diagnostics, external=external, timeout=timeout)
    result.seconds = time.perf_counter() - start
    return result


def _links_ok(options: Options, urls: Urls, renderer, writer, diags: Diagnostics, parsed: dict | None = None) -> bool:
    """Check every link of the written (not yet swapped in) site; False when the build must fail.

    ``parsed`` holds the pages already read while rendering (output file -> links and anchors).
    """
    from playbook.publish import linkcheck

    sources = {urls.output_file(path): src for path, src in renderer.sources.items()}
    writer.write(linkcheck.MANIFEST, linkcheck.manifest(urls.base_path, {k: _shown(options, v) for k, v in
                                                                         sources.items()}, renderer.text.links))
    site = linkcheck.Site(writer.tmp, linkcheck.list_files(writer.tmp), urls.base_path, sources,
                          frozenset(renderer.text.links), options.output.as_posix(), parsed or {})
    linkcheck.check_site(site, diags)
    return not diags.failed(options.strict)


def _shown(options: Options, source: str) -> str:
    """A content path for the manifest that is the same wherever the content folder lives."""
    base = options.content.as_posix().rstrip("/") + "/"
    rel = source[len(base):] if source.startswith(base) else source
    return f"{options.content.name or 'content'}/{rel}"


def _file_jobs(renderer, data: list, paths: list[str]) -> list:
    """The generated files as jobs beside the pages: each download, then sitemap, robots.txt, tracker and flow.

    The workbook download is the artifacts page's tracker workbook: one job writes both, made once."""
    from playbook.render.parallel import FileJob

    urls = renderer.urls
    alone = [(d, make) for d, make in data if d.kind != "xlsx"]
    with_tracker = [(urls.output_file(urls.download(d.name)), make) for d, make in data if d.kind == "xlsx"]
    jobs = [FileJob(lambda d=d, make=make: [(urls.output_file(urls.download(d.name)), make())]) for d, make in alone]
    jobs.append(FileJob(lambda: [(urls.output_file(p), text) for p, text in renderer.extra_files(paths)]
                        + [(rel, make()) for rel, make in with_tracker]))
    return jobs


def _render(renderer, writer, data: list, progress) -> tuple[list[str], int, dict]:
    """Render every page and make every generated file; (site paths, processes used, each page's links).

    The links and anchors of each page are read in the process that rendered it."""
    from playbook.render import parallel
    from playbook.publish.linkcheck import parse_built_page

    urls = renderer.urls
    parsed: dict = {}
    jobs = parallel.plan(renderer)
    paths = [job[0] for job in jobs]
    # the downloads page shows the sizes of the files made with the pages, so it comes after them
    jobs = [job for job in jobs if job[0] != urls.downloads] + _file_jobs(renderer, data, paths)
    workers, made = parallel.run_jobs(renderer, writer, jobs, progress=progress, inspect=parse_built_page,
                                      inspected=parsed)
    sizes = {d.name: made[urls.output_file(urls.download(d.name))] for d, _make in data}
    renderer.downloads = tuple(d.sized(sizes[d.name]) if d.name in sizes else d for d in renderer.downloads)
    if renderer.downloads:
        template, path, ctx = renderer.downloads_page()
        html = parallel.render_one(renderer, (path, template, ctx))
        writer.write(urls.output_file(path), html)
        parsed[urls.output_file(path)] = parse_built_page(html)
    return paths, workers, parsed


@collector.fewer_collections()
def build(options: Options, progress=None) -> Result:
    """Build the site into ``options.output``; the old site stays unless the build succeeds.

    ``progress(done, total)`` is told how far rendering has got (the CLI draws a bar).
    """
    from playbook.publish import downloads as publish
    from playbook.publish import writer as write  # not needed by `check`

    start = time.perf_counter()
    result = Result()
    diags = result.diagnostics
    try:  # before any work: an output folder that cannot be written is known at once
        write.check_output_dir(options.output, options.content)
    except write.OutputError as exc:
        result.fatal = str(exc)
        return result
    conf = settings(options, diags)
    site, urls = read_site(options, diags, conf, result.timings)
    result.artifacts = site.artifacts.stats
    warn_path_base_url(options, urls, diags)
    if diags.failed(options.strict):
        result.seconds = time.perf_counter() - start
        return result
    try:
        dist = assets.find_uswds()
        uswds = assets.uswds_files(dist)
    except assets.MissingAssets as exc:
        result.fatal = str(exc)
        result.seconds = time.perf_counter() - start
        return result

    renderer = make_renderer(options, site, urls, conf)
    try:
        pdfs = publish.pdf_files(renderer) if options.pdf else []
    except publish.PdfUnavailable as exc:
        result.fatal = str(exc)
        result.seconds = time.perf_counter() - start
        return result
    data = publish.planned_data_files(renderer)
    renderer.downloads = tuple(pdfs) + tuple(d for d, _make in data)
    try:
        writer = write.SiteWriter(options.output)
    except OSError as exc:  # the folder checked above has changed since
        result.fatal = f"cannot write the site: {exc.strerror or exc} ({exc.filename or options.output})"
        result.seconds = time.perf_counter() - start
        return result
    try:
        # written now and let go: the pages show only their sizes (a big build's downloads are megabytes)
        for d in pdfs:
            writer.write(urls.output_file(urls.download(d.name)), d.data)
        renderer.downloads = tuple(d.written() for d in renderer.downloads)
        t0 = time.perf_counter()
        paths, result.workers, parsed = _render(renderer, writer, data, progress)
        t1 = time.perf_counter()
        result.timings["render"] = t1 - t0
        result.pages = len(paths)
        assets.copy_all(writer, uswds, options.static, options.content, diags)
        if renderer.search:  # the --no-search option or the config's 'search = false' leave it out
            from playbook.publish import search

            try:
                writer.count += search.index(writer.tmp, urls.search_bundle)  # inside the atomic output
            except search.SearchError as exc:
                writer.abort()
                result.fatal = str(exc)
                result.seconds = time.perf_counter() - start
                return result
        if not _links_ok(options, urls, renderer, writer, diags, parsed):
            writer.abort()
            result.seconds = time.perf_counter() - start
            return result
        writer.commit()
        result.timings["write"] = time.perf_counter() - t1
        result.written = True
        result.files = writer.count
    except OSError as exc:
        writer.abort()
        result.fatal = f"cannot write the site: {exc.strerror or exc} ({exc.filename or options.output})"
    except BaseException:
        writer.abort()
        raise
    result.seconds = time.perf_counter() - start
    return result
