"""The HTML pieces layouts repeat: every branch, exactly (the golden site holds the common ones in place)."""
from __future__ import annotations

import pytest
from markupsafe import Markup

from playbook.link.artifacts import InputLink, Neighbour, OutputLink
from playbook.render.fragments import Fragments
from playbook.model.types import Activity, ArtifactRef, Responsibility, Stakeholder


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
                     artifact_url=lambda a: "/artifacts/plan/",
                     term_href=lambda name: "/glossary/#pm" if name == "PM" else None,
                     href=lambda path: "/pb" + path)


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


XREF_12 = '<a class="xref" href="/1.2/">1.2 Write <em>the</em> plan</a>'
SHORT_12 = ('<a href="/1.2/" title="1.2 Write &lt;em&gt;the&lt;/em&gt; plan" '
            'aria-label="1.2 Write &lt;em&gt;the&lt;/em&gt; plan">1.2</a>')
PLAN = '<a class="pb-artifact" href="/artifacts/plan/">Plan</a>'
TEMPLATE = ' <a class="pb-download" href="/assets/files/report.docx">Template<span class="usa-sr-only"> for Plan</span></a>'


@pytest.mark.parametrize("status,xref", [
    ("earlier", f"From {XREF_12}"),
    ("later", f"<strong>Output only later</strong>, first by {XREF_12}"),
    ("self", "Created by this task"),
    ("external", "From outside the playbook"),
    ("ambiguous", "<strong>Unlinked:</strong> the name fits more than one artifact"),
    ("unproduced", "<strong>Unlinked:</strong> no key task outputs it"),
    ("unresolved", "<strong>Unlinked:</strong> no key task in this playbook outputs it"),
])
def test_artifact_input_for_every_status(status, xref):
    ref = ArtifactRef("Plan", filename="report.docx")
    link = InputLink(ref, status, _Art(), _Task() if status in ("earlier", "later") else None)
    assert frag().artifact_input(link) == f'<li>{PLAN}{TEMPLATE}\n<span class="pb-xref">{xref}</span></li>\n'


def test_artifact_input_with_other_producers_and_no_artifact():
    link = InputLink(ArtifactRef("Notes"), "earlier", None, _Task(), others=(_Task(),), more=2)
    assert frag().artifact_input(link) == (
        f'<li><span class="pb-artifact">Notes</span>\n<span class="pb-xref">From {XREF_12}; also output by '
        f'{SHORT_12} and 2 more</span></li>\n')


def test_artifact_output_created_here_and_used_later():
    o = OutputLink(ArtifactRef("Plan", filename="report.docx"), _Art(), _Task(), True, used_by=(_Task(),), more_uses=1)
    assert frag().artifact_output(o) == (
        f'<li>{PLAN}{TEMPLATE}<span class="pb-xref">Created here; used by {SHORT_12} and 1 more</span></li>\n')


def test_artifact_output_updated_elsewhere_named_by_an_activity():
    o = OutputLink(ArtifactRef("Plan"), _Art(), _Task(), False, updates=(_Task(),), from_activity=True)
    assert frag().artifact_output(o) == (
        f'<li>{PLAN} <span class="pb-muted">(named by an activity)</span><span class="pb-xref">First created in '
        f'<a href="/1.2/">1.2 Write <em>the</em> plan</a>; updated later in {SHORT_12}</span></li>\n')


def test_artifact_output_used_by_no_one():
    o = OutputLink(ArtifactRef("Plan"), _Art(), _Task(), True)
    assert frag().artifact_output(o) == (
        f'<li>{PLAN}<span class="pb-xref">Created here; used by no later key task</span></li>\n')
    both = OutputLink(ArtifactRef("Plan"), _Art(), _Task(), True, updates=(_Task(),), used_by=(_Task(),))
    assert frag().artifact_output(both).endswith(f"; updated later in {SHORT_12}; used by {SHORT_12}</span></li>\n")


def test_fit_box_in_and_out_of_order():
    box = '<li class="pb-fit__box"><a href="/1.2/">1.2 Write &lt;em&gt;the&lt;/em&gt; plan</a><span class="pb-fit__what">'
    f = frag()
    assert f.fit_box(Neighbour(_Task(), ("A & B", "C")), "later") == f"{box}A &amp; B; C</span></li>"
    assert f.fit_box(Neighbour(_Task(), ("C",), True), "earlier") == f"{box}C <strong>(comes earlier)</strong></span></li>"
    assert f.fit_box(Neighbour(_Task(), (Markup("<i>M</i>"), "<x>")), "later") == f"{box}<i>M</i>; &lt;x&gt;</span></li>"


def test_stakeholder_linked_plain_and_shared():
    f = frag()
    assert f.stakeholder(Stakeholder("PM", Responsibility(("customer",), False))) == \
        '  <li><a href="/glossary/#pm">PM</a></li>\n'
    assert f.stakeholder(Stakeholder("*Lead*", Responsibility(("customer", "qsmo"), True))) == \
        '  <li>Lead <span class="pb-muted">(Shared (Customer, QSMO))</span></li>\n'
    assert f.stakeholder(Stakeholder("PM", Responsibility((), True))) == \
        '  <li><a href="/glossary/#pm">PM</a> <span class="pb-muted">(Shared)</span></li>\n'


def _key_task(n_acts: int, outputs: tuple = ()):
    from playbook.model.types import KeyTask
    party = Responsibility(("customer",), False)
    acts = tuple(Activity(f"Step *{i}* & co", party) for i in range(1, n_acts + 1))
    return KeyTask("p.md", "p.md", 1, 2, "Plan <it>", "Know *why*", Responsibility(("qsmo",), False), "process",
                   activities=acts, outputs=tuple(ArtifactRef(n) for n in outputs))


