"""robots.txt and sitemap.xml: full addresses only with a full base URL; a path warns once (issue 18)."""
from __future__ import annotations

from conftest import task

WARNING = ("{where}: warning: base_url: '{path}' is a path, not a full address: robots.txt names no sitemap, and "
           "sitemap.xml lists paths, which search engines do not read; set base_url to the address the site "
           "is served at, e.g. 'https://agency.gov{path}', in playbook.toml or with --base-url")


def _warnings(result) -> list[str]:
    return [d.format() for d in result.diagnostics.sorted() if d.severity == "warning"]


def test_a_full_base_url_names_the_sitemap_in_robots_txt_and_lists_full_addresses(site):
    site.add("phase1/1.1.md", task(1, 1))
    result = site.build(base_url="https://agency.gov/m3/")
    assert result.ok() and _warnings(result) == []
    assert site.page("/robots.txt") == "User-agent: *\nAllow: /\nSitemap: https://agency.gov/m3/sitemap.xml\n"
    sitemap = site.page("/sitemap.xml")
    assert "<loc>https://agency.gov/m3/</loc>" in sitemap and "<loc>https://agency.gov/m3/1.1/</loc>" in sitemap
    assert "<loc>/" not in sitemap


def test_a_path_base_url_names_no_sitemap_and_warns_once(site):
    site.add("phase1/1.1.md", task(1, 1))
    site.add("phase1/1.2.md", task(1, 2))
    result = site.build(base_url="/m3/")
    assert result.ok() and result.written
    assert _warnings(result) == [WARNING.format(where="--base-url", path="/m3/")]
    assert site.page("/robots.txt") == "User-agent: *\nAllow: /\n"
    assert "<loc>/m3/1.1/</loc>" in site.page("/sitemap.xml")
    assert not site.build(base_url="/m3/", strict=True).ok(strict=True)  # --strict refuses it


def test_the_warning_names_the_configuration_line_that_set_the_base_url(site):
    site.add("phase1/1.1.md", task(1, 1))
    toml = site.root / "playbook.toml"
    toml.write_text('title = "Playbook"\nbase_url = "/docs"\n', encoding="utf-8")
    assert _warnings(site.build()) == [WARNING.format(where=f"{toml}:2", path="/docs/")]
    toml.write_text('title = "Playbook"\n', encoding="utf-8")  # not set anywhere: the default '/'
    assert _warnings(site.build()) == [WARNING.format(where=str(toml), path="/")]
    toml.write_text('base_url = "https://agency.gov/docs/"\n', encoding="utf-8")
    assert _warnings(site.build()) == []


def test_check_does_not_warn_about_the_base_url(site):
    """Only a build writes robots.txt and the sitemap; `check` is about the content."""
    site.add("phase1/1.1.md", task(1, 1))
    assert site.messages() == []
