"""Command line: thin over :mod:`playbook.pipeline`. The only module that imports click.

Exit codes: 0 success; 1 the content has errors (or warnings, with --strict);
2 the command was used wrongly; 3 the build could not run (assets missing,
output folder unsafe or unwritable).
"""
from __future__ import annotations

import atexit
import os
import sys
import time
from pathlib import Path

import click

from playbook import pipeline
from playbook.publish.export import EXPORTS

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_ENV = 0, 1, 2, 3


def _report(result: pipeline.Result, quiet: bool) -> None:
    for d in result.diagnostics.sorted():
        if quiet and d.severity == "info":
            continue
        click.echo(d.format(), err=True)
    if result.fatal:
        click.echo(f"error: {result.fatal}", err=True)
    if result.artifacts is not None:
        click.echo(f"info: {result.artifacts.line()}", err=True)
        if result.artifacts.rules_line():
            click.echo(f"info: {result.artifacts.rules_line()}", err=True)


def _counts(result: pipeline.Result) -> str:
    d = result.diagnostics
    e, w = d.count("error"), d.count("warning")
    return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"


def _left_out(result: pipeline.Result) -> str:
    """'; 2 files no page links left out' when the files folders hold some that nothing links."""
    n = result.unlinked
    return f"; {n} file{'s' * (n != 1)} no page links left out" if n else ""


def run() -> None:
    """The ``playbook`` program: :func:`main`, then leave without taking the heap apart object by object.

    After a big build every object the site was made of is still alive, and
    the interpreter's own exit freed them one at a time (about 0.6 s after
    the copies-100 benchmark's build). Exit handlers still run and the output
    is flushed; only that final teardown is skipped. Tests call :func:`main`
    in-process, where none of this applies.
    """
    try:
        main()
        code = EXIT_OK
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or EXIT_OK
        else:  # sys.exit("message"), as the interpreter would report it
            print(exc.code, file=sys.stderr)
            code = EXIT_CONTENT
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def _folder(ctx: click.Context, param: click.Parameter, value: Path, may_be_missing: bool = False) -> Path:
    """A CONTENT that is missing or a file is misuse (exit 2), like an unknown option."""
    if value.exists() and not value.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder", ctx, param)
    if not value.exists() and not may_be_missing:
        raise click.BadParameter(f"folder '{value}' does not exist", ctx, param)
    return value


# --- the progress bar ------------------------------------------------------------------------------
# A quiet progress bar for long builds, drawn on stderr only when a person watches.
# 
# Shown only when stderr is a terminal, ``CI`` is not ``true`` and the build has
# already taken about a second, so short builds and CI logs stay clean. The CLI's
# summary line is printed whatever happens here.

DELAY_S = 1.0
"""Builds shorter than this never show a bar."""
WIDTH = 30


def wanted(stream=None) -> bool:
    """True when a bar may be drawn: a terminal, and not CI."""
    stream = stream or sys.stderr
    return os.environ.get("CI", "").lower() != "true" and hasattr(stream, "isatty") and stream.isatty()


