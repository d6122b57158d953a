"""Search: Pagefind runs inside `playbook build`, under a base URL, and not at all with --no-search."""
from __future__ import annotations

import hashlib
import importlib.util
import re

from click.testing import CliRunner

from conftest import need, task
from playbook.publish import search
from playbook.cli import main


def _have_pagefind():
    need(importlib.util.find_spec("pagefind") is not None, "the pagefind package (pip install 'pagefind[bin]')")


def _build(site, *args):
    return CliRunner().invoke(main, ["build", str(site.content), "-o", str(site.out), *args])


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_indexes_key_tasks_with_filters_and_titles(site):
    _have_pagefind()
    site.add("phase1/1.1.md", task(1, 1, category="technology", activities=[
        {"text": "Shared work", "responsibleParty": ["customer", "provider"]}]))
    res = _build(site)
    assert res.exit_code == 0, res.output
    assert (site.out / "pagefind" / "pagefind.js").is_file()
    assert (site.out / "pagefind" / "pagefind-component-ui.js").is_file()
    page = site.page("/1.1/")
    assert '<meta name="search:title" data-pagefind-meta="title[content]" content="1.1 Task 1.1">' in page
    assert '<meta name="search:phase" data-pagefind-filter="phase[content]" content="Phase 1: Phase name 1">' in page
    assert '<meta name="search:workstream" data-pagefind-filter="workstream[content]" content="Technology">' in page
    parties = re.findall(r'data-pagefind-filter="party\[content\]" content="([^"]+)"', page)
    assert parties == ["Customer", "Provider", "Shared"]
    assert "data-pagefind-body" in page and '<pagefind-modal reset-on-close="false">' in page
    # the search UI loads on first use (search.js), not in the head of every page
    head = page.split("</head>")[0]
    assert "pagefind-component-ui" not in head and '<script src="/assets/js/search.js" defer></script>' in page
    assert '<div class="pb-search" data-pagefind-ignore data-search data-bundle="/pagefind/">' in page
    assert '<noscript><p class="pb-search__noscript">' in page
    # list pages and the 404 page are left out of the index: results lead to key tasks
    for path in ("/", "/activities/", "/parties/customer/", "/404.html"):
        assert "data-pagefind-body" not in site.page(path), path


def test_search_under_a_subpath(site):
    _have_pagefind()
    site.add("phase1/1.1.md", task(1, 1))
    res = _build(site, "--base-url", "/m3/")
    assert res.exit_code == 0, res.output
    page = site.page("/1.1/")
    assert '<pagefind-config bundle-path="/m3/pagefind/" base-url="/m3/">' in page
    assert 'data-search data-bundle="/m3/pagefind/"' in page  # where search.js finds the UI on first use
    assert '<script src="/m3/assets/js/search.js" defer></script>' in page


def test_no_search_leaves_search_out(site):
    site.add("phase1/1.1.md", task(1, 1))
    res = _build(site, "--no-search")
    assert res.exit_code == 0, res.output
    assert not (site.out / "pagefind").exists()
    page = site.page("/1.1/")
    assert "pagefind-component-ui" not in page and "<pagefind-" not in page and "data-pagefind-filter" not in page
    assert "search.js" not in page and "data-search" not in page


def test_missing_pagefind_fails_the_build_and_keeps_the_old_site(site, monkeypatch):
    site.add("phase1/1.1.md", task(1, 1))
    assert _build(site, "--no-search").exit_code == 0
    before = _digests(site.out)
    monkeypatch.setattr(search, "command", lambda folder, sub: ["python3", "-m", "no_such_pagefind_module"])
    res = _build(site)
    assert res.exit_code == 3
    assert "search index failed" in res.output and "pip install 'pagefind[bin]'" in res.output
    assert "--no-search" in res.output
    assert _digests(site.out) == before


def test_index_and_pages_are_the_same_bytes_on_every_build(site, tmp_path):
    """Pages, index and fragments are deterministic. Pagefind 1.5 writes its filter files
    (and the entry/meta files that name them by hash) in a different byte order each run,
    so those are compared by name set only."""
    _have_pagefind()
    for n in (1, 2, 3):
        site.add(f"phase1/1.{n}.md", task(1, n, activities=[{"text": f"Step {n}", "responsibleParty": "qsmo"}]))
    assert _build(site).exit_code == 0
    first = _digests(site.out)
    assert _build(site).exit_code == 0
    second = _digests(site.out)
    stable = [k for k in first if not k.startswith(("pagefind/filter/", "pagefind/pagefind.en_"))
              and k != "pagefind/pagefind-entry.json"]
    assert any(k.startswith("pagefind/fragment/") for k in stable)
    assert any(k.startswith("pagefind/index/") for k in stable)
    assert {k: first[k] for k in stable} == {k: second.get(k) for k in stable}


def test_config_search_false_turns_search_off(site):
    site.add("phase1/1.1.md", task(1, 1))
    (site.root / "playbook.toml").write_text("search = false\n", encoding="utf-8")
    res = _build(site)
    assert res.exit_code == 0, res.output
    assert not (site.out / "pagefind").exists()
    assert "<pagefind-" not in site.page("/1.1/")
