"""The whole-flow SVG: well-formed, titled and described, one node per task, one arrow per linked pair."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from playbook.render import flow

from conftest import phase, task

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def flow_site(site):
    site.add("phase1/1.1.md", task(1, 1, outputs=["Charter", "Plan"]))
    site.add("phase1/1.2.md", task(1, 2, inputs=["Charter", "Plan", "Budget"]))
    site.add("phase2/_index.md", phase(2))
    site.add("phase2/2.1.md", task(2, 1, inputs=["Plan"], outputs=["Budget"]))
    site.add("phase2/2.2.md", task(2, 2, name="A very long key task name that needs to wrap onto several lines "
                                              "of the box to fit and then some more words beyond four lines"))
    res = site.build(search=False)
    assert res.ok(), [d.format() for d in res.diagnostics.sorted()]
    return site


def test_svg_is_well_formed_with_title_desc_and_a_node_per_task(flow_site):
    text = (flow_site.out / "artifacts" / "flow.svg").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(text)
    assert root.tag == SVG + "svg"
    assert [c.tag for c in root[:2]] == [SVG + "title", SVG + "desc"]
    assert root[0].text == "Artifact flow of the M3 Playbook"
    assert "4 key tasks in 2 phase columns" in root[1].text and "table" in root[1].text
    nodes = root.findall(f".//{SVG}a[@class='pbflow-node']")
    assert sorted(n.get("aria-label") for n in nodes) == ["1.1 Task 1.1", "1.2 Task 1.2", "2.1 Task 2.1",
                                                          "2.2 A very long key task name that needs to wrap onto "
                                                          "several lines of the box to fit and then some more words "
                                                          "beyond four lines"]
    assert {n.get("href") for n in nodes} == {"/1.1/", "/1.2/", "/2.1/", "/2.2/"}
    edges = root.findall(f".//{SVG}g[@class='pbflow-edges']/{SVG}path")
    # 1.1 -> 1.2 (Charter, Plan: one arrow), 1.1 -> 2.1 (Plan), 2.1 -> 1.2 (Budget, used before it is produced)
    tips = sorted(e.find(SVG + "title").text for e in edges)
    assert tips == ["1.1 → 1.2: Charter; Plan", "1.1 → 2.1: Plan", "2.1 → 1.2: Budget"]
    dashed = [e.find(SVG + "title").text for e in edges if "pbflow-back" in e.get("class")]
    assert dashed == ["2.1 → 1.2: Budget"]


def test_svg_text_is_readable_and_prints_black_on_white(flow_site):
    text = (flow_site.out / "artifacts" / "flow.svg").read_text(encoding="utf-8")
    sizes = [int(s) for s in re.findall(r"font-size:(\d+)px", text)]
    assert sizes and min(sizes) >= 14
    assert ".pbflow .pbflow-bg{fill:#fff}" in text and "fill:#1b1b1b" in text
    long_box = [t for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)]
    assert all(len(t) <= flow.CHARS + 1 for t in long_box)
    assert any(t.endswith("…") for t in long_box)


def test_flow_is_inline_in_the_artifacts_page_inside_a_figure_with_a_table(flow_site):
    page = flow_site.page("/artifacts/")
    assert re.search(r'<figure class="pb-flow"[^>]*>\s*<div class="pb-flow__scroll" role="region"', page)
    assert '<title id="pbflow-title">' in page and "<figcaption" in page
    assert '<caption id="flow-table-caption">' in page
    assert '<th scope="row"><a href="/1.2/">1.2 Task 1.2</a></th>' in page


@pytest.mark.parametrize("text, width, expected", [
    ("one two three", 7, ["one two", "three"]),
    ("abcdefghij", 5, ["abcd-", "efgh-", "ij"]),
    ("a b c d e f g h i j", 3, ["a b", "c d", "e f", "g…"]),
    ("", 10, [""]),
])
def test_wrap(text, width, expected):
    assert flow.wrap(text, width, 4) == expected
