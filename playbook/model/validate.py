"""Model: turn loaded documents into the typed :class:`~playbook.model.Playbook`.

Every problem in every file is collected in one pass (never just the first).
Pure: no disk access.
"""
from __future__ import annotations

from playbook.model import registry
from playbook.model import schema
from playbook.diagnostics import Diagnostics
from playbook.load.documents import (GLOSSARY, INTRODUCTION_LAYOUT, KEY_TASK, PAGE, PHASE, REGISTRY, RESOURCES, RawDoc,
                                     field_name)
from playbook.model.types import (Activity, ActivityGroup, ArtifactRef, Extra, Glossary, GlossarySection, GlossaryTerm,
                                  KeyTask, Page, Phase, PhaseActivity, Playbook, ResourceItem, Resources,
                                  ResourceSection, Stakeholder, TASK_FILE_NAME)


def _extras(d: dict) -> tuple[Extra, ...]:
    return tuple(Extra(k, v) for k, v in d.get("_extra", ()))


def _ref(d: dict, key: str = "text") -> ArtifactRef:
    return ArtifactRef(d[key], d.get("filename", ""), d.get("url", ""), d["_line"])


def _activity(d: dict) -> Activity:
    return Activity(d["text"], d["responsibleParty"], d.get("output", ""), d.get("template", ""),
                    d.get("example", ""), d["_line"])


def _regroup(doc: RawDoc, raw_groups: list, diags: Diagnostics) -> list:
    """Recover activity groups whose next ``- group:`` item slipped one level in.

    The original 2.1 file indents its second group inside the first group's
    activity list; read literally, one group's activities vanish. Such an item
    (a ``group`` and no ``text``) is taken as the start of a new group.
    """
    out = []
    for gi, g in enumerate(raw_groups):
        if not isinstance(g, dict) or not isinstance(g.get("activities"), list):
            out.append(g)
            continue
        current = dict(g, activities=[])
        out.append(current)
        for ai, a in enumerate(g["activities"]):
            if isinstance(a, dict) and "group" in a and "text" not in a:
                path = ("activitiesGroups", gi, "activities", ai)
                diags.warning(doc.path, doc.line(*path), field_name(path),
                              "a 'group' inside an activity list; read as the start of a new group",
                              "indent '- group:' at the level of the other groups")
                current = {"group": a["group"], "activities": []}
                out.append(current)
            else:
                current["activities"].append(a)
    return out


def key_task(doc: RawDoc, diags: Diagnostics) -> KeyTask | None:
    """Build a key task from a loaded document, recording every problem."""
    data = doc.data
    if isinstance(data.get("activitiesGroups"), list):
        data = dict(data, activitiesGroups=_regroup(doc, data["activitiesGroups"], diags))
        doc = RawDoc(doc.path, doc.rel, doc.kind, data, doc.lines, doc.body, doc.body_line, doc.fm_line)
    d = schema.check(doc, diags)
    if d is None or not all(k in d for k in ("phase", "keyTask")):
        return None
    return KeyTask(
        path=doc.path, rel=doc.rel, phase=d["phase"], number=d["keyTask"],
        name=d.get("name") or d.get("title") or f"Key task {d['phase']}.{d['keyTask']}",
        objective=d.get("objective", ""),
        responsibility=d.get("responsibleParty") or schema.Responsibility((), True),
        workstream=d.get("category", "programManagement"),
        activities=tuple(_activity(a) for a in d.get("activities", ())),
        groups=tuple(ActivityGroup(g["group"], tuple(_activity(a) for a in g.get("activities", ())), g["_line"])
                     for g in d.get("activitiesGroups", ())),
        activities_text=d.get("activitiesText", ""),
        inputs=tuple(_ref(r) for r in d.get("inputs", ())),
        outputs=tuple(_ref(r) for r in d.get("outputs", ())),
        stakeholders=tuple(Stakeholder(s["text"], s["responsibleParty"], s["_line"])
                           for s in d.get("stakeholders", ())),
        best_practices=tuple(d.get("bestPractice", ())),
        permalink=d.get("permalink", ""), description=d.get("description", ""),
        related=tuple(d.get("related", ())), body=doc.body, extras=_extras(d),
        line=doc.line("keyTask"),
    )


