"""Hostile content (issue 7, point 1), checked on the built HTML without a browser.

The site of tests/fixtures/hostile.py (an attack in every text field) must
build, and its pages must hold no script from content, no event handler, no
javascript:/data:/vbscript: address, nothing loaded from another host, no bidi
control, and no template syntax evaluated, while every attack's marker word
is still shown as text. tests/browser/test_hostile.py runs the same site in
Chromium.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from fixtures import hostile
from playbook import pipeline
from playbook.publish.linkcheck import clean_url, scheme_of

URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset", "ping"}
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


class Page(HTMLParser):
    """Tags, attributes, script bodies and visible text of one page, read as a browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag in ("script", "style", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] in ("script", "style"):
            self.scripts.append(data)
        elif not self._in or self._in[-1] == "title":
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    hostile.write(root / "content")
    res = pipeline.build(pipeline.Options(content=root / "content", output=root / "site"))
    errors = [d.format() for d in res.diagnostics.items if d.severity == "error"]
    assert res.written and not errors, (res.fatal, errors[:5])
    return root / "site"


def pages(site: Path) -> dict[str, Page]:
    out = {}
    for f in sorted(site.rglob("*.html")):
        p = Page()
        p.feed(f.read_text(encoding="utf-8"))
        p.close()
        out[f.relative_to(site).as_posix()] = p
    return out


def test_hostile_site_builds_with_warnings_for_unlinked_addresses(tmp_path):
    hostile.write(tmp_path / "content")
    res = pipeline.build(pipeline.Options(content=tmp_path / "content", output=tmp_path / "site"))
    prefix = (tmp_path / "content").as_posix() + "/"
    msgs = [d.format().replace(prefix, "") for d in res.diagnostics.sorted()]
    assert res.written
    assert ("phase1/1.1.md:16: warning: activities[0].template: address 'javascript:alert('tpl')' is shown as text: "
            "'javascript:' addresses are not linked; use an http or https address") in msgs
    assert ("phase1/_index.md:17: warning: downloads.guide: address 'java\\x09script:alert('tab')' is shown as "
            "text: 'javascript:' addresses are not linked; use an http or https address") in msgs


def test_bidi_controls_are_removed_at_load_time_with_a_warning(site):
    site.add("phase1/1.1.md", "---\nphase: 1\nkeyTask: 1\nname: \"invoice\u202egnp.exe\"\nobjective: O\n"
                              "responsibleParty: customer\ncategory: process\n---\nBody \u2066x\u2069\n")
    assert site.messages() == [
        "phase1/1.1.md:4: warning: name: bidirectional control characters removed; "
        "they can make text display differently from what it is",
        "phase1/1.1.md:9: warning: bidirectional control characters removed; "
        "they can make text display differently from what it is"]
    assert site.build().written
    assert "invoicegnp.exe" in site.page("/1.1/") and "\u202e" not in site.page("/1.1/")


def test_no_script_handler_or_dangerous_address_in_any_page(hostile_site):
    found = pages(hostile_site)
    assert len(found) >= 8
    problems = []
    for rel, page in found.items():
        for tag, attrs in page.tags:
            for name, value in attrs:
                value = value or ""
                if name.startswith("on"):
                    problems.append(f"{rel}: <{tag} {name}=...>")
                if name in URL_ATTRS:
                    for part in value.split(",") if name == "srcset" else [value]:
                        if scheme_of(clean_url(part.strip().split(" ")[0])) in ("javascript", "data", "vbscript"):
                            problems.append(f"{rel}: <{tag} {name}={value[:60]!r}>")
                if hostile.EVIL in value and (name in URL_ATTRS or name == "style"):
                    problems.append(f"{rel}: <{tag} {name}> names {hostile.EVIL}")
                if name == "style" and "url(" in value:
                    problems.append(f"{rel}: <{tag} style> loads a URL")
            if tag == "script":
                src = dict(attrs).get("src") or ""
                if src and not src.startswith(("/assets/", "/pagefind/")):
                    problems.append(f"{rel}: script from {src}")
            if tag in ("iframe", "object", "embed", "base", "frame", "applet", "math") or \
                    (tag == "meta" and "http-equiv" in dict(attrs)) or (tag == "form" and "action" in dict(attrs)):
                problems.append(f"{rel}: <{tag}> from content")
            if tag == "link" and dict(attrs).get("rel") not in ("stylesheet", "icon", "canonical", "preload",
                                                                "alternate"):
                problems.append(f"{rel}: <link rel={dict(attrs).get('rel')}>")
        for body in page.scripts:
            if "alert(" in body or hostile.EVIL in body or "marker-" in body:
                problems.append(f"{rel}: content inside a script or style element")
    assert problems == []