class Bar:
    """Call with (done, total) as work advances; ``close`` clears the line."""

    def __init__(self, label: str = "rendering", stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.label = label
        self.start = time.perf_counter()
        self.drawn = False
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.perf_counter()
        # redraw at most ~20 times a second: drawing is slower than rendering a page
        if now - self.start < DELAY_S or (now - self._last < 0.05 and done < total):
            return
        self._last = now
        filled = WIDTH * done // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar so the summary line starts on a clean line."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


content_arg = click.argument("content", type=click.Path(path_type=Path), default="content", required=False,
                             callback=_folder)
new_content_arg = click.argument("content", type=click.Path(path_type=Path), default="content", required=False,
                                 callback=lambda ctx, param, value: _folder(ctx, param, value, may_be_missing=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="playbook")
def main() -> None:
    """Build the M3 playbook website from key tasks written as YAML front matter."""


@main.command()
@content_arg
@click.option("-o", "--output", type=click.Path(path_type=Path), default="_site", show_default=True,
              help="Output folder; replaced only when the build succeeds.")
@click.option("--base-url", default=None, help="Address or path the site is served under [default: the "
              "configuration's base_url, else /].")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary line.")
@click.option("--pdf", is_flag=True, help="Also make the PDFs (slow; needs WeasyPrint) and link them.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="Configuration file [default: playbook.toml or pyproject.toml beside CONTENT].")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Add the Pagefind search index and search box (needs the pagefind package).")
def build(content: Path, output: Path, base_url: str | None, strict: bool, quiet: bool, search: bool, pdf: bool,
          config_file: Path | None) -> None:
    """Check CONTENT and write the site."""
    bar = Bar("rendering")  # drawn only on a terminal, outside CI, after about a second
    try:
        result = pipeline.build(pipeline.Options(content=content, output=output, base_url=base_url, strict=strict,
                                                 search=search, pdf=pdf, config=config_file), progress=bar)
    finally:
        bar.close()
    if result.fatal and result.artifacts is None:  # stopped before reading the content: one line says why
        click.echo(f"error: {result.fatal}", err=True)
        sys.exit(EXIT_ENV)
    _report(result, quiet)
    if result.fatal:
        click.echo(f"build failed: {_counts(result)}, {result.seconds:.2f} s; {output} left as it was", err=True)
        sys.exit(EXIT_ENV)
    if not result.ok(strict):
        click.echo(f"build failed: {_counts(result)}, {result.seconds:.2f} s; {output} left as it was", err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(f"built {result.pages} pages ({result.files} files) into {output}: {_counts(result)}, "
               f"{result.seconds:.2f} s{_left_out(result)}")


@main.command()
@content_arg
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--links", is_flag=True, help="CONTENT is a built site: check its links, assets and anchors.")
@click.option("--external", is_flag=True, help="With --links, also request every http(s) link.")
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Seconds to wait for each external link.")
def check(content: Path, strict: bool, links: bool, external: bool, timeout: float) -> None:
    """Run every check on CONTENT without writing anything (with --links: check the built site CONTENT)."""
    if external and not links:
        raise click.UsageError("--external needs --links")
    if links:
        result = pipeline.check_links(content, external=external, timeout=timeout)
    else:
        result = pipeline.check(pipeline.Options(content=content, strict=strict))
    _report(result, False)
    ok = result.ok(strict)
    click.echo(f"check {'passed' if ok else 'failed'}: {_counts(result)}, {result.seconds:.2f} s{_left_out(result)}")
    sys.exit(EXIT_OK if ok else EXIT_CONTENT)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default="schemas", show_default=True,
              help="Folder to write the schema files into.")
def schema(output: Path) -> None:
    """Write JSON Schema for key task, phase, glossary, page and Resources front matter."""
    from playbook.model import jsonschema as schemafiles

    for p in schemafiles.write_all(output):
        click.echo(f"wrote {p}")


def _prepare(content: Path, base_url: str | None, config_file: Path | None):
    """Read and check CONTENT for the pdf and export commands; exit on errors."""
    from playbook.diagnostics import Diagnostics

    result = pipeline.Result(diagnostics=Diagnostics())
    renderer = pipeline.prepare(pipeline.Options(content=content, base_url=base_url, config=config_file),
                                result.diagnostics)
    if not result.ok():
        _report(result, False)
        click.echo(f"failed: {_counts(result)}", err=True)
        sys.exit(EXIT_CONTENT)
    return renderer


config_opt = click.option("--config", "config_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                          default=None,
                          help="Configuration file [default: playbook.toml or pyproject.toml beside CONTENT].")


@main.command()
@content_arg
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default="_pdf", show_default=True,
              help="Folder to write playbook.pdf and phase-N.pdf into.")
@click.option("--base-url", default=None, help="Address the site is served under, so links in the PDF work.")
@config_opt
def pdf(content: Path, output: Path, base_url: str | None, config_file: Path | None) -> None:
    """Write CONTENT as one tagged PDF (PDF/UA-1), and one PDF per phase."""
    from playbook.diagnostics import Diagnostics
    from playbook.publish import downloads as publish
    from playbook.publish import pdf as pdfs

    renderer = _prepare(content, base_url, config_file)
    said = Diagnostics()
    pdfs.check_links(renderer.urls, output.as_posix(), said)
    for d in said.sorted():
        click.echo(d.format(), err=True)
    try:
        output.mkdir(parents=True, exist_ok=True)  # before the slow part: a folder that cannot be made is told at once
        for f in publish.pdf_files(renderer):
            (output / f.name).write_bytes(f.data)
            click.echo(f"wrote {output / f.name} ({f.size})")
    except publish.PdfUnavailable as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ENV)
    except OSError as exc:
        click.echo(f"error: cannot write the PDFs into {output}: {exc.strerror or exc} ({exc.filename})", err=True)
        sys.exit(EXIT_ENV)


@main.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice([e.format for e in EXPORTS]))
@content_arg
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="File to write; '-' is standard output (not for " +
              ", ".join(e.format for e in EXPORTS if e.binary) + ").")
@config_opt
def export(fmt: str, content: Path, output: Path, config_file: Path | None) -> None:
    """Write CONTENT as data: json (the whole model), csv (one row per activity) or xlsx (the document tracker)."""
    chosen = next(e for e in EXPORTS if e.format == fmt)
    if chosen.binary and str(output) == "-":
        raise click.UsageError(f"{fmt} is binary: give a file with -o")
    data = chosen.make(_prepare(content, None, config_file))
    if str(output) == "-":
        with click.open_file("-", "wb") as out:
            out.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ENV)
    click.echo(f"wrote {output}", err=True)


