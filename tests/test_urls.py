"""URLs come from one module: stable defaults, permalinks honoured, base paths, safe files."""
import pytest

from playbook.diagnostics import Diagnostics
from playbook.model.types import Glossary, KeyTask, Page, Phase, Playbook, Responsibility
from playbook.urls import Urls, check_site_path, normalise_permalink, slugify

R = Responsibility(("customer",), False)


def kt(phase, number, permalink=""):
    return KeyTask(f"c/{phase}.{number}.md", f"{phase}.{number}.md", phase, number, "N", "O", R,
                   "process", permalink=permalink)


def test_default_paths_are_readable_and_stable():
    assert Urls.default_path(kt(1, 6)) == "/1.6/"
    assert Urls.default_path(Phase("c/p.md", "p.md", 2, "Selection")) == "/phase2/"
    assert Urls.default_path(Glossary("c/g.md", "g.md", "Glossary", ())) == "/glossary/"
    assert Urls.default_path(Page("c/x.md", "x.md", "Data Driven Perf", "T", "")) == "/data-driven-perf/"


def test_permalink_is_honoured():
    urls = Urls("/")
    t = kt(1, 6, "/1.6")
    urls.assign(Playbook((), (t,)), Diagnostics())
    assert urls.of(t) == "/1.6/"
    assert urls.output_file(urls.of(t)) == "1.6/index.html"


@pytest.mark.parametrize("base,expected", [
    ("/", "/1.6/"), ("", "/1.6/"), ("/m3/", "/m3/1.6/"), ("/m3", "/m3/1.6/"),
    ("https://agency.gov/playbook/", "/playbook/1.6/"),
])
def test_base_url_subpaths(base, expected):
    assert Urls(base).href("/1.6/") == expected


def test_absolute_addresses_for_the_sitemap():
    assert Urls("https://agency.gov/m3/").absolute("/1.6/") == "https://agency.gov/m3/1.6/"


def test_root_relative_content_links_move_under_the_base():
    urls = Urls("/m3/")
    assert urls.rewrite("/assets/files/x.docx") == "/m3/assets/files/x.docx"
    assert urls.rewrite("/m3/1.6/") == "/m3/1.6/"
    assert urls.rewrite("https://gsa.gov/") == "https://gsa.gov/"
    assert urls.rewrite("//cdn.example/x") == "//cdn.example/x"


def test_links_that_are_no_page_of_the_playbook_go_to_the_host_site():
    urls = Urls("/m3/", host="https://ussm.gsa.gov")
    t = kt(1, 2, "/m3phase1/")
    urls.assign(Playbook((), (t,)), Diagnostics())
    assert urls.rewrite("/fibf-cw") == "https://ussm.gsa.gov/fibf-cw"
    assert urls.rewrite("/qsmo?x=1#top") == "https://ussm.gsa.gov/qsmo?x=1#top"
    assert urls.rewrite("/m3phase1") == "/m3/m3phase1/"  # the page's own address, with its slash
    assert urls.rewrite("/m3phase1#objective") == "/m3/m3phase1/#objective"
    assert urls.rewrite("{{site.baseurl}}/m3phase1/") == "/m3/m3phase1/"
    assert urls.rewrite("{{ site.baseurl }}") == "/m3/"
    for ours in ("/", "/activities/", "/artifacts/plan/", "/assets/files/x.docx", "/parties/qsmo/", "/sitemap.xml",
                 "/m3/anything/"):
        assert not urls.rewrite(ours).startswith("https://"), ours
    assert Urls("/m3/").rewrite("/fibf-cw") == "/m3/fibf-cw"  # no host: under the base path, as before
    assert urls.address("{{site.baseurl}}/fibf/") == "https://ussm.gsa.gov/fibf/"


@pytest.mark.parametrize("bad", ["/../etc/", "/a/../../b/", "relative/", "/C:/x/", "/a\\b/", "//host/x/",
                                 "/%2e%2e/x/", "https://x.gov/"])
def test_unsafe_site_paths_are_refused(bad):
    assert check_site_path(bad) is not None
    with pytest.raises(ValueError):
        Urls.output_file(bad)


def test_unsafe_permalink_gets_a_diagnostic_and_the_default_path():
    urls, diags = Urls("/"), Diagnostics()
    t = kt(1, 2, "/../../outside/")
    urls.assign(Playbook((), (t,)), diags)
    assert [d.format() for d in diags.items] == [
        "c/1.2.md: permalink: unsafe permalink '/../../outside/': must not contain '..', '.', backslashes, "
        "drive letters or control characters; use a path such as '/1.2/'"]
    assert urls.of(t) == "/1.2/"


def test_normalise_permalink_keeps_file_names():
    assert normalise_permalink("/404.html") == "/404.html"
    assert normalise_permalink("/m3phase1") == "/m3phase1/"


def test_slugify():
    assert slugify("Risks, Actions, Issues, and Decisions (RAID) Log") == "risks-actions-issues-and-decisions-raid-log"
    assert slugify("Café plan") == "cafe-plan"
    assert slugify("***") == "item"