QUICK_TOP = ('<details class="pb-quick" data-pagefind-ignore>\n'
             '  <summary class="pb-quick__summary">Quick view<span class="usa-sr-only"> of 1.2 Plan &lt;it&gt;</span>'
             '</summary>\n'
             '  <div class="pb-quick__body">\n'
             '    <p><strong>Objective:</strong> Know why</p>\n')
QUICK_END = '    <p><a href="/1.2/">Open 1.2 Plan &lt;it&gt;</a></p>\n  </div>\n</details>\n'


def test_quick_view_without_activities_or_outputs():
    assert frag().quick_view(_key_task(0)) == (
        QUICK_TOP + '    <p><strong>Lead:</strong> QSMO · <strong>Activities:</strong> 0</p>\n' + QUICK_END)


def test_quick_view_lists_five_activities_and_counts_the_rest_then_the_outputs():
    step = '<li>Step {} &amp; co <span class="pb-muted">(Customer)</span></li>'
    assert frag().quick_view(_key_task(7, ("A & B", "C"))) == (
        QUICK_TOP + '    <p><strong>Lead:</strong> QSMO · <strong>Activities:</strong> 7</p>\n'
        '    <ol class="pb-quick__activities">\n' + "".join(step.format(i) for i in range(1, 6)) + '    </ol>\n'
        '<p class="pb-muted">and 2 more.</p><p><strong>Outputs:</strong> A &amp; B; C</p>' + QUICK_END)
    assert frag().quick_view(_key_task(1)) == (
        QUICK_TOP + '    <p><strong>Lead:</strong> QSMO · <strong>Activities:</strong> 1</p>\n'
        '    <ol class="pb-quick__activities">\n' + step.format(1) + '    </ol>\n' + QUICK_END)


def test_artifact_role_rows_mark_what_each_task_does():
    from playbook.render.artifact_pages import Role
    link = '<a href="/1.2/">1.2 Write <em>the</em> plan</a>'
    row = '<tr>\n  <th scope="row">{}</th>\n  <td>1</td>\n  <td>{}</td>\n</tr>\n'
    f, t = frag(), _Task()
    t.phase = 1
    assert f.artifact_role(Role(t, ("Created",))) == row.format(link, '<span class="pb-mark pb-mark--created">Created'
                                                                      '</span>')
    assert f.artifact_role(Role(t, ("Used", "Updated"), _Other())) == row.format(
        link, '<span class="pb-mark pb-mark--used">Used</span> <span class="pb-muted">(from 3.10)</span> '
              '<span class="pb-mark pb-mark--updated">Updated</span>')
    assert f.artifact_role(Role(t, ("Used",))) == row.format(link, '<span class="pb-mark pb-mark--used">Used</span>')


def test_tracker_cells_one_per_phase():
    from playbook.publish.tracker import Cell, Row
    row = Row(_Art(), "Produced", {2: Cell({"Created": ["2.1"], "Used": ["2.3", "2.4"]})})
    assert frag().tracker_cells(row, [(1, "One"), (2, "Two"), (3, "")]) == (
        "  <td></td>\n"
        '  <td><span class="pb-tracker__mark"><span class="pb-mark pb-mark--created">Created</span> 2.1</span>'
        '<span class="pb-tracker__mark"><span class="pb-mark pb-mark--used">Used</span> 2.3, 2.4</span></td>\n'
        "  <td></td>\n")


def test_flow_rows_with_and_without_artifacts_passed():
    a = _Art()
    head = '<tr>\n  <th scope="row"><a href="/1.2/">1.2 Write <em>the</em> plan</a></th>\n'
    none = '<span class="pb-muted">None</span>'
    assert frag().flow_row(_Task(), [], []) == f"{head}  <td>{none}</td>\n  <td>{none}</td>\n</tr>\n"
    assert frag().flow_row(_Task(), [(a, _Other())], [(a, [_Task(), _Other()], 0), (a, [_Other()], 4)]) == (
        f'{head}  <td><ul class="pb-flow-table__list"><li>Plan &amp; Budget <span class="pb-muted">(from 3.10)</span>'
        '</li></ul></td>\n'
        '  <td><ul class="pb-flow-table__list"><li>Plan &amp; Budget <span class="pb-muted">(to 1.2, 3.10)</span></li>'
        '<li>Plan &amp; Budget <span class="pb-muted">(to 3.10 and 4 more)</span></li></ul></td>\n</tr>\n')


def test_breadcrumb_links_every_crumb_but_the_page_itself():
    head = '<nav class="usa-breadcrumb" aria-label="Breadcrumbs">\n  <ol class="usa-breadcrumb__list">\n'
    here = '    <li class="usa-breadcrumb__list-item usa-current" aria-current="page"><span>{}</span></li>\n'
    end = "  </ol>\n</nav>\n"
    assert frag().breadcrumb([("/", "Playbook"), ("/phase1/", Markup("Phase 1: <i>R</i>")), ("/1.2/", "1.2 A & B")]) == (
        head + '    <li class="usa-breadcrumb__list-item"><a class="usa-breadcrumb__link" href="/pb/"><span>Playbook'
        '</span></a></li>\n'
        '    <li class="usa-breadcrumb__list-item"><a class="usa-breadcrumb__link" href="/pb/phase1/"><span>Phase 1: '
        '<i>R</i></span></a></li>\n' + here.format("1.2 A &amp; B") + end)
    assert frag().breadcrumb([("/", "Playbook")]) == head + here.format("Playbook") + end