def phase(doc: RawDoc, diags: Diagnostics) -> Phase | None:
    """Build a phase from a loaded document, recording every problem."""
    d = schema.check(doc, diags)
    if d is None or "phase" not in d:
        return None
    tollgate = [t["name"] for t in d.get("tollgate", ())] + [t["name"] for t in d.get("tollageInfo", ())]
    return Phase(
        path=doc.path, rel=doc.rel, number=d["phase"], name=d.get("name") or d.get("title") or f"Phase {d['phase']}",
        objective=d.get("objective", ""),
        activities=tuple((ws, tuple(PhaseActivity(a["name"], a.get("responsibleParty"), a["_line"]) for a in items))
                         for ws, items in d.get("activities", ())),
        documentation_intro=d.get("documentation_intro", ""),
        documentation=tuple(_ref(x, "name") for x in d.get("documentation", ())),
        documentation_outro=d.get("documentation_outro", ""),
        tollgate=tuple(tollgate), exit_criteria=tuple(x["name"] for x in d.get("exitCriteria", ())),
        downloads=tuple(d.get("downloads", ())), permalink=d.get("permalink", ""),
        description=d.get("description", ""), body=doc.body, extras=_extras(d), line=doc.line("phase"),
    )


def glossary(doc: RawDoc, diags: Diagnostics) -> Glossary | None:
    """Build the glossary from a loaded document."""
    d = schema.check(doc, diags)
    if d is None:
        return None
    sections = tuple(
        GlossarySection(s["name"], tuple(GlossaryTerm(t["name"], t["description"], t["_line"])
                                         for t in s.get("terms", ())))
        for s in d.get("sections", ()) if "name" in s)
    return Glossary(doc.path, doc.rel, d.get("title", "Glossary"), sections, d.get("permalink", ""),
                    doc.body, _extras(d))


def page(doc: RawDoc, diags: Diagnostics) -> Page | None:
    """Build a plain page from a loaded document."""
    d = schema.check(doc, diags)
    if d is None:
        return None
    slug = doc.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    layout = d.get("layout", "").strip().lower()
    return Page(doc.path, doc.rel, slug, d.get("title", slug), doc.body, d.get("description", ""),
                d.get("permalink", ""), doc.body_line, _extras(d), layout == INTRODUCTION_LAYOUT)


def resources(doc: RawDoc, diags: Diagnostics) -> Resources | None:
    """Build the Resources page from a loaded document."""
    d = schema.check(doc, diags)
    if d is None:
        return None
    sections = tuple(
        ResourceSection(s["name"], s.get("description", ""),
                        tuple(ResourceItem(i["name"], i.get("filename", ""), i.get("url", ""), i["_line"])
                              for i in s.get("items", ())))
        for s in d.get("sections", ()))
    return Resources(doc.path, doc.rel, d.get("title", "Resources"), sections, d.get("permalink", ""),
                     d.get("description", ""), doc.body, _extras(d))


def _duplicates(items, key, describe, field: str, hint: str, diags: Diagnostics) -> None:
    """Report every item whose key an earlier item already has."""
    seen: dict = {}
    for it in items:
        k = key(it)
        if k in seen:
            first = seen[k]
            diags.error(it.path, it.line, field, f"duplicate {describe(it)} (also in {first.path}:{first.line})", hint)
        else:
            seen[k] = it


def named_number(t: KeyTask) -> tuple[int, int] | None:
    """The (phase, key task) a file name such as ``1.6.md`` gives, or None for other names."""
    m = TASK_FILE_NAME.match(t.rel.rsplit("/", 1)[-1])
    return (int(m.group(1)), int(m.group(2))) if m else None


def _renumbered(t: KeyTask) -> bool:
    """True when the task's number is not the one its file name gives: the file was edited."""
    named = named_number(t)
    return named is not None and named != (t.phase, t.number)


def _task_duplicates(tasks: list[KeyTask], diags: Diagnostics) -> dict[tuple[int, int], KeyTask]:
    """Report each task whose number another task has; the numbers that edited duplicates left free.

    Of two files claiming one number, the one whose name gives another number is
    the one just edited: the error goes there, with the number its name gives.
    """
    seen: dict = {}
    left: dict[tuple[int, int], KeyTask] = {}
    for t in sorted(tasks, key=lambda t: (t.phase, t.number, _renumbered(t), t.path)):
        first = seen.setdefault(t.id, t)
        if first is t:
            continue
        hint = "give each task its own number"
        if _renumbered(t):
            ph, no = named_number(t)
            left.setdefault((ph, no), t)
            hint = (f"the file name says {ph}.{no}: did you mean keyTask: {no}?" if ph == t.phase
                    else f"the file name says {ph}.{no}: did you mean phase: {ph} and keyTask: {no}?")
        diags.error(t.path, t.line, "keyTask", f"duplicate key task {t.id} (also in {first.path}:{first.line})", hint)
    return left


