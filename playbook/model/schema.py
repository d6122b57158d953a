"""Declarative front-matter schemas and the checker that applies them.

Each kind of content file (key task, phase, glossary, page) is described once
here. The same description checks files (:func:`check`) and produces JSON
Schema for editors (:func:`to_json_schema`), so the two cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbook.diagnostics import Diagnostics, did_you_mean, one_of
from playbook.load.documents import RawDoc, field_name
from playbook.model.types import PARTIES, SHARED, WORKSTREAM_ALIASES, WORKSTREAMS, Responsibility
from playbook.urls import check_address, check_file_name

MISSING = object()


class Spec:
    """Base of all value specs; ``check`` returns a clean value or MISSING."""

    doc = ""

    def check(self, ctx: "Ctx", value: Any, path: tuple) -> Any:  # pragma: no cover - abstract
        """Check ``value`` found at ``path``; the clean value, or MISSING after recording why."""
        raise NotImplementedError

    def json(self) -> dict:  # pragma: no cover - abstract
        """This spec as a JSON Schema fragment."""
        raise NotImplementedError


@dataclass
class Ctx:
    """Where diagnostics go while checking one document."""

    doc: RawDoc
    diags: Diagnostics

    def error(self, path: tuple, message: str, hint: str = "") -> None:
        """Record an error at the line of ``path``."""
        self.diags.error(self.doc.path, self.doc.line(*path), field_name(path), message, hint)

    def warning(self, path: tuple, message: str, hint: str = "") -> None:
        """Record a warning at the line of ``path``."""
        self.diags.warning(self.doc.path, self.doc.line(*path), field_name(path), message, hint)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false value '{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


@dataclass
class Text(Spec):
    """Text; numbers are accepted and kept as written (YAML reads '2021' as a number)."""

    doc: str = ""

    def check(self, ctx, value, path):
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        ctx.error(path, f"expected text, found {_describe(value)}")
        return MISSING

    def json(self):
        return {"type": "string", "description": self.doc}


@dataclass
class Address(Text):
    """A file name below /assets/files/ or an http(s)/mailto address; never a path that leaves its folder.

    ``site_path`` also allows a path on this site starting with '/' (url and download fields).
    """

    doc: str = ""
    site_path: bool = False

    def check(self, ctx, value, path):
        got = super().check(ctx, value, path)
        if got is MISSING or not got:
            return got
        problem = check_address(got, self.site_path)
        if problem is None:
            return got
        severity, why = problem
        short = got if len(got) <= 60 else got[:57] + "..."
        if severity == "warning":
            ctx.warning(path, f"address '{short}' is shown as text: {why}")
            return got
        ctx.error(path, f"unsafe path '{short}': {why}",
                  "give a file name such as 'Plan-Template.docx' (published from the content folder's "
                  "assets/files/) or an https:// address")
        return MISSING


@dataclass
class Slug(Text):
    """The file stem of a plain page: no folders, no '..'."""

    doc: str = ""

    def check(self, ctx, value, path):
        got = super().check(ctx, value, path)
        if got is MISSING:
            return got
        if not got or "/" in got or "\\" in got or got.startswith(".") or check_file_name(got):
            ctx.error(path, f"unsafe page slug '{got[:60]}': must be a file stem without folders, '..' "
                            "or backslashes", "name a page by its file name without '.md', such as 'glossary'")
            return MISSING
        return got


@dataclass
class Integer(Spec):
    """A whole number at or above ``minimum``."""

    doc: str = ""
    minimum: int = 0

    def check(self, ctx, value, path):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            ctx.error(path, f"expected a whole number, found {_describe(value)}")
            return MISSING
        if value < self.minimum:
            ctx.error(path, f"expected a number of at least {self.minimum}, found {value}")
            return MISSING
        return value

    def json(self):
        return {"type": "integer", "minimum": self.minimum, "description": self.doc}


@dataclass
class Workstream(Spec):
    """One of the four workstreams."""

    doc: str = ""

    def check(self, ctx, value, path):
        if not isinstance(value, str):
            ctx.error(path, f"expected a workstream, found {_describe(value)}", one_of(WORKSTREAMS))
            return MISSING
        v = value.strip()
        if v in WORKSTREAMS:
            return v
        if v in WORKSTREAM_ALIASES:
            return WORKSTREAM_ALIASES[v]
        ctx.error(path, f"unknown workstream '{v}'",
                  did_you_mean(v, WORKSTREAMS + tuple(WORKSTREAM_ALIASES)) or one_of(WORKSTREAMS))
        return MISSING

    def json(self):
        return {"type": "string", "enum": list(WORKSTREAMS) + list(WORKSTREAM_ALIASES),
                "description": self.doc}


PARTY_CHOICES = PARTIES + (SHARED,)


@dataclass
class Party(Spec):
    """One party, or a list of parties (a list means the work is shared)."""

    doc: str = ""

    def one(self, ctx, value, path):
        """Check a single party name; None after recording an error."""
        if not isinstance(value, str):
            ctx.error(path, f"expected a party, found {_describe(value)}", one_of(PARTY_CHOICES))
            return None
        v = value.strip().lower()
        if v in PARTY_CHOICES:
            return v
        ctx.error(path, f"unknown party '{value.strip()}'", did_you_mean(v, PARTY_CHOICES) or one_of(PARTY_CHOICES))
        return None

    def check(self, ctx, value, path):
        if isinstance(value, list):
            if not value:
                ctx.error(path, "empty list of parties", one_of(PARTY_CHOICES))
                return MISSING
            got = [self.one(ctx, v, path + (i,)) for i, v in enumerate(value)]
            if None in got:
                return MISSING
            named = tuple(p for p in PARTIES if p in got)
            return Responsibility(named, len(set(got)) > 1 or SHARED in got)
        got = self.one(ctx, value, path)
        if got is None:
            return MISSING
        return Responsibility((), True) if got == SHARED else Responsibility((got,), False)

    def json(self):
        one = {"type": "string", "enum": list(PARTY_CHOICES)}
        return {"description": self.doc,
                "anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}


@dataclass
class ListOf(Spec):
    """A list of items; a single item written without a list is accepted as a list of one."""

    item: Spec
    doc: str = ""

    def check(self, ctx, value, path):
        if value is None:
            return []
        if not isinstance(value, list):
            value, single = [value], True
        else:
            single = False
        out = []
        for i, v in enumerate(value):
            got = self.item.check(ctx, v, path if single else path + (i,))
            if got is not MISSING:
                out.append(got)
        return out

    def json(self):
        return {"type": "array", "items": self.item.json(), "description": self.doc}


@dataclass
class Field:
    """A named field of a record."""

    spec: Spec
    required: bool = False
    doc: str = ""


@dataclass
class Record(Spec):
    """A mapping with known fields; unknown ones are warned about and kept in ``_extra``."""

    fields: dict
    doc: str = ""
    ignore: tuple = ()

    def check(self, ctx, value, path):
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping of fields, found {_describe(value)}")
            return MISSING
        out: dict = {"_line": ctx.doc.line(*path) if path else ctx.doc.fm_line, "_extra": []}
        complete = True
        for name, f in self.fields.items():
            v = value.get(name)
            if v is None or v == "":
                if f.required:
                    complete = False
                    ctx.error(path + (name,), f"required field '{name}' is missing",
                              f"add '{name}:' ({f.doc.rstrip('.')})" if f.doc else "")
                continue
            got = f.spec.check(ctx, v, path + (name,))
            if got is not MISSING:
                out[name] = got
            elif f.required:
                complete = False
        for name, v in value.items():
            if name in self.fields or name in self.ignore:
                continue
            ctx.warning(path + (name,), "unknown field",
                        did_you_mean(name, self.fields) or "it is shown on the page as written")
            out["_extra"].append((name, v))
        # a nested item without its required fields is dropped (its errors are
        # reported); the document itself is kept so later checks still run
        return out if complete or not path else MISSING

    def json(self):
        props = {}
        for name, f in self.fields.items():
            j = dict(f.spec.json())
            if f.doc:
                j["description"] = f.doc
            props[name] = j
        for name in self.ignore:
            props.setdefault(name, {"description": "Accepted and ignored."})
        return {"type": "object", "description": self.doc, "properties": props,
                "required": [n for n, f in self.fields.items() if f.required]}


@dataclass
class TextOr(Spec):
    """Either plain text (taken as ``key``) or a record."""

    key: str
    record: Record
    doc: str = ""

    def check(self, ctx, value, path):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return {self.key: str(value).strip(), "_line": ctx.doc.line(*path), "_extra": []}
        return self.record.check(ctx, value, path)

    def json(self):
        return {"description": self.doc, "anyOf": [{"type": "string"}, self.record.json()]}


@dataclass
class KeyedLists(Spec):
    """A mapping from a choice of keys to lists, e.g. phase activities by workstream."""

    key: Spec
    item: Spec
    doc: str = ""

    def check(self, ctx, value, path):
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping, found {_describe(value)}")
            return MISSING
        out = []
        for k, v in value.items():
            key = self.key.check(ctx, k, path + (k,))
            if key is MISSING:
                continue
            out.append((key, ListOf(self.item).check(ctx, v, path + (k,))))
        return out

    def json(self):
        return {"type": "object", "description": self.doc,
                "additionalProperties": {"type": "array", "items": self.item.json()}}


@dataclass
class TextMap(Spec):
    """A mapping of labels to text (phase ``downloads``)."""

    doc: str = ""

    def check(self, ctx, value, path):
        if not isinstance(value, dict):
            ctx.error(path, f"expected a mapping of label: address, found {_describe(value)}")
            return MISSING
        out = []
        for k, v in value.items():
            got = Address(site_path=True).check(ctx, v, path + (k,))
            if got is not MISSING:
                out.append((str(k), got))
        return out

    def json(self):
        return {"type": "object", "description": self.doc, "additionalProperties": {"type": "string"}}


# --- the schemas ---------------------------------------------------------

ACTIVITY = Record({
    "text": Field(Text(), True, "What is done; inline Markdown or HTML."),
    "responsibleParty": Field(Party(), True, "customer, provider, qsmo or shared; a list means shared."),
    "output": Field(Text(), False, "Name of the artifact this activity produces."),
    "template": Field(Address(), False, "Template file name or address for that output."),
    "example": Field(Address(), False, "Example file name or address."),
}, "One activity of a key task.")

ARTIFACT = TextOr("text", Record({
    "text": Field(Text(), True, "Artifact name."),
    "filename": Field(Address(), False, "Template file name, served from /assets/files/."),
    "url": Field(Address(site_path=True), False, "Address of the template or reference."),
}, "An artifact with a template."), "An artifact name, or a mapping with text and filename or url.")

STAKEHOLDER = Record({
    "text": Field(Text(), True, "The role, e.g. Program Manager."),
    "responsibleParty": Field(Party(), True, "The party the role belongs to."),
}, "A stakeholder role.")

GROUP = Record({
    "group": Field(Text(), True, "Group heading; inline Markdown or HTML."),
    "activities": Field(ListOf(ACTIVITY), True, "Activities in the group."),
}, "A titled group of activities.")

COMMON = {
    "layout": Field(Text(), False, "Jekyll layout name; recognised to tell the kind of file."),
    "permalink": Field(Text(), False, "URL path for the page, e.g. /1.6/."),
    "description": Field(Text(), False, "Meta description for search engines and link previews."),
}

KEY_TASK = Record({
    **COMMON,
    "phase": Field(Integer(minimum=0), True, "Phase number, 0 to 5."),
    "keyTask": Field(Integer(minimum=1), True, "Task number within the phase."),
    "name": Field(Text(), True, "Task title."),
    "title": Field(Text(), False, "Alternative to name (ignored when name is given)."),
    "objective": Field(Text(), True, "Why the task exists."),
    "responsibleParty": Field(Party(), True, "Lead party: customer, provider, qsmo or shared."),
    "category": Field(Workstream(), True, "Workstream: programManagement, workforce, technology or process."),
    "activitiesText": Field(Text(), False, "Text shown before the activities."),
    "activities": Field(ListOf(ACTIVITY), False, "Activities, each with its responsible party."),
    "activitiesGroups": Field(ListOf(GROUP), False, "Titled groups of activities."),
    "inputs": Field(ListOf(ARTIFACT), False, "Artifacts the task needs."),
    "outputs": Field(ListOf(ARTIFACT), False, "Artifacts the task produces."),
    "stakeholders": Field(ListOf(STAKEHOLDER), False, "Roles involved, with their party."),
    "bestPractice": Field(ListOf(Text()), False, "Lessons learned."),
    "related": Field(ListOf(Slug()), False, "Slugs of plain pages to link to."),
}, "A key task of the M3 playbook.")

NAMED = Record({"name": Field(Text(), True, "The item.")}, "A named item.")
DOC_ITEM = Record({
    "name": Field(Text(), True, "Document name."),
    "filename": Field(Address(), False, "Template file name, served from /assets/files/."),
    "url": Field(Address(site_path=True), False, "Address of the document."),
}, "A document developed in the phase.")
PHASE_ACTIVITY = Record({
    "name": Field(Text(), True, "Key task name, as on the key task."),
    "responsibleParty": Field(Party(), False, "Lead party."),
}, "A key task listed on the phase page.")

PHASE = Record({
    **COMMON,
    "phase": Field(Integer(minimum=0), True, "Phase number, 0 to 5."),
    "name": Field(Text(), True, "Phase name, e.g. Readiness."),
    "title": Field(Text(), False, "Page title (the name is used when absent)."),
    "objective": Field(Text(), True, "What the phase achieves."),
    "activities": Field(KeyedLists(Workstream(), TextOr("name", PHASE_ACTIVITY)), False,
                        "Key tasks by workstream."),
    "documentation_intro": Field(Text(), False, "Text before the documentation list."),
    "documentation": Field(ListOf(TextOr("name", DOC_ITEM)), False, "Documents developed in the phase."),
    "documentation_outro": Field(Text(), False, "Text after the documentation list."),
    "tollgate": Field(ListOf(TextOr("name", NAMED)), False, "Tollgate review items."),
    "tollageInfo": Field(ListOf(TextOr("name", NAMED)), False, "Tollgate items (the original files' spelling)."),
    "exitCriteria": Field(ListOf(TextOr("name", NAMED)), False, "Criteria to leave the phase."),
    "downloads": Field(TextMap(), False, "Downloads as label: address."),
}, "A phase of the M3 playbook.")

TERM = Record({
    "name": Field(Text(), True, "The term."),
    "description": Field(Text(), True, "Its definition."),
}, "A glossary term.")

GLOSSARY = Record({
    **COMMON,
    "title": Field(Text(), False, "Page title."),
    "sections": Field(ListOf(Record({
        "name": Field(Text(), True, "Section title."),
        "terms": Field(ListOf(TERM), True, "Terms in the section."),
    }, "A glossary section.")), True, "Sections of terms."),
}, "The glossary.")

PAGE = Record({
    **COMMON,
    "title": Field(Text(), True, "Page title."),
}, "A plain Markdown page.")


@dataclass
class FileOrAddress(Record):
    """A record that names a file (``filename``) or an address (``url``): one of the two is required."""

    def check(self, ctx, value, path):
        got = super().check(ctx, value, path)
        if got is not MISSING and not got.get("filename") and not got.get("url") \
                and "filename" not in value and "url" not in value:
            ctx.error(path, "needs a 'filename' or a 'url'",
                      "add 'filename:' (a file in assets/files/) or 'url:' (an address or a path on this site)")
            return MISSING
        return got

    def json(self):
        return {**super().json(), "anyOf": [{"required": ["filename"]}, {"required": ["url"]}]}


RESOURCE_ITEM = FileOrAddress({
    "name": Field(Text(), True, "What it is, shown as the link."),
    "filename": Field(Address(), False, "File name, served from /assets/files/; the page shows its type and size."),
    "url": Field(Address(site_path=True), False, "Address, or a path on this site, when it is not a file."),
}, "A download or link.")

RESOURCES = Record({
    **COMMON,
    "title": Field(Text(), False, "Page title (default: Resources)."),
    "sections": Field(ListOf(Record({
        "name": Field(Text(), True, "Section title; its anchor is the title without spaces "
                                    "(/m3resources/#ProgressReviewTemplates)."),
        "description": Field(Text(), False, "Text before the list."),
        "items": Field(ListOf(RESOURCE_ITEM), True, "The downloads, each a name with a filename or a url."),
    }, "A section of downloads.")), True, "Sections of templates and documents to download."),
}, "The Resources page (layout m3/m3resources): templates and documents to download.")

REGISTRY_ARTIFACT = TextOr("name", Record({
    "name": Field(Text(), True, "Canonical name of the artifact, e.g. Requirements Traceability Matrix."),
    "abbreviation": Field(Text(), False, "Short form, e.g. RTM."),
    "aliases": Field(ListOf(Text()), False, "Other names the content uses for it."),
    "template": Field(Text(), False, "Template file name (served from /assets/files/) or address."),
    "description": Field(Text(), False, "What the artifact is, in a sentence or two."),
}, "An artifact that key tasks create, update and use."), "An artifact name, or a mapping with its details.")

REGISTRY_EXTERNAL = TextOr("name", Record({
    "name": Field(Text(), True, "Name of the input, e.g. Organization Strategic Goals and Objectives."),
    "abbreviation": Field(Text(), False, "Short form, if any."),
    "aliases": Field(ListOf(Text()), False, "Other names the content uses for it."),
    "url": Field(Text(), False, "Address where it can be found."),
    "description": Field(Text(), False, "What it is and where it comes from."),
}, "An input that no key task produces."), "An input name, or a mapping with its details.")

REGISTRY = Record({
    "artifacts": Field(ListOf(REGISTRY_ARTIFACT), False, "Canonical artifacts with their other names."),
    "external": Field(ListOf(REGISTRY_EXTERNAL), False, "Inputs that come from outside the playbook."),
}, "The artifact registry (content/artifacts.yaml).")

SCHEMAS = {"keyTask": KEY_TASK, "phase": PHASE, "glossary": GLOSSARY, "page": PAGE, "resources": RESOURCES,
           "registry": REGISTRY}
"""The record spec of each kind of content file."""


def check(doc: RawDoc, diags: Diagnostics) -> dict | None:
    """Check a document against its kind's schema; None when it cannot be used."""
    ctx = Ctx(doc, diags)
    before = len(diags.items)
    got = SCHEMAS[doc.kind].check(ctx, doc.data, ())
    if got is MISSING:
        return None
    # a file with errors is still modelled when its identity fields survived,
    # so later checks (duplicates, links) can run in the same pass
    got["_errors"] = any(d.severity == "error" for d in diags.items[before:])
    return got


def to_json_schema(kind: str) -> dict:
    """JSON Schema (draft 2020-12) for one kind of front matter.

    An editor that opens a content file as YAML reads the closing ``---`` as the
    start of a second, empty document (null), and checks it against the schema
    too; the schema accepts it, so untouched files show no error there.
    """
    body = SCHEMAS[kind].json()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://playbook.invalid/schema/{kind}.json",
            "title": f"playbook {kind} front matter", **body, "type": ["object", "null"]}
