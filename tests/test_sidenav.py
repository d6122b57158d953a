"""The side navigation: what a key task page is given from what its phase's pages share is what it would be made."""
from __future__ import annotations

from conftest import phase, task

from playbook import pipeline
from playbook.diagnostics import Diagnostics


def _nav(site, phases: int):
    for n in range(1, phases + 1):
        site.add(f"phase{n}/_index.md", phase(n))
        for k in (1, 2):
            site.add(f"phase{n}/{n}.{k}.md", task(n, k))
    site.add("pages/guide.md", {"layout": "page", "title": "Guide"})
    r = pipeline.prepare(site.options(), Diagnostics())
    return r, r.env.globals["sidenav_html"].__self__


def test_task_pages_share_their_phase_navigation_with_their_own_entry_marked(empty_site):
    r, nav = _nav(empty_site, 15)  # more than 13: the list is cut around each page's phase
    for t in r.site.playbook.tasks:
        here, ph = r.urls.of(t), r.site.phase_of[t.phase]
        got = nav.html(here, t, ph)
        assert got == "".join(nav._parts(here, t, ph))
        assert got.count('aria-current="page"') == 1
        assert f'<a href="{here}" class="usa-current" aria-current="page">' in got
        assert "Phase 1:" in got if t.phase <= 7 else "Phase 1:" not in got


def test_phase_and_other_pages_are_made_whole(empty_site):
    r, nav = _nav(empty_site, 3)
    ph = r.site.phase_of[2]
    got = nav.html(r.urls.of(ph), None, ph)
    assert got.count('aria-current="page"') == 1 and '<ul class="usa-sidenav__sublist">' in got
    guide = r.site.playbook.pages[0]
    page = nav.html(r.urls.of(guide))
    assert page.count('aria-current="page"') == 1 and "usa-sidenav__sublist" not in page
    t = r.site.tasks_by_phase[2][0]
    assert "usa-sidenav__sublist" in nav.html(r.urls.of(t), t, ph)