def _numbering(tasks: list[KeyTask], diags: Diagnostics, left: dict[tuple[int, int], KeyTask] | None = None) -> None:
    """Warn where task numbers in a phase jump, e.g. 1.2 then 1.4.

    A number in ``left`` (one that an edited duplicate's file name gives) counts
    as present: the gap there is the duplicate's doing, reported on it already.
    """
    at: dict[int, dict[int, KeyTask]] = {}  # phase -> number -> the task the warning goes on
    for t in sorted(tasks, key=lambda t: (t.phase, t.number)):
        at.setdefault(t.phase, {}).setdefault(t.number, t)
    for (ph, no), t in (left or {}).items():
        at.setdefault(ph, {}).setdefault(no, t)
    for ph, numbered in sorted(at.items()):
        expected = 1
        for n, t in sorted(numbered.items()):
            if n > expected:
                missing = f"{ph}.{expected}" if n == expected + 1 else f"{ph}.{expected} to {ph}.{n - 1}"
                diags.warning(t.path, t.line, "keyTask", f"phase {ph} has no key task {missing}",
                              f"numbers jump to {ph}.{n}; renumber or add the missing task")
            expected = n + 1


def document(doc: RawDoc, cache: dict | None = None) -> tuple[object | None, list]:
    """Check one loaded document and build its model object: (object or None, its problems).

    ``cache`` (used by ``playbook serve``) maps a document's path to ``(doc,
    object, diagnostics)`` from an earlier call: a document that is the very
    same object is not checked again, its results are returned as they were.
    """
    hit = cache.get(doc.path) if cache is not None else None
    if hit is not None and hit[0] is doc:
        return hit[1], hit[2]
    own = Diagnostics()
    obj = _MAKERS[doc.kind](doc, own)
    if cache is not None:
        cache[doc.path] = (doc, obj, own.items)
    return obj, own.items


_MAKERS = {KEY_TASK: key_task, PHASE: phase, PAGE: page, GLOSSARY: glossary, RESOURCES: resources,
           REGISTRY: registry.parse_registry}


def build_playbook(docs: list[RawDoc], diags: Diagnostics, cache: dict | None = None) -> Playbook:
    """Validate every document and assemble the playbook (in playbook order).

    ``cache`` is passed to :func:`document` for each file: unchanged
    documents are not checked again, their diagnostics are replayed.
    """
    tasks, phases, pages, glossaries, registries, resource_pages = [], [], [], [], [], []
    buckets = {KEY_TASK: tasks, PHASE: phases, PAGE: pages, GLOSSARY: glossaries, REGISTRY: registries,
               RESOURCES: resource_pages}
    for doc in docs:
        obj, found = document(doc, cache)
        diags.extend(found)
        if obj is not None:
            buckets[doc.kind].append(obj)
    tasks.sort(key=lambda t: (t.phase, t.number, t.path))
    phases.sort(key=lambda p: (p.number, p.path))
    pages.sort(key=lambda p: (p.slug, p.path))
    left = _task_duplicates(tasks, diags)
    _duplicates(phases, lambda p: p.number, lambda p: f"phase {p.number}", "phase",
                "each phase has one file", diags)
    _numbering(tasks, diags, left)
    if len(glossaries) > 1:
        for g in glossaries[1:]:
            diags.error(g.path, 1, "", f"a second glossary (the first is {glossaries[0].path})",
                        "keep all terms in one glossary file")
    for r in registries[1:]:
        diags.error(r.path, 1, "", f"a second artifact registry (the first is {registries[0].path})",
                    "keep every artifact in one artifacts.yaml")
    for r in resource_pages[1:]:
        diags.error(r.path, 1, "", f"a second Resources page (the first is {resource_pages[0].path})",
                    "keep every download in one Resources page")
    return Playbook(tuple(phases), tuple(tasks), glossaries[0] if glossaries else None, tuple(pages),
                    resource_pages[0] if resource_pages else None, sources={d.path: d for d in docs},
                    registry=registries[0] if registries else None)
