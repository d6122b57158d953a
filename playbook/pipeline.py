"""The build as a library call: load -> model/validate -> link -> render -> write."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from playbook.publish import assets
from playbook import config
from playbook.load import history
from playbook.link import site as link
from playbook.load import documents as load
from playbook.model import validate
from playbook.diagnostics import Diagnostics
from playbook.link import refs
from playbook.load import jekyll
from playbook.publish.files import Files, published
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
    unlinked: int = 0
    """Files in the folders files are published from that no content links: left out."""
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


# Fewer garbage collections while a build or rebuild makes objects that live until it ends.
# CPython runs its cycle collector after every 700 new container objects, and a
# full collection walks every object alive. A build makes millions that all
# stay alive (the loaded files, the model, the cross-links), so those walks
# were a tenth to a fifth of reading and linking a big playbook, and most of
# linking it again in ``serve``. Our objects hold no reference cycles worth
# collecting early; with a higher threshold cycles are still collected, just
# less often, and peak memory stayed the same (copies-100 benchmark); without it a 100-copy
# build spent about 2 s more in the collector (issue 16's measurement).

THRESHOLDS = (100_000, 50, 100)
"""New container objects before a young collection, then young collections per older one, twice."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the duration of the block, then put back the caller's."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def locate(options: Options, diags: Diagnostics) -> tuple[Options, config.Config]:
    """The configuration, and the options with the content folder it names (see :func:`playbook.config.settle`)
    and the file it came from: a later step finds that file again, whatever folder it moved the content to."""
    content, conf, path = config.settle(Path(options.content), options.config, diags)
    return replace(options, content=content, config=path), conf


def settings(options: Options, diags: Diagnostics) -> config.Config:
    """The site configuration (see :func:`locate`)."""
    return locate(options, diags)[1]


def warn_path_base_url(options: Options, urls: Urls, diags: Diagnostics) -> None:
    """Warn once when the base URL is only a path: robots.txt and sitemap.xml need full addresses, and so do
    the links in the PDFs (one warning for all, so a build with --pdf does not say it twice)."""
    if urls.origin:
        return
    if options.base_url is not None:
        where, line = "--base-url", 0
    else:
        path = config.file_for(Path(options.content), options.config)
        line = config.where_set(path, "base_url")
        # with no file at all, the file where it would go: playbook.toml beside the content folder
        where = str(path) if path is not None else (Path(options.content).parent / "playbook.toml").as_posix()
    shown = urls.base_path + "/" if urls.base_path else "/"
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
    docs = load.load_tree(options.content, diags, conf.include, conf.exclude)
    if timings is not None:
        timings["load"] = time.perf_counter() - t0
    return link_docs(docs, diags, conf.base_url if options.base_url is None else options.base_url, None,
                     timings, conf.host_url)


def link_docs(docs: list, diags: Diagnostics, base_url: str, checked: dict | None = None,
              timings: dict | None = None, host_url: str = ""):
    """The loaded documents made into the linked site: (site, urls). Shared by build, check and serve.

    Each document is checked (or its result taken from ``checked``, see
    :func:`playbook.model.validate.document`), the whole-playbook checks run,
    every page gets its address under ``base_url`` (links to no page of the
    playbook go to ``host_url``), and the cross-references are resolved.
    ``timings`` gets the seconds spent validating and linking."""
    t1 = time.perf_counter()
    playbook = validate.build_playbook(docs, diags, checked)
    urls = Urls(base_url, host_url)
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
    options, conf = locate(options, diags)
    site, urls = read_site(options, diags, conf)
    return make_renderer(options, site, urls, conf)


def content_files(options: Options, conf: config.Config) -> Files:
    """The folders the files content links are published from: the content folder's assets/, or else the
    Jekyll repository's; the files folder is its files/ unless the configuration names another."""
    content = Path(options.content)
    assets = content / "assets"
    if not assets.is_dir():
        root = jekyll.find_root(content)
        if root is not None and (root / "assets").is_dir():
            assets = root / "assets"
    files = Path(conf.files) if conf.files else assets / "files"
    return Files(files, assets, files.as_posix(), assets.as_posix(), _own_assets(options))


def _own_assets(options: Options) -> frozenset[str]:
    """Site paths of the files the build copies into /assets/ itself: USWDS's and ``static/``."""
    try:
        uswds = assets.uswds_files(assets.find_uswds())
    except (assets.MissingAssets, OSError):
        uswds = []  # the build stops on it; check need not
    return frozenset("/" + rel for _src, rel in assets.own_files(uswds, options.static))


def unlinked(files: Files, checked) -> int:
    """How many files the folders hold that no content links (they are not published)."""
    return len(set(files.all()) - set(checked.files))


def check_content_links(options: Options, conf: config.Config, site, urls: Urls, text, made: set[str],
                        diags: Diagnostics, also=None, cache: dict | None = None) -> tuple[refs.Checked, int]:
    """Gather every link, image and file content names (:mod:`playbook.link.refs`) and check each once,
    at its file and line, against ``made`` (the site paths the pages and generated files take) and the
    files folders. Shared by check, build and serve: (what was found, how many files no content links).
    ``also`` accepts other site paths as made (check: anything below /downloads/); ``cache`` is
    :func:`playbook.link.refs.gather`'s."""
    files = content_files(options, conf)
    checked = refs.check(refs.gather(site.playbook, urls, text, diags, cache), urls, refs.finder(made, also), files, diags)
    return checked, unlinked(files, checked)


