"""The HTML pieces layouts repeat: every branch, exactly (the golden site holds the common ones in place)."""
from __future__ import annotations

from markupsafe import Markup

from playbook.fragments import Fragments
from playbook.model import Activity, ArtifactRef, Responsibility


class _Art:
    name = "Plan & Budget"


class _Task:
    id = "1.2"
    name = "Write <em>the</em> plan"


def frag(known=True) -> Fragments:
    links = {"report.docx": "/assets/files/report.docx", "https://x.gov/t": "https://x.gov/t"}
    return Fragments(inline=lambda s: Markup(s.replace("*", "")), plain=lambda s: s.replace("*", ""),
                     url_of=lambda t: f"/{t.id}/", link_for=lambda v: links.get(v),
                     artifact_named=lambda n: _Art() if known and "Plan" in n else None,
                     artifact_url=lambda a: "/artifacts/plan/")


def act(**kw) -> Activity:
    d = dict(text="Draft *it*", responsibility=Responsibility(("customer", "qsmo"), True), output="", template="",
             example="", line=3)
    d.update(kw)
    return Activity(**d)


def test_party_tag_escapes_and_ends_the_line():
    assert frag().party_tag(Responsibility(("provider",), False)) == \
        '<span class="pb-party pb-party--provider">Provider</span>\n'


def test_activity_with_nothing_linked():
    assert frag().activity(act()) == (
        '<li class="pb-activity" data-party="customer qsmo shared">\n'
        '  <div class="pb-activity__text">Draft it</div>\n'
        '  <p class="pb-activity__meta">Responsible: <span class="pb-party pb-party--shared">'
        'Shared (Customer, QSMO)</span>\n</p>\n'
        '</li>\n')


def test_activity_with_output_template_and_placeholder_example():
    got = frag().activity(act(output="Plan", template="report.docx", example="TBD <later>"))
    assert got.endswith(
        '  <ul class="pb-activity__links">\n'
        '<li>Targeted output: <a href="/artifacts/plan/">Plan</a></li>'
        '      <li><a href="/assets/files/report.docx">Template<span class="usa-sr-only"> for this activity</span>'
        '</a></li>\n'
        '      <li>Example: TBD &lt;later&gt; <span class="pb-muted" data-pagefind-ignore>(placeholder, not linked)'
        '</span></li>\n'
        '  </ul>\n'
        '</li>\n')


def test_activity_output_written_as_a_link_is_not_linked_again():
    got = frag().activity(act(output='<a href="/x/">Plan</a>'))
    assert '<li>Targeted output: <a href="/x/">Plan</a></li>' in got


def test_template_link_linked_placeholder_and_none():
    f = frag()
    assert f.template_link(ArtifactRef("A & B", filename="report.docx")) == \
        ' <a class="pb-download" href="/assets/files/report.docx">Template<span class="usa-sr-only"> for A &amp; B' \
        '</span></a>'
    assert f.template_link(ArtifactRef("A", filename="TBD.docx")) == ' <span class="pb-muted">(TBD.docx)</span>'
    assert f.template_link(ArtifactRef("A")) == ""


def test_artifact_linked_artifact_and_artifact_name():
    f, ref = frag(), ArtifactRef("Plan", url="https://x.gov/t")
    tl = ' <a class="pb-download" href="https://x.gov/t">Template<span class="usa-sr-only"> for Plan</span></a>'
    assert f.artifact(ref) == f'<span class="pb-artifact">Plan</span>\n{tl}\n'
    assert f.linked_artifact(ref) == f'<a class="pb-artifact" href="/artifacts/plan/">Plan</a>{tl}\n'
    assert frag(known=False).linked_artifact(ref) == f'<span class="pb-artifact">Plan</span>{tl}\n'
    assert f.artifact_name(ref, _Art()) == '<a class="pb-artifact" href="/artifacts/plan/">Plan</a>'
    linked = ArtifactRef('<a href="/p/">Plan</a>')
    assert f.artifact_name(linked, _Art()) == (
        '<span class="pb-artifact"><a href="/p/">Plan</a></span> (<a href="/artifacts/plan/">artifact page'
        '<span class="usa-sr-only"> for Plan &amp; Budget</span></a>)')
    assert f.artifact_name(ref, None) == '<span class="pb-artifact">Plan</span>'


def test_task_link_plain_and_cross_link():
    assert frag().task_link(_Task()) == '<a href="/1.2/">1.2 Write <em>the</em> plan</a>'
    assert frag().task_link(_Task(), True) == '<a class="xref" href="/1.2/">1.2 Write <em>the</em> plan</a>'


class _Other:
    id = "3.10"
    name = "Review <it>"


def test_task_shorts_links_ids_titled_with_names_and_counts_the_rest():
    f = frag()
    label = "1.2 Write the plan"
    one = f'<a href="/1.2/" title="{label}" aria-label="{label}">1.2</a>'
    two = '<a href="/3.10/" title="3.10 Review &lt;it&gt;" aria-label="3.10 Review &lt;it&gt;">3.10</a>'
    f._plain = lambda s: s.replace("<em>", "").replace("</em>", "")
    assert f.task_shorts([_Task(), _Other()]) == f"{one}, {two}"
    assert f.task_shorts([_Task()], 3) == f"{one} and 3 more"
    assert f.task_shorts([]) == ""


def test_kept_pieces_belong_to_their_own_object():
    """Pieces are kept per object and per value; another object or value gets its own."""
    f = frag()
    first, second = act(text="First"), act(text="Second", responsibility=Responsibility(("provider",), False))
    assert f.activity(first) is f.activity(first)
    assert '<div class="pb-activity__text">Second</div>' in f.activity(second)
    assert "pb-party--provider" in f.activity(second) and "pb-party--shared" in f.activity(first)
    assert f.party_tag(Responsibility(("qsmo",), False)) == '<span class="pb-party pb-party--qsmo">QSMO</span>\n'
    assert f.task_link(_Other()) == '<a href="/3.10/">3.10 Review <it></a>'
    assert f.task_link(_Task(), True) == '<a class="xref" href="/1.2/">1.2 Write <em>the</em> plan</a>'
    assert f.task_link(_Task()) == '<a href="/1.2/">1.2 Write <em>the</em> plan</a>'
