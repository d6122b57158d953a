"""The artifact registry: an optional content file (content/artifacts.yaml) that names artifacts.

It lists canonical artifacts, each with aliases, an abbreviation, a template and
a short description, and external inputs that no key task produces. Its schema
is :data:`playbook.schema.REGISTRY`, so problems get path:line and unknown
fields a did-you-mean. A name given to two entries is an error.
"""
from __future__ import annotations

from dataclasses import dataclass

from playbook.link import names
from playbook.model import schema
from playbook.diagnostics import Diagnostics
from playbook.load.documents import RawDoc


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One artifact or external input declared in the registry file."""

    name: str
    """Canonical name."""
    abbreviation: str = ""
    """Short form, e.g. 'RTM'."""
    aliases: tuple[str, ...] = ()
    """Other names the content uses."""
    template: str = ""
    """Template file name or address."""
    url: str = ""
    """Address of an external input."""
    description: str = ""
    """What it is (inline Markdown/HTML)."""
    external: bool = False
    """True for inputs that come from outside the playbook."""
    field: str = ""
    """Where it is declared, e.g. 'artifacts[3]'."""
    line: int = 0
    """Line in the registry file."""

    @property
    def names(self) -> tuple[str, ...]:
        """Name, aliases and abbreviation."""
        return (self.name, *self.aliases, *((self.abbreviation,) if self.abbreviation else ()))


@dataclass(frozen=True)
class Registry:
    """The parsed registry file."""

    path: str
    """The file, as shown in diagnostics."""
    entries: tuple[RegistryEntry, ...] = ()
    """Artifacts, then external inputs, in file order."""


def parse_registry(doc: RawDoc, diags: Diagnostics) -> Registry | None:
    """Check the registry file against its schema and index every name it declares."""
    d = schema.check(doc, diags)
    if d is None:
        return None
    entries: list[RegistryEntry] = []
    where: list[list[tuple[str, str, int]]] = []  # per entry: (name, field, line)
    for group, external in (("artifacts", False), ("external", True)):
        raw = doc.data.get(group)
        index_of = {doc.lines.get((group, i)): i for i in range(len(raw))} if isinstance(raw, list) else {}
        for e in d.get(group, ()):
            if "name" not in e:
                continue
            i = index_of.get(e["_line"])
            path = (group, i) if i is not None else (group,)
            fname = f"{group}[{i}]" if i is not None else group
            entry = RegistryEntry(e["name"], e.get("abbreviation", ""), tuple(e.get("aliases", ())),
                                  e.get("template", ""), e.get("url", ""), e.get("description", ""),
                                  external, fname, e["_line"])
            entries.append(entry)
            spots = [(entry.name, fname + (".name" if i is not None and isinstance(raw[i], dict) else ""),
                      doc.line(*path, "name"))]
            spots += [(a, f"{fname}.aliases[{j}]", doc.line(*path, "aliases", j)) for j, a in enumerate(entry.aliases)]
            if entry.abbreviation:
                spots.append((entry.abbreviation, f"{fname}.abbreviation", doc.line(*path, "abbreviation")))
            where.append(spots)
    keys: dict[str, int] = {}
    for idx, spots in enumerate(where):
        for name, fname, line in spots:
            for k in names.keys(name):
                other = keys.setdefault(k, idx)
                if other != idx:
                    o = entries[other]
                    diags.error(doc.path, line, fname, f"'{names.plain(name)}' also names '{o.name}' "
                                f"({o.field}, line {o.line})", "give each name to one entry only")
                    break
    return Registry(doc.path, tuple(entries))