def test_every_attack_is_still_shown_as_text(hostile_site):
    text = {rel: " ".join(p.text) for rel, p in pages(hostile_site).items()}
    everything = " ".join(text.values())
    missing = [m for m in hostile.MARKERS if m not in everything]
    assert missing == []
    task = text["1.1/index.html"]
    assert "{{ 7*7 }} marker-jinja" in task
    assert "{% include 'base.html' %} marker-jinja-include" in task
    assert "{{ ''.__class__.__mro__ }} marker-jinja-mro" in task
    assert "${7*7} #{7*7} marker-interp" in task
    assert hostile.JINJA_RESULT not in task.replace("7*7", "")
    assert "marker-bidi gnp.exe done isolate mark" in task
    assert hostile.BIG[:1000] in task  # the 100 KB string is shown


def test_no_bidi_control_in_any_output_file(hostile_site):
    bad = [p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*")
           if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".csv")
           and any(c in p.read_text(encoding="utf-8", errors="replace") for c in BIDI)]
    assert bad == []


SCHEME_VARIANTS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
                   "java\tscript:alert(1)", "java\nscript:alert(1)", "&#106;avascript:alert(1)",
                   "&#x6A;&#x61;vascript:alert(1)", "jav&#x09;ascript:alert(1)", "javascript&colon;alert(1)",
                   "&#0000106avascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                   "DaTa:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "VBSCRIPT:msgbox(1)",
                   "\x01javascript:alert(1)", "javascript\x00:alert(1)"]


@pytest.mark.parametrize("url", SCHEME_VARIANTS)
def test_text_links_never_carry_a_dangerous_scheme(url):
    from playbook.render.text import TextRenderer
    r = TextRenderer()
    quoted = url.replace('"', "&quot;")
    for out in (r.inline(f'<a href="{quoted}">x</a>'), r.block(f'<a href="{quoted}">x</a>'),
                r.inline(f"[x]({url.strip()})"), r.block(f"[x](<{url}>)")):
        p = Page()
        p.feed(str(out))
        for tag, attrs in p.tags:
            for name, value in attrs:
                if name == "href":
                    assert scheme_of(clean_url(value or "")) not in ("javascript", "data", "vbscript"), (url, out)


@pytest.mark.parametrize("url", SCHEME_VARIANTS)
def test_template_and_example_links_never_carry_a_dangerous_scheme(site, url):
    site.add("phase1/1.1.md", {"phase": 1, "keyTask": 1, "name": "T", "objective": "O",
                               "responsibleParty": "customer", "category": "process",
                               "activities": [{"text": "a", "responsibleParty": "customer", "template": url,
                                               "example": url}],
                               "outputs": [{"text": "Plan", "url": url}]})
    res = site.build()
    assert res.written, [d.format() for d in res.diagnostics.items if d.severity == "error"]
    p = Page()
    p.feed(site.page("/1.1/"))
    hrefs = [v or "" for _, attrs in p.tags for n, v in attrs if n in URL_ATTRS]
    assert hrefs and not [h for h in hrefs if scheme_of(clean_url(h)) in ("javascript", "data", "vbscript")]
    # whatever survives is a quoted file name under /assets/files/, never an address
    assert not [h for h in hrefs if ("alert" in h or "msgbox" in h) and not h.startswith("/assets/files/")]
