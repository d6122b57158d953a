"""Browsing without a browser: party pages, the activities view, outlines, anchors, quick view, titles."""
from __future__ import annotations

import re

from conftest import phase, task
from playbook.render import browse
from playbook.render import outline
from playbook.diagnostics import Diagnostics
from playbook.pipeline import Options, read_site


def _activities(html: str) -> list[str]:
    """data-party of every activity on a page, in order."""
    return re.findall(r'<li class="pb-activity" data-party="([^"]*)"', html)


def _mixed(site):
    site.add("phase1/1.1.md", task(1, 1, responsibleParty="customer", activities=[
        {"text": "Customer alone", "responsibleParty": "customer"},
        {"text": "Customer with provider", "responsibleParty": ["customer", "provider"]},
        {"text": "Bare shared", "responsibleParty": "shared"},
        {"text": "Provider alone", "responsibleParty": "provider"}]))
    site.add("phase1/1.2.md", task(1, 2, responsibleParty="qsmo", category="technology", activities=[
        {"text": "Customer only here", "responsibleParty": "customer"}]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1, responsibleParty="provider", activities=[
        {"text": "QSMO and provider", "responsibleParty": ["qsmo", "provider"]}]))


def test_provider_page_lists_provider_and_shared_with_provider_but_not_bare_shared(site):
    _mixed(site)
    assert site.build().ok()
    page = site.page("/parties/provider/")
    assert _activities(page) == ["customer provider shared", "provider", "provider qsmo shared"]
    assert "Bare shared" not in page and "Customer alone" not in page
    assert "<title>Provider: activities and key tasks | M3 Playbook</title>" in page
    assert 'name="description" content="Every key task and activity that involves the shared service provider' in page
    # 1.2 involves no provider at all, 2.1 is led by the provider
    assert 'href="/1.2/"' not in page.split("<main", 1)[1] and 'href="/2.1/"' in page


def test_shared_page_includes_bare_shared_and_every_shared_activity(site):
    _mixed(site)
    assert site.build().ok()
    assert _activities(site.page("/parties/shared/")) == ["customer provider shared", "shared", "provider qsmo shared"]


def test_lead_without_activities_is_listed_with_a_note(site):
    _mixed(site)
    assert site.build().ok()
    page = site.page("/parties/qsmo/")
    assert 'href="/1.2/"' in page
    assert "QSMO leads this key task; none of its activities names this party." in page


def test_activities_view_lists_everything_with_phase_and_workstream(site):
    _mixed(site)
    assert site.build().ok()
    page = site.page("/activities/")
    assert len(_activities(page)) == 6
    assert re.search(r'data-phase="1".*data-workstream="programManagement".*Customer alone', page, re.S)
    assert re.search(r'data-phase="2".*QSMO and provider', page, re.S)
    # the live filter is there for scripts, hidden without them (noscript.css); the party pages are plain links
    assert '<div class="pb-filter pb-js-only" data-filter>' in page
    assert '<div class="pb-filter__form" role="group" aria-label="Filter activities" data-filter-form>' in page
    assert "<form" not in page
    for value in ("customer", "provider", "qsmo", "shared", "1", "2", "technology"):
        assert f'value="{value}"' in page
    for party in ("customer", "provider", "qsmo", "shared"):
        assert f'href="/parties/{party}/"' in page
    assert "Showing all 6 activities" in page and 'role="status"' in page


def test_browse_counts_match_the_model(corpus):
    site, _ = read_site(Options(content=corpus), Diagnostics())
    everything = browse.all_activities(site)
    assert browse.count(everything) == (len(site.playbook.tasks), sum(len(t.all_activities) for t in site.playbook.tasks))
    provider = browse.for_party(site, "provider")
    want = sum(1 for t in site.playbook.tasks for a in t.all_activities if "provider" in a.responsibility.parties)
    assert browse.count(provider)[1] == want > 0


def test_task_page_has_on_this_page_anchors_and_party_filter(site):
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "One", "responsibleParty": "customer"}, {"text": "Two", "responsibleParty": "provider"}]))
    assert site.build().ok()
    page = site.page("/1.1/")
    toc = re.search(r'<nav class="pb-toc" aria-label="On this page".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["objective", "activities", "stakeholders", "lessons-learned"]
    assert '<a class="pb-anchor" href="#activities" aria-label="Link to section Activities"' in page
    assert 'name="party" value="provider"' in page and 'name="phase"' not in page
    assert "assets/js/filter.js" in page
    assert "<title>1.1 Task 1.1 | M3 Playbook</title>" in page


def test_phase_page_quick_view_is_a_details_element(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Project Plan"]))
    assert site.build().ok()
    page = site.page("/phase1/")
    quick = re.search(r'<details class="pb-quick".*?</details>', page, re.S).group(0)
    assert '<summary class="pb-quick__summary">Quick view<span class="usa-sr-only"> of 1.1 Task 1.1</span></summary>' in quick
    assert "Objective of 1.1." in quick and "Project Plan" in quick and 'href="/1.1/"' in quick
    assert '<nav class="pb-toc" aria-label="On this page"' in page


def test_anchor_names_are_escaped_and_headings_keep_their_text():
    html = '<h2 id="a-b">A &amp; <em>B</em> "q"</h2><h3 id="x">X</h3><h4 id="y">Y</h4><h2>No id</h2>'
    out = str(outline.anchors(html))
    assert 'aria-label="Link to section A &amp; B &#34;q&#34;"' in out
    assert '<h2 id="a-b">A &amp; <em>B</em> "q"</h2>' in out and 'href="#x"' in out
    assert 'href="#y"' not in out and "<h2>No id</h2>" in out
    assert outline.headings(html) == [("a-b", 'A & B "q"')]


def test_every_page_title_is_unique(site):
    _mixed(site)
    assert site.build().ok()
    titles = [re.search(r"<title>(.*?)</title>", p.read_text()).group(1) for p in sorted(site.out.rglob("*.html"))]
    assert len(titles) == len(set(titles))


def test_workstream_counts_count_key_tasks_per_workstream():
    class T:
        def __init__(self, ws):
            self.workstream = ws
    counts = browse.workstream_counts([T("process"), T("technology"), T("process")])
    assert (counts["process"], counts["technology"], counts["workforce"]) == (2, 1, 0)
