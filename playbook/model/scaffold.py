"""Scaffold: new key-task and phase files with the next free number (``playbook new``).

The front matter is written with python-frontmatter, from the same field
names the schema checks, so a new file passes ``playbook check`` as it is.
Values the author gives (party, workstream) are checked first, with the same
did-you-mean hints the build gives. This module's one piece of I/O is creating
the new file, and it never replaces an existing one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playbook.diagnostics import did_you_mean, one_of
from playbook.model.types import PARTIES, SHARED, TASK_FILE_NAME, WORKSTREAM_ALIASES, WORKSTREAMS

PARTY_CHOICES = PARTIES + (SHARED,)


class ScaffoldError(Exception):
    """The request cannot be carried out; the message says why and what to do."""


@dataclass(frozen=True)
class NewFile:
    """A file to create: where, and its text."""

    path: Path
    """Where the file goes, inside the content folder."""
    text: str
    """The whole file: front matter and body."""


def _choice(value: str, choices: tuple, what: str, aliases: dict | None = None) -> str:
    """Normalise a party or workstream, or refuse it with a did-you-mean hint."""
    v = (value or "").strip()
    for c in choices:
        if v.lower() == c.lower():
            return c
    if aliases and v in aliases:
        return aliases[v]
    hint = did_you_mean(v, choices + tuple(aliases or ())) or one_of(choices)
    raise ScaffoldError(f"unknown {what} '{v}'; {hint}")


def task_numbers(content: Path, phase: int) -> set[int]:
    """Key-task numbers already used in a phase folder (by file name)."""
    folder = Path(content) / f"phase{phase}"
    used = set()
    if folder.is_dir():
        for p in folder.iterdir():
            m = TASK_FILE_NAME.match(p.name)
            if m and int(m.group(1)) == phase:
                used.add(int(m.group(2)))
    return used


def _dump(meta: dict, body: str) -> str:
    import frontmatter  # only `playbook new` needs it

    post = frontmatter.Post(body, **meta)
    # sort_keys=False keeps the order a reader expects: identity first, lists last
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=1000) + "\n"


def new_task(content: Path, phase: int, name: str, workstream: str, party: str,
             number: int | None = None) -> NewFile:
    """A key task file for ``phase`` with the next free number (or ``number``)."""
    if phase < 0:
        raise ScaffoldError(f"phase must be 0 or more, not {phase}")
    name = (name or "").strip()
    if not name:
        raise ScaffoldError("a key task needs a name; give --name")
    ws = _choice(workstream, WORKSTREAMS, "workstream", WORKSTREAM_ALIASES)
    who = _choice(party, PARTY_CHOICES, "party")
    used = task_numbers(content, phase)
    if number is None:
        number = max(used, default=0) + 1
    meta = {
        "phase": phase,
        "keyTask": number,
        "name": name,
        "permalink": f"/{phase}.{number}/",
        "objective": f"TODO: say why '{name}' matters and what it achieves.",
        "responsibleParty": who,
        "category": ws,
        "activities": [{"text": "TODO: the first activity", "responsibleParty": who}],
        "inputs": [],
        "outputs": [],
        "stakeholders": [],
        "bestPractice": [],
    }
    return NewFile(Path(content) / f"phase{phase}" / f"{phase}.{number}.md", _dump(meta, ""))


def new_phase(content: Path, name: str, number: int | None = None) -> NewFile:
    """A phase file (``phaseN/_index.md``) for the next free phase number (or ``number``)."""
    name = (name or "").strip()
    if not name:
        raise ScaffoldError("a phase needs a name; give --name")
    if number is None:
        used = [int(p.name[5:]) for p in Path(content).glob("phase*")
                if p.name[5:].isdigit() and (p / "_index.md").exists()]
        number = max(used, default=-1) + 1
    meta = {
        "phase": number,
        "name": name,
        "permalink": f"/phase{number}/",
        "objective": f"TODO: say what the {name} phase achieves.",
        "tollgate": [],
        "exitCriteria": [],
    }
    return NewFile(Path(content) / f"phase{number}" / "_index.md", _dump(meta, ""))


def create(f: NewFile) -> None:
    """Write the new file; refuse to replace anything that exists."""
    f.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(f.path, "x", encoding="utf-8") as out:
            out.write(f.text)
    except FileExistsError:
        raise ScaffoldError(f"{f.path} already exists; it was left as it is") from None
