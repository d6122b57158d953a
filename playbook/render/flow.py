"""The whole artifact flow as one SVG, drawn at build time (no client script).

Key tasks stand in phase columns; an arrow runs from the task that produces an
artifact to each task whose input resolves to it (one arrow per pair of tasks,
naming every artifact it carries in its tooltip). Arrows that run backwards,
to a task that uses an artifact before it is produced, are dashed.

Readable at the real playbook's size (about 70 tasks): text is 15 px and never
scaled down in the page (the picture scrolls instead); black on white, so it
prints. It has a <title> and <desc>; the same information is in a table on
the page that shows it. Hovering over or focusing a task highlights its arrows
with CSS alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable

from playbook.model.types import KeyTask
from playbook.link.names import plain

FONT = 15
LINE = 19
COL_W = 250
GAP = 130
MARGIN = 24
HEAD_H = 64
PAD_X, PAD_Y = 10, 8
NODE_GAP = 18
MAX_LINES = 4
CHARS = int((COL_W - 2 * PAD_X) / (FONT * 0.56))
HIGHLIGHT_LIMIT = 400
"""Above this many tasks, the hover highlighting rules are left out to keep the file small."""


@dataclass(frozen=True)
class Column:
    """One phase column."""

    number: int
    label: str
    tasks: tuple


@dataclass
class _Node:
    pos: int
    task: KeyTask
    col: int
    x: float
    y: float
    h: float
    lines: list

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


def wrap(text: str, width: int = CHARS, max_lines: int = MAX_LINES) -> list[str]:
    """Greedy word wrap; a word longer than a line is cut; the last line ends in '…' when text is left."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width - 1] + "-")
            word = word[width - 1:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[:max_lines - 1] + [(last[:width - 1].rstrip() if len(last) >= width else last) + "…"]
    return lines or [""]


def _e(text: str) -> str:
    return escape(text, quote=True)


def render(columns: list[Column], edges: dict, positions: dict, href: Callable[[KeyTask], str],
           title: str = "Artifact flow") -> str:
    """The SVG markup (no XML declaration; :func:`document` adds one for a file of its own).

    ``edges`` maps (producer position, consumer position) to the artifacts it
    carries; ``positions`` maps task id to position.
    """
    nodes: dict[int, _Node] = {}
    height = 0.0
    for c, col in enumerate(columns):
        x = MARGIN + c * (COL_W + GAP)
        y = MARGIN + HEAD_H
        for t in col.tasks:
            lines = wrap(f"{t.id} {plain(t.name)}")
            h = 2 * PAD_Y + LINE * len(lines)
            nodes[positions[t.id]] = _Node(positions[t.id], t, c, x, y, h, lines)
            y += h + NODE_GAP
        height = max(height, y)
    width = 2 * MARGIN + len(columns) * COL_W + max(0, len(columns) - 1) * GAP + GAP * 0.8  # room for loops
    legend_y = height + 12
    total_h = legend_y + 2 * LINE + MARGIN
    drawn = [(s, d, arts) for (s, d), arts in edges.items() if s in nodes and d in nodes]
    ends = _ports(nodes, drawn)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pbflow" viewBox="0 0 {width:.0f} {total_h:.0f}" '
           f'width="{width:.0f}" height="{total_h:.0f}" aria-labelledby="pbflow-title pbflow-desc">',
           f'<title id="pbflow-title">{_e(title)}</title>',
           f'<desc id="pbflow-desc">{_e(_description(columns, nodes, drawn))}</desc>',
           '<defs><marker id="pbflow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
           'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="pbflow-head"/></marker></defs>',
           f'<rect class="pbflow-bg" x="0" y="0" width="{width:.0f}" height="{total_h:.0f}"/>']
    for c, col in enumerate(columns):
        x = MARGIN + c * (COL_W + GAP)
        head = wrap(col.label, CHARS + 2, 2)
        out.append(f'<text class="pbflow-phase" x="{x}" y="{MARGIN + 16}">'
                   + "".join(f'<tspan x="{x}" dy="{0 if i == 0 else LINE + 1}">{_e(s)}</tspan>'
                             for i, s in enumerate(head)) + "</text>")
    out.append('<g class="pbflow-edges" aria-hidden="true">')
    for s, d, arts in drawn:
        a, b = nodes[s], nodes[d]
        (x1, y1), (x2, y2) = ends[(s, d)]
        if b.col > a.col:
            dx = max(40.0, (x2 - x1) * 0.45)
            path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        elif b.col == a.col:
            bend = min(GAP * 0.8, 24 + 0.25 * abs(y2 - y1))
            path = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 + bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        else:
            dx = max(40.0, (x1 - x2) * 0.45)
            path = f"M{x1:.1f},{y1:.1f} C{x1 - dx:.1f},{y1:.1f} {x2 + dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        cls = "pbflow-e" + (" pbflow-back" if b.col < a.col or (b.col == a.col and b.y < a.y) else "")
        tip = f"{a.task.id} → {b.task.id}: " + "; ".join(x.name for x in arts)
        out.append(f'<path class="{cls} f{s} t{d}" d="{path}" marker-end="url(#pbflow-arrow)">'
                   f"<title>{_e(tip)}</title></path>")
    out.append("</g>")
    for pos, n in nodes.items():
        label = f"{n.task.id} {plain(n.task.name)}"
        out.append(f'<a href="{_e(href(n.task))}" id="pbflow-n{pos}" class="pbflow-node" aria-label="{_e(label)}">'
                   f'<rect x="{n.x}" y="{n.y:.0f}" width="{COL_W}" height="{n.h:.0f}" rx="4"/>'
                   f'<text x="{n.x + PAD_X}" y="{n.y + PAD_Y + FONT:.0f}">')
        for i, line in enumerate(n.lines):
            dy = 0 if i == 0 else LINE
            if i == 0 and line.startswith(n.task.id + " "):
                out.append(f'<tspan x="{n.x + PAD_X}" dy="{dy}"><tspan class="pbflow-id">{_e(n.task.id)}</tspan>'
                           f"{_e(line[len(n.task.id):])}</tspan>")
            else:
                out.append(f'<tspan x="{n.x + PAD_X}" dy="{dy}">{_e(line)}</tspan>')
        out.append("</text></a>")
    lx = MARGIN
    ly = legend_y + LINE
    out.append(f'<g class="pbflow-legend" aria-hidden="true">'
               f'<path class="pbflow-e" d="M{lx},{ly - 5} h46" marker-end="url(#pbflow-arrow)"/>'
               f'<text x="{lx + 56}" y="{ly}">from the task that produces an artifact to a task that uses it</text>'
               f'<path class="pbflow-e pbflow-back" d="M{lx + 560},{ly - 5} h46" marker-end="url(#pbflow-arrow)"/>'
               f'<text x="{lx + 616}" y="{ly}">dashed: used before it is produced</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def document(svg: str, css: str) -> str:
    """A standalone SVG file: the picture with its stylesheet inside."""
    head, sep, rest = svg.partition("</desc>\n")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + sep + "<style>" + css + "</style>\n" + rest


def _ports(nodes: dict, drawn: list) -> dict:
    """Where each arrow leaves and enters its boxes: ports spread along a side, ordered by the far end."""
    sides: dict[tuple[int, str], list] = {}
    for s, d, _ in drawn:
        a, b = nodes[s], nodes[d]
        if b.col > a.col:
            out_side, in_side = "r", "l"
        elif b.col == a.col:
            out_side, in_side = "r", "r"
        else:
            out_side, in_side = "l", "r"
        sides.setdefault((s, out_side), []).append((b.mid, (s, d), 0))
        sides.setdefault((d, in_side), []).append((a.mid, (s, d), 1))
    ends: dict = {}
    for (pos, side), items in sides.items():
        n = nodes[pos]
        items.sort(key=lambda it: it[0])
        x = n.x + COL_W if side == "r" else n.x
        for k, (_y, key, which) in enumerate(items):
            y = n.y + n.h * (k + 1) / (len(items) + 1)
            pair = ends.setdefault(key, [None, None])
            pair[which] = (x, y)
    return ends


def _description(columns: list[Column], nodes: dict, drawn: list) -> str:
    back = sum(1 for s, d, _ in drawn if nodes[d].col < nodes[s].col)
    text = (f"{len(nodes)} key tasks in {len(columns)} phase columns, read left to right. "
            f"{len(drawn)} arrows each run from a task that produces an artifact to a task that uses it")
    text += f"; {back} dashed arrows run backwards, to tasks that use an artifact before it is produced." if back \
        else "."
    return text + " The table that follows the picture gives the same information."


def stylesheet(positions) -> str:
    """The picture's CSS. In the site it is a file of its own, so that the pages need no
    inline style and a strict Content-Security-Policy (style-src 'self') holds."""
    positions = sorted(positions)
    rules = [
        ".pbflow{font-family:'Source Sans Pro Web','Helvetica Neue',Helvetica,Arial,sans-serif;font-size:15px}",
        ".pbflow .pbflow-bg{fill:#fff}",
        ".pbflow .pbflow-phase{font-weight:700;font-size:16px;fill:#1b1b1b}",
        ".pbflow .pbflow-node rect{fill:#fff;stroke:#1b1b1b;stroke-width:1.5}",
        ".pbflow .pbflow-node text{fill:#1b1b1b}",
        ".pbflow .pbflow-id{font-weight:700}",
        ".pbflow .pbflow-node:hover rect,.pbflow .pbflow-node:focus rect{fill:#e7f2f5;stroke:#005ea2;stroke-width:3}",
        ".pbflow .pbflow-node:focus{outline:none}",
        ".pbflow .pbflow-e{fill:none;stroke:#565c65;stroke-width:1.3;stroke-opacity:.55}",
        ".pbflow .pbflow-back{stroke-dasharray:6 4}",
        ".pbflow .pbflow-head{fill:#565c65}",
        ".pbflow .pbflow-legend text{fill:#1b1b1b;font-size:14px}",
        "@media print{.pbflow .pbflow-e{stroke:#444;stroke-opacity:.8}}",
    ]
    if len(positions) <= HIGHLIGHT_LIMIT:
        for pos in positions:
            rules.append(f".pbflow:has(#pbflow-n{pos}:hover,#pbflow-n{pos}:focus) :is(.f{pos},.t{pos})"
                         "{stroke:#005ea2;stroke-width:3;stroke-opacity:1}")
    return "\n".join(rules) + "\n"
