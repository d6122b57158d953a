"""The side navigation of content pages (phases and key tasks), written in Python.

It used to be a Jinja partial run on every page, about a fifth of a key task
page's rendering time. The per-item HTML (link, label) is worked out once per
build; each page only joins the lines for its window of phases and marks its
own entry. The output is byte-identical to the partial's (layouts/base.html
now calls :meth:`SideNav.html`).

Every phase is listed while there are few; with many (a playbook of hundreds of
phases), only the 13 around the page's phase, so each page stays the same size
and a build stays linear. The key task pages of one phase show the same
navigation but for the entry marked as the page's own, so what comes before
and after that phase's task list is joined once per phase.
"""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup, escape

WINDOW = 6
"""Phases shown on each side of the page's own phase when the list is cut."""

_CURRENT = ' class="usa-current" aria-current="page"'
_OPEN = ' class="usa-current"'


class SideNav:
    """Side navigation for one build: ``html(current, task, phase)`` per page."""

    def __init__(self, site, urls, url_of: Callable, plain: Callable):
        self.site, self.urls, self.url_of, self.plain = site, urls, url_of, plain
        self.numbers = site.phase_numbers()
        self._phase: dict = {}
        self._tasks: dict = {}
        self._tail: tuple | None = None
        self._around: dict = {}
        self._others: set | None = None

    def _phase_parts(self, number: int) -> tuple:
        """(phase page path or None, '<a href=...', '>Phase n: name</a>' or the label line)."""
        got = self._phase.get(number)
        if got is None:
            phase = self.site.phase_of.get(number)
            if phase and self.urls.has(phase):
                got = (self.urls.of(phase), phase, f'      <a href="{escape(self.url_of(phase))}"',
                       f">Phase {escape(number)}: {escape(self.plain(phase.name))}</a>\n")
            else:
                got = (self.urls.of(phase) if phase else None, phase, None,
                       f'      <span class="pb-sidenav__label">Phase {escape(number)}</span>\n')
            self._phase[number] = got
        return got

    def _task_lines(self, number: int) -> list:
        """(page path, '<li ...><a href=...', '>id name</a></li>') for each key task of a phase."""
        got = self._tasks.get(number)
        if got is None:
            got = self._tasks[number] = [
                (self.urls.of(t), f'        <li class="usa-sidenav__item"><a href="{escape(self.url_of(t))}"',
                 f">{escape(t.id)} {escape(self.plain(t.name))}</a></li>\n")
                for t in self.site.tasks_by_phase.get(number, ())]
        return got

    def _tail_lines(self) -> tuple:
        """The glossary, the Resources page and other pages, as (page path, start, end) like the task lines."""
        if self._tail is None:
            pb = self.site.playbook
            self._tail = tuple(
                (self.urls.of(p), f'    <li class="usa-sidenav__item"><a href="{escape(self.url_of(p))}"',
                 f">{escape(self.plain(p.title))}</a></li>\n")
                for p in (pb.glossary, pb.resources, *pb.pages) if p is not None and self.urls.has(p))
        return self._tail

    def html(self, current: str, task=None, phase=None) -> Markup:
        """The navigation of the page at ``current`` (a key task page passes its task and phase)."""
        if task is None or current in self._other_paths():
            return Markup("".join(self._parts(current, task, phase)))
        # every key task page of a phase shows the same navigation but for which task is marked
        got = self._around.get(task.phase)
        if got is None:
            parts = self._parts(current, task, phase, tasks_here=None)
            at = parts.index(None) if None in parts else len(parts)
            got = self._around[task.phase] = ("".join(parts[:at]), "".join(parts[at + 1:]), at < len(parts))
        before, after, listed = got
        if not listed:
            return Markup(before + after)
        lines = [t_start + (_CURRENT if current == t_path else "") + t_end
                 for t_path, t_start, t_end in self._task_lines(task.phase)]
        return Markup(before + "".join(lines) + after)

    def _other_paths(self) -> set:
        """The page paths of every phase and tail entry, which a key task page never is."""
        if self._others is None:
            self._others = {self._phase_parts(n)[0] for n in self.numbers} | {p for p, _s, _e in self._tail_lines()}
        return self._others

    def _parts(self, current: str, task, phase, tasks_here=True) -> list:
        """The navigation's pieces; with ``tasks_here`` None, the opened phase's task lines are one None."""
        numbers = self.numbers
        windowed = len(numbers) > 2 * WINDOW + 1
        if windowed:
            here = task.phase if task else (phase.number if phase else numbers[0])
            i = numbers.index(here) if here in numbers else 0
            start = max(0, min(i - WINDOW, len(numbers) - 2 * WINDOW - 1))
            shown = numbers[start:start + 2 * WINDOW + 1]
        else:
            shown = numbers
        out = ['<nav aria-label="Phases and key tasks">\n  <ul class="usa-sidenav">\n']
        for number in shown:
            path, ph, start_a, end_a = self._phase_parts(number)
            opened = bool(ph and current == path) or (task is not None and task.phase == number)
            out.append('    <li class="usa-sidenav__item">\n')
            if start_a is not None:
                out.append(start_a + (_CURRENT if current == path else _OPEN if opened else "") + end_a)
            else:
                out.append(end_a)
            if opened:
                out.append('      <ul class="usa-sidenav__sublist">\n')
                if tasks_here is None and task is not None and task.phase == number:
                    out.append(None)
                else:
                    for t_path, t_start, t_end in self._task_lines(number):
                        out.append(t_start + (_CURRENT if current == t_path else "") + t_end)
                out.append("      </ul>\n")
            out.append("    </li>\n")
        if windowed:
            out.append(f'    <li class="usa-sidenav__item"><a href="{escape(self.urls.href(self.urls.home + "#phases"))}">'
                       f"All {len(numbers)} phases</a></li>\n")
        for path, start_a, end_a in self._tail_lines():
            out.append(start_a + (_CURRENT if current == path else "") + end_a)
        out.append("  </ul>\n</nav>")
        return out