@main.group()
def artifacts() -> None:
    """Settle artifact names: the registry of artifacts and external inputs (artifacts.yaml)."""


@artifacts.command("suggest")
@content_arg
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="File to write the fragment to; '-' is standard output.")
def artifacts_suggest(content: Path, output: Path) -> None:
    """Write the artifacts.yaml entries that would link or settle every input of CONTENT left unlinked.

    Each entry (an alias of an artifact, or an external input) has a comment
    with the file:line of the inputs it settles and the rule or similarity that
    proposed it. Review them, then merge them into CONTENT/artifacts.yaml.
    """
    from playbook.diagnostics import Diagnostics
    from playbook.link import suggest

    result = pipeline.Result(diagnostics=Diagnostics())
    site, _urls = pipeline.read_site(pipeline.Options(content=content), result.diagnostics)
    if not result.ok():
        _report(result, True)
        click.echo(f"failed: {_counts(result)}", err=True)
        sys.exit(EXIT_CONTENT)
    props = suggest.proposals(site)
    registry = site.playbook.registry
    text = suggest.fragment(site, props, registry.path if registry else str(content / "artifacts.yaml"))
    aliases, external = sum(p.artifact is not None for p in props), sum(p.external for p in props)
    if str(output) == "-":
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    left, inputs = len(props) - aliases - external, sum(len(p.places) for p in props)
    click.echo(f"suggested {aliases} alias{'es' * (aliases != 1)} and {external} external name"
               f"{'s' * (external != 1)} for {inputs} unlinked input{'s' * (inputs != 1)}"
               + (f"; {left} name{'s' * (left != 1)} need{'s' * (left == 1)} a person" if left else "")
               + (f", written to {output}" if str(output) != "-" else ""), err=True)


@main.group()
def new() -> None:
    """Start a new key task or phase file from a valid skeleton."""


def _create(made) -> None:
    from playbook.model import scaffold

    try:
        scaffold.create(made)
    except scaffold.ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {made.path}")


@new.command("task")
@new_content_arg
@click.option("--phase", "phase_no", type=int, required=True, help="Phase number.")
@click.option("--name", required=True, help="Key task title.")
@click.option("--workstream", required=True,
              help="programManagement, workforce, technology or process.")
@click.option("--party", required=True, help="Lead party: customer, provider, qsmo or shared.")
@click.option("--number", type=int, default=None, help="Task number; the next free one when left out.")
def new_task(content: Path, phase_no: int, name: str, workstream: str, party: str, number: int | None) -> None:
    """Write CONTENT/phaseN/N.M.md with the next free key-task number."""
    from playbook.model import scaffold

    try:
        made = scaffold.new_task(content, phase_no, name, workstream, party, number)
    except scaffold.ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    _create(made)


@new.command("phase")
@new_content_arg
@click.option("--name", required=True, help="Phase name, e.g. Readiness.")
@click.option("--number", type=int, default=None, help="Phase number; the next free one when left out.")
def new_phase(content: Path, name: str, number: int | None) -> None:
    """Write CONTENT/phaseN/_index.md for the next free phase number."""
    from playbook.model import scaffold

    try:
        made = scaffold.new_phase(content, name, number)
    except scaffold.ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    _create(made)


@main.command()
@content_arg
@click.option("-p", "--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1 to serve on (0: any free port; the address is printed).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def serve(content: Path, port: int, strict: bool) -> None:
    """Build CONTENT, serve it on 127.0.0.1 and rebuild on every save.

    The open page reloads after each rebuild; when a save breaks a file, the
    page and this terminal show the problems until it is fixed.
    """
    import signal

    from playbook.diagnostics import Diagnostics
    from playbook.serve import server as dev

    def stop(_signum, _frame):  # as Ctrl+C: the temporary site is removed on the way out
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    options, _conf = pipeline.locate(pipeline.Options(content=content, output=Path("_site"), strict=strict,
                                                      search=False), Diagnostics())  # its content option
    try:
        server = dev.Server(options,
                            port=port, echo=lambda line: click.echo(line, err=True))
    except OSError as exc:
        click.echo(f"error: cannot listen on {dev.HOST}:{port}: {exc.strerror or exc}; try --port", err=True)
        signal.signal(signal.SIGTERM, previous)
        sys.exit(EXIT_ENV)
    try:
        try:
            server.first_build()
        except Exception as exc:  # missing assets and the like: nothing to serve
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ENV)
        click.echo(f"serving {content} at {server.url} (Ctrl+C to stop)", err=True)
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.close()
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    main()