def built_in_paths(site, urls: Urls) -> set[str]:
    """The site paths of the pages and files a build makes besides the content pages, as far as they
    are known without rendering (for ``check``; every file below /downloads/ counts as made)."""
    from playbook.render import browse

    out = {urls.home, urls.activities, urls.artifacts, urls.downloads, urls.not_found, urls.sitemap, urls.robots,
           urls.tracker_csv, urls.tracker_xlsx, urls.flow_svg, urls.flow_css}
    out.update(urls.party(p) for p in browse.FILTER_PARTIES)
    if site.artifacts is not None:
        out.update(urls.artifact(a.slug) for a in site.artifacts.artifacts)
    return out


@fewer_collections()
def check(options: Options) -> Result:
    """Run every check without writing anything."""
    from playbook.render.text import TextRenderer

    start = time.perf_counter()
    result = Result()
    options, conf = locate(options, result.diagnostics)
    site, urls = read_site(options, result.diagnostics, conf, timings=result.timings)
    result.artifacts = site.artifacts.stats
    _checked, result.unlinked = check_content_links(
        options, conf, site, urls, TextRenderer(urls.rewrite), urls.page_paths() | built_in_paths(site, urls),
        result.diagnostics, also=lambda p: p.startswith(urls.downloads))
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


def _links_ok(options: Options, urls: Urls, renderer, writer, checked, diags: Diagnostics) -> bool:
    """Check the links the pages were made with against the files written (not yet swapped in); False when
    the build must fail. Leaves the manifest ``playbook check --links`` reads."""
    from playbook.publish import linkcheck
    from playbook.publish import links

    sources = {urls.output_file(path): src for path, src in renderer.sources.items()}
    writer.write(linkcheck.MANIFEST, linkcheck.manifest(urls.base_path, {k: _shown(options, v) for k, v in
                                                                         sources.items()}, checked.targets))
    links.check(urls, renderer, linkcheck.list_files(writer.tmp), checked, options.output.as_posix(), diags)
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


def _generated_paths(renderer) -> set[str]:
    """The site paths of the files a build makes besides its pages: downloads, sitemap, tracker, flow."""
    urls = renderer.urls
    out = {urls.sitemap, urls.robots, *(urls.download(d.name) for d in renderer.downloads)}
    if renderer.site.artifacts is not None:
        out |= {urls.tracker_csv, urls.tracker_xlsx, urls.flow_svg, urls.flow_css}
    return out


def _render(renderer, writer, jobs: list, data: list, progress) -> tuple[list[str], int]:
    """Render the planned pages and make every generated file; (site paths, processes used)."""
    from playbook.render import parallel

    urls = renderer.urls
    paths = [job[0] for job in jobs]
    # the downloads page shows the sizes of the files made with the pages, so it comes after them
    jobs = [job for job in jobs if job[0] != urls.downloads] + _file_jobs(renderer, data, paths)
    workers, made = parallel.run_jobs(renderer, writer, jobs, progress=progress)
    sizes = {d.name: made[urls.output_file(urls.download(d.name))] for d, _make in data}
    renderer.downloads = tuple(d.sized(sizes[d.name]) if d.name in sizes else d for d in renderer.downloads)
    if renderer.downloads:
        template, path, ctx = renderer.downloads_page()
        writer.write(urls.output_file(path), parallel.render_one(renderer, (path, template, ctx)))
    return paths, workers


@fewer_collections()
def build(options: Options, progress=None) -> Result:
    """Build the site into ``options.output``; the old site stays unless the build succeeds.

    ``progress(done, total)`` is told how far rendering has got (the CLI draws a bar).
    """
    from playbook.publish import downloads as publish
    from playbook.publish import writer as write  # not needed by `check`

    start = time.perf_counter()
    result = Result()
    diags = result.diagnostics
    options, conf = locate(options, diags)
    try:  # before any work: an output folder that cannot be written is known at once
        write.check_output_dir(options.output, options.content)
    except write.OutputError as exc:
        result.fatal = str(exc)
        result.seconds = time.perf_counter() - start
        return result
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
        from playbook.render import parallel

        jobs = parallel.plan(renderer)
        checked, result.unlinked = check_content_links(
            options, conf, site, urls, renderer.text, {job[0] for job in jobs} | _generated_paths(renderer), diags)
        renderer.anchor_pages = frozenset(checked.fragments) | renderer.fragment_pages()
        renderer.files = checked.files
        paths, result.workers = _render(renderer, writer, jobs, data, progress)
        t1 = time.perf_counter()
        result.timings["render"] = t1 - t0
        result.pages = len(paths)
        assets.copy_all(writer, uswds, options.static, published(checked.files))
        if renderer.search:  # the --no-search option or the config's 'search = false' leave it out
            from playbook.publish import search

            try:
                writer.count += search.index(writer.tmp, urls.search_bundle)  # inside the atomic output
            except search.SearchError as exc:
                writer.abort()
                result.fatal = str(exc)
                result.seconds = time.perf_counter() - start
                return result
        if not _links_ok(options, urls, renderer, writer, checked, diags):
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
