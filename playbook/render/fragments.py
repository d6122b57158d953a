"""Small pieces of HTML that layouts repeat many times a page, made in Python.

A key task page called about forty small Jinja macros (a party tag per
activity, an artifact name and template link per input and output, a task
link per cross-link); a macro call costs Jinja a new context each time, and
together they were about a third of rendering a key task page. These
functions write the same markup, byte for byte, as the macros they replace
did (the golden site holds it), escaping every value that is not already
markup. So do the items of the lists a key task page shows (its inputs,
outputs, neighbours in the artifact flow and stakeholders) and a phase page's
quick view of each task, which were loops and includes in the layouts; the
layouts keep the sections, headings and lists around them.

A party's tag, an activity, a task link, a stakeholder, an artifact's name
and its template link read the same on every page that shows them (an
activity is on its key task's page, the activities page and up to three party
pages), so each is made once per build and kept, per object (an activity, a
task) or per value (a responsibility, a name). What is kept is as big as those
pages' share of them, and goes with the renderer.

The artifact pages' rows, the document tracker's cells and the flow table's
rows are made here too, for the same reason as the lists of a key task page.
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from playbook.render import browse
from playbook.render.templating import markup
from playbook.render.templating import output_escape as escape


class Fragments:
    """The helpers, bound to one renderer's text filters, links and artifact index."""

    def __init__(self, inline, plain, url_of, link_for, artifact_named, artifact_url, term_href, href):
        self._inline, self._plain, self._url_of, self._link_for, self._href = inline, plain, url_of, link_for, href
        self._artifact_named, self._artifact_url, self._term_href = artifact_named, artifact_url, term_href
        self._tags: dict = {}
        self._labels: dict = {}
        self._linked: dict = {}
        self._stakeholders: dict = {}
        # id(object) -> (object, html): holding the object keeps its id from being reused
        self._activities: dict = {}
        self._task_links: dict = {}
        self._shorts: dict = {}
        self._fit_links: dict = {}
        self._templates: dict = {}
        self._names: dict = {}
        self._marks: dict = {}

    def globals(self) -> dict:
        """The names layouts call them by."""
        return {"party_tag": self.party_tag, "activity": self.activity, "template_link": self.template_link,
                "artifact": self.artifact, "linked_artifact": self.linked_artifact, "task_link": self.task_link,
                "artifact_name": self.artifact_name, "task_shorts": self.task_shorts,
                "artifact_input": self.artifact_input, "artifact_output": self.artifact_output,
                "fit_box": self.fit_box, "stakeholder": self.stakeholder, "quick_view": self.quick_view,
                "artifact_role": self.artifact_role, "tracker_cells": self.tracker_cells, "flow_row": self.flow_row,
                "breadcrumb": self.breadcrumb}

    def breadcrumb(self, crumbs) -> Markup:
        """The breadcrumb trail: a link for each (site path, label) of ``crumbs`` but the last, the page itself."""
        out = ['<nav class="usa-breadcrumb" aria-label="Breadcrumbs">\n  <ol class="usa-breadcrumb__list">\n']
        for path, label in crumbs[:-1]:
            out.append(f'    <li class="usa-breadcrumb__list-item"><a class="usa-breadcrumb__link" '
                       f'href="{escape(self._href(path))}"><span>{escape(label)}</span></a></li>\n')
        for _path, label in crumbs[-1:]:
            out.append(f'    <li class="usa-breadcrumb__list-item usa-current" aria-current="page"><span>{escape(label)}'
                       "</span></li>\n")
        out.append("  </ol>\n</nav>\n")
        return markup("".join(out))

    def party_tag(self, r) -> Markup:
        """A responsible party as a coloured tag (followed by a line break, as layouts expect)."""
        key = (r.parties, r.shared)
        got = self._tags.get(key)
        if got is None:
            got = self._tags[key] = markup(
                f'<span class="pb-party pb-party--{escape(r.key)}">{self._label(r)}</span>\n')
        return got

    def _label(self, r) -> str:
        """A responsibility's label, escaped; kept per value (Responsibility.label joins names each time)."""
        key = (r.parties, r.shared)
        got = self._labels.get(key)
        if got is None:
            got = self._labels[key] = escape(r.label)
        return got

    def activity(self, a) -> Markup:
        """One activity as a list item: its text, its party, and its output, template and example links."""
        got = self._activities.get(id(a))
        if got is None or got[0] is not a:
            got = self._activities[id(a)] = (a, self._activity(a))
        return got[1]

    def _activity(self, a) -> Markup:
        r = a.responsibility
        out = [f'<li class="pb-activity" data-party="{escape(" ".join(browse.party_keys(r)))}">\n'
               f'  <div class="pb-activity__text">{self._inline(a.text)}</div>\n'
               f'  <p class="pb-activity__meta">Responsible: {self.party_tag(r)}</p>\n']
        if a.output or a.template or a.example:
            out.append('  <ul class="pb-activity__links">\n')
            if a.output:
                art = self._artifact_named(a.output)
                shown = self._inline(a.output)
                if art and "<a" not in a.output.lower():
                    shown = f'<a href="{escape(self._artifact_url(art))}">{shown}</a>'
                out.append(f"<li>Targeted output: {shown}</li>")
            for label, value in (("Template", a.template), ("Example", a.example)):
                if not value:
                    continue
                target = self._link_for(value)
                if target:
                    out.append(f'      <li><a href="{escape(target)}">{label}<span class="usa-sr-only"> for this '
                               f'activity</span></a></li>\n')
                else:
                    out.append(f'      <li>{label}: {escape(value)} <span class="pb-muted" data-pagefind-ignore>'
                               f'(placeholder, not linked)</span></li>\n')
            out.append("  </ul>\n")
        out.append("</li>\n")
        return markup("".join(out))

    def template_link(self, ref) -> Markup:
        """' Template' linked to an artifact's template file or address; the value shown when it is a placeholder."""
        value = ref.url or ref.filename
        if not value:
            return _EMPTY
        key = (value, ref.name)
        got = self._templates.get(key)
        if got is None:
            got = self._templates[key] = self._template_link(value, ref.name)
        return got

    def _template_link(self, value: str, name: str) -> Markup:
        target = self._link_for(value)
        if target:
            return markup(f' <a class="pb-download" href="{escape(target)}">Template<span class="usa-sr-only"> for '
                          f'{escape(self._plain(name))}</span></a>')
        return markup(f' <span class="pb-muted">({escape(value)})</span>')

    def artifact(self, ref) -> Markup:
        """An artifact's name and template link, unlinked (the PDF)."""
        return markup(f'<span class="pb-artifact">{self._inline(ref.name)}</span>\n{self.template_link(ref)}\n')

    def linked_artifact(self, ref) -> Markup:
        """An artifact's name, linked to its page when the artifact index knows it, and its template link."""
        key = (ref.name, ref.url, ref.filename)
        got = self._linked.get(key)
        if got is None:
            a = self._artifact_named(ref.name)
            if a and "<a" not in ref.name.lower():
                shown = f'<a class="pb-artifact" href="{escape(self._artifact_url(a))}">{self._inline(ref.name)}</a>'
            else:
                shown = f'<span class="pb-artifact">{self._inline(ref.name)}</span>'
            got = self._linked[key] = markup(f"{shown}{self.template_link(ref)}\n")
        return got

    def task_link(self, t, xref: bool = False) -> Markup:
        """'1.2 Name' linked to the key task's page; ``xref`` marks a cross-link between tasks."""
        got = self._task_links.get(id(t))
        if got is None or got[0] is not t:
            link = f' href="{escape(self._url_of(t))}">{escape(t.id)} {self._inline(t.name)}</a>'
            got = self._task_links[id(t)] = (t, markup("<a" + link), markup('<a class="xref"' + link))
        return got[2] if xref else got[1]

    def artifact_name(self, ref, a) -> Markup:
        """An input's or output's name as written, linked to the artifact ``a`` it resolved to (if any)."""
        key = (ref.name, id(a))
        got = self._names.get(key)
        if got is None or got[0] is not a:
            got = self._names[key] = (a, self._artifact_name(ref.name, a))
        return got[1]

    def _artifact_name(self, name: str, a) -> Markup:
        shown = self._inline(name)
        if a and "<a" not in name.lower():
            return markup(f'<a class="pb-artifact" href="{escape(self._artifact_url(a))}">{shown}</a>')
        if a:
            return markup(f'<span class="pb-artifact">{shown}</span> (<a href="{escape(self._artifact_url(a))}">'
                          f'artifact page<span class="usa-sr-only"> for {escape(a.name)}</span></a>)')
        return markup(f'<span class="pb-artifact">{shown}</span>')

    def task_shorts(self, tasks, more: int = 0) -> Markup:
        """'1.2, 1.4 and 3 more': each task's id linked to it and titled with its name."""
        out = []
        for t in tasks:
            hit = self._shorts.get(id(t))
            if hit is None or hit[0] is not t:
                label = f"{escape(t.id)} {escape(self._plain(t.name))}"
                hit = self._shorts[id(t)] = (
                    t, f'<a href="{escape(self._url_of(t))}" title="{label}" aria-label="{label}">{escape(t.id)}</a>')
            out.append(hit[1])
        return markup(", ".join(out) + (f" and {escape(more)} more" if more else ""))

    def _input_xref(self, l) -> str:
        """Where an input (an :class:`~playbook.artifacts.InputLink`) comes from, or why it is not linked."""
        status = l.status
        if status == "earlier":
            xref = f"From {self.task_link(l.producer, True)}"
        elif status == "later":
            xref = f"<strong>Output only later</strong>, first by {self.task_link(l.producer, True)}"
        elif status == "update-only":
            xref = (f"<strong>Unlinked:</strong> no key task before it creates it; {self.task_link(l.producer, True)} "
                    "only updates it")
        else:
            xref = _INPUT_STATUS.get(status, _UNLINKED)
        if l.others:
            xref = f"{xref}; also output by {self.task_shorts(l.others, l.more)}"
        return xref

    def artifact_input(self, l) -> Markup:
        """One input of a key task (an :class:`~playbook.artifacts.InputLink`) as a list item: its name,
        its template link, how an inferred name was matched, and the task it comes from or why it is not
        linked; an input naming several artifacts lists each with its own."""
        if l.also:
            parts = "".join(f'<li>matched as <a class="pb-artifact" href="{escape(self._artifact_url(x.artifact))}">'
                            f'{escape(x.artifact.name)}</a>\n<span class="pb-xref">{self._input_xref(x)}</span></li>\n'
                            for x in l.parts)
            return markup(f'<li><span class="pb-artifact">{self._inline(l.ref.name)}</span>{self.template_link(l.ref)}\n'
                          f'<span class="pb-xref">Names {len(l.parts)} artifacts:</span>\n<ul>\n{parts}</ul></li>\n')
        return markup(f'<li>{self.artifact_name(l.ref, l.artifact)}{_matched(l)}{self.template_link(l.ref)}\n'
                      f'<span class="pb-xref">{self._input_xref(l)}</span></li>\n')

    def artifact_output(self, o) -> Markup:
        """One output of a key task (an :class:`~playbook.artifacts.OutputLink`) as a list item: its name,
        its template link, where it is created and updated, and who uses it."""
        out = [f"<li>{self.artifact_name(o.ref, o.artifact)}{_matched(o)}{self.template_link(o.ref)}"]
        if o.from_activity:
            out.append(' <span class="pb-muted">(named by an activity)</span>')
        out.append('<span class="pb-xref">')
        out.append("Created here" if o.created_here else f"First created in {self.task_link(o.created_by)}")
        if o.updates:
            out.append(f"; updated later in {self.task_shorts(o.updates, o.more_updates)}")
        if o.used_by:
            out.append(f"; used by {self.task_shorts(o.used_by, o.more_uses)}")
        elif not o.updates:
            out.append("; used by no later key task")
        out.append("</span></li>\n")
        return markup("".join(out))

    def fit_box(self, n, out_of_order: str) -> Markup:
        """A task linked to this one through artifacts (a :class:`~playbook.artifacts.Neighbour`), for the
        "Where this task fits" figure; ``out_of_order`` says how when it is: "later" or "earlier"."""
        t = n.task
        got = self._fit_links.get(id(t))
        if got is None or got[0] is not t:
            got = self._fit_links[id(t)] = (
                t, f'<li class="pb-fit__box"><a href="{escape(self._url_of(t))}">{escape(t.id)} '
                   f'{escape(self._plain(t.name))}</a><span class="pb-fit__what">')
        note = f" <strong>(comes {escape(out_of_order)})</strong>" if n.out_of_order else ""
        return markup(f"{got[1]}{_joined(n.artifacts, '; ')}{note}</span></li>")

    def stakeholder(self, s) -> Markup:
        """A stakeholder as a list item: the role, linked to the glossary when it defines it, and the parties
        of a shared role."""
        r = s.responsibility
        key = (s.name, r.parties, r.shared)
        got = self._stakeholders.get(key)
        if got is None:
            target, name = self._term_href(s.name), self._inline(s.name)
            shown = f'<a href="{escape(target)}">{name}</a>' if target else name
            shared = f' <span class="pb-muted">({self._label(r)})</span>' if r.shared else ""
            got = self._stakeholders[key] = markup(f"  <li>{shown}{shared}</li>\n")
        return got

    def quick_view(self, t) -> Markup:
        """A key task's quick view on its phase page, a ``<details>`` element that opens by keyboard and without
        JavaScript: objective, lead, the first five activities, outputs and a link to the task."""
        acts = t.all_activities
        name = f"{escape(t.id)} {escape(self._plain(t.name))}"
        out = ['<details class="pb-quick" data-pagefind-ignore>\n'
               f'  <summary class="pb-quick__summary">Quick view<span class="usa-sr-only"> of {name}</span></summary>\n'
               '  <div class="pb-quick__body">\n'
               f"    <p><strong>Objective:</strong> {self._inline(t.objective)}</p>\n"
               f"    <p><strong>Lead:</strong> {self._label(t.responsibility)} · <strong>Activities:</strong> "
               f"{len(acts)}</p>\n"]
        if acts:
            out.append('    <ol class="pb-quick__activities">\n')
            for a in acts[:5]:
                out.append(f'<li>{escape(self._plain(a.text))} <span class="pb-muted">({self._label(a.responsibility)})'
                           "</span></li>")
            out.append("    </ol>\n")
            if len(acts) > 5:
                out.append(f'<p class="pb-muted">and {len(acts) - 5} more.</p>')
        if t.outputs:
            out.append(f"<p><strong>Outputs:</strong> {'; '.join(escape(self._plain(o.name)) for o in t.outputs)}</p>")
        out.append(f'    <p><a href="{escape(self._url_of(t))}">Open {name}</a></p>\n  </div>\n</details>\n')
        return markup("".join(out))

    # --- the artifact pages' tables ----------------------------------------------
    def artifact_role(self, r) -> Markup:
        """A key task's part in an artifact's life (an :class:`~playbook.artifact_views.Role`) as a row of
        the artifact page's table: the task, its phase, and its marks, the source task beside 'Used', and
        how a name the task writes differently was matched."""
        source = r.source
        key = (r.marks, id(source))
        got = self._marks.get(key)
        if got is None or got[1] is not source:
            marks = []
            for m in r.marks:
                mark = _mark(m)
                if m == "Used" and source:
                    mark = f'{mark} <span class="pb-muted">(from {escape(source.id)})</span>'
                marks.append(mark)
            got = self._marks[key] = (" ".join(marks), source)
        notes = "".join(f'\n<span class="pb-xref">{escape(n)}</span>' for n in r.notes)
        return markup(f'<tr>\n  <th scope="row">{self.task_link(r.task)}</th>\n  <td>{escape(r.task.phase)}</td>\n'
                      f"  <td>{got[0]}{notes}</td>\n</tr>\n")

    @staticmethod
    def tracker_cells(row, phases) -> Markup:
        """An artifact's cells of the document tracker (a :class:`~playbook.tracker.Row`), one per phase of
        ``phases`` ((number, name) pairs): each mark and the ids of the tasks it names."""
        out = []
        for n, _name in phases:
            cell = row.cells.get(n)
            if cell:
                out.append("  <td>" + "".join(f'<span class="pb-tracker__mark">{_mark(mark)} {escape(", ".join(ids))}'
                                              "</span>" for mark, ids in cell.marks.items()) + "</td>\n")
            else:
                out.append("  <td></td>\n")
        return markup("".join(out))

    def flow_row(self, t, takes, gives) -> Markup:
        """A key task's row of the flow table (see :meth:`playbook.artifact_views.Views.flow_rows`): the
        artifacts it takes in and from whom, and those it passes on and to whom."""
        if takes:
            took = "".join(f'<li>{escape(a.name)} <span class="pb-muted">(from {escape(src.id)})</span></li>'
                           for a, src in takes)
            took = f'<ul class="pb-flow-table__list">{took}</ul>'
        else:
            took = _NONE
        if gives:
            gave = "".join(f'<li>{escape(a.name)} <span class="pb-muted">(to {escape(", ".join([x.id for x in to]))}'
                           f'{f" and {escape(more)} more" if more else ""})</span></li>' for a, to, more in gives)
            gave = f'<ul class="pb-flow-table__list">{gave}</ul>'
        else:
            gave = _NONE
        return markup(f'<tr>\n  <th scope="row">{self.task_link(t)}</th>\n  <td>{took}</td>\n  <td>{gave}</td>\n'
                      "</tr>\n")


_UNLINKED = "<strong>Unlinked:</strong> no key task in this playbook outputs it"
_INPUT_STATUS = {
    "self": "Created by this task",
    "external": "From outside the playbook",
    "ambiguous": "<strong>Unlinked:</strong> the name fits more than one artifact",
    "unproduced": "<strong>Unlinked:</strong> no key task outputs it",
}
"""What an input's cross-reference says for each status that names no task."""
_NONE = '<span class="pb-muted">None</span>'


def _matched(link) -> str:
    """' <span>matched as X (rules)</span>' beside a name whose link the rules inferred, else ''."""
    note = link.matched
    return f' <span class="pb-muted">{escape(note)}</span>' if note else ""
_EMPTY = markup("")


@lru_cache(maxsize=16)
def _mark(mark: str) -> str:
    """'Created', 'Updated' or 'Used' as a coloured mark."""
    return f'<span class="pb-mark pb-mark--{escape(mark.lower())}">{escape(mark)}</span>'


def _joined(items, sep: str) -> str:
    """``items | join(sep)`` as an autoescaping layout writes it: text escaped, markup kept."""
    if all(type(i) is str for i in items):
        return escape(sep.join(items))
    return Markup(sep).join(items)
