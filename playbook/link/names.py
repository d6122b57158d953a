"""Every rule that matches names: artifact names, key tasks listed in phase files, stakeholder roles.

Artifact names
--------------
One artifact goes by several names ("RAID Log", "Risks, Actions, Issues, and
Decisions (RAID) Log"). A name is turned into *forms*: lookup keys, each with
the rules that made it, so that names meet by dictionary lookup, never by
comparing names pairwise. The plain key (:func:`key`) ignores:

1. HTML tags and entities; Unicode is NFKC-folded, curly quotes and dashes straightened;
2. a parenthesised abbreviation of the words before it, e.g. ``(RTM)`` after "Requirements
   Traceability Matrix" (its initials) or ``(CONOPS)`` after "Concept of Operations" (its letters,
   in order, from each word); another, like ``(UAT)`` after "Test Results", is a qualifier;
3. case, ``&`` and ``+`` versus "and", a plural marker ``(s)``, a possessive ``'s``;
4. other punctuation and runs of white space;
5. simple plural endings: -ies -> -y, -sses -> -ss, -xes/-ches/-shes -> drop -es, other -s
   (not -ss, -us, -is) -> drop -s.

Two names with the same plain key are the same name (rule ``name``; a name
declared in artifacts.yaml is rule ``registry``). The rules below infer that two
different names stand for one artifact, as a careful reader would; each link
they make is labelled with them, shown on the pages and counted by the build.

``acronym``
    An abbreviation stands for the words whose initials spell it, both ways, for
    the whole playbook: "Data Migration Plan (DMP)" (or a glossary entry "DMP:
    Data Migration Plan") makes "DMP" and "Data Migration Plan" meet.
``separators``
    Commas, slashes and "and" between listed words do not matter:
    "Roles/Responsibilities/Approvals Matrix" = "Roles, Responsibilities, and Approvals Matrix".
``order``
    Words joined by "and" (or ``&``, ``/``, commas) may come in either order:
    "Test and Evaluation Plan" = "Evaluation and Test Plan".
``stage``
    A version of the same artifact: a leading version word ("Final Test Plan",
    "Initial Test Plan"), one in parentheses ("Test Plan (Draft)"), or where the
    version is kept ("Scope of Services updated in Business Needs Workbook").
``qualifier``
    An input may drop one other trailing qualifier, or an output's: "Cost
    Estimates from Provider" is "Cost Estimates", "Plan (if applicable)" is
    "Plan"; but "Test Results (UAT)" and "Test Results (SIT)" stay two artifacts.
``owner``
    An input may name an owner in front: "Provider's Transition Plan" is
    "Transition Plan" when no artifact has the whole name.
``part``
    A slash-joined output answers to each of its parts: "Training Reports/Metrics"
    is what "Training Report" and "Training Metrics" name.
``split``
    One input may name two artifacts or more: "Charter and Governance Plan" uses
    both "Charter" and "Governance Plan", when each part is an artifact that a key
    task outputs ("Risk and Issue Logs" reads as "Risk Log" and "Issue Logs").

Outputs whose forms meet are one artifact (``qualifier``, ``owner`` and ``part``
never join outputs); an input takes the artifact its forms reach with the cheapest rules
(:data:`RULES`), and is ambiguous when several are reached at that cost.

What these rules never do: a name that begins with "Existing", "Current" or
"Legacy" names a document from before the migration, so it is never split;
no rule drops those words, nor any word but "and", a version word, an owner or
a trailing qualifier. Names of documents from outside the playbook (government-wide
standards, position descriptions) reach no output and stay unlinked.

Key tasks and roles
-------------------
:func:`name_key` matches the key-task names a phase file lists (:func:`listed_task`),
and :func:`role_key` the stakeholder roles the glossary defines.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from itertools import product
from typing import Iterable

from playbook.diagnostics import closest

_CACHE = 1 << 16
"""Names repeat (an artifact is named by every task that uses it), so keys are computed once per name."""

RULES = {
    "name": (0, ""),
    "registry": (0, "declared in artifacts.yaml"),
    "acronym": (1, "acronym"),
    "separators": (1, "separators"),
    "order": (2, "word order"),
    "stage": (2, "version word"),
    "qualifier": (3, "qualifier dropped"),
    "owner": (3, "owner dropped"),
    "part": (3, "part of a slash-joined name"),
    "split": (4, "one of the artifacts it names"),
}
"""Rule -> (cost, how a page says it). A match costs the sum of its rules; the cheapest wins."""

STAGES = {"initial": False, "preliminary": False, "draft": False, "interim": False, "proposed": False,
          "updated": True, "revised": True, "refined": True, "final": True, "finalized": True, "finalised": True,
          "completed": True, "approved": True, "validated": True, "signed": True, "executed": True,
          "baselined": True}
"""Version words that may lead a name (rule ``stage``) -> True when they say an earlier version exists."""

PREEXISTING = {"existing", "current", "legacy"}
"""First words of names for documents that exist before the migration: such names are never split."""

OWNERS = {"customer", "provider", "qsmo"}
"""Parties that may lead an input's name without a possessive ("Provider Transition Plan")."""

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_PARENS = re.compile(r"\s*\(\s*([^()]*?)\s*\)")
_ABBREVIATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9&/.+-]*$")
_TOKEN = re.compile(r"(?<![\w&])[A-Za-z0-9][A-Za-z0-9&]*(?![\w&])")
_PLURAL_MARK = re.compile(r"(?<=\w)\(s\)", re.I)
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)", re.I)
_AND = re.compile(r"[&+]")
_NONWORD = re.compile(r"[\W_]+")
_STOP = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "&"}
_QUALIFIER = re.compile(
    r"\s*\([^()]*\)\s*$"
    r"|\s+(?:from|if)\s+\S.*$"
    r"|\s+(?:updated|defined|developed|documented|captured|maintained|recorded|stored|kept|described|provided)"
    r"\s+(?:in|into|through|by|within|from|during|on|at)\s+\S.*$", re.I)
_VERSION = re.compile(
    r"^\s*\(\s*(?:" + "|".join(STAGES) + r")\s*\)\s*$"
    r"|^\s+(?:updated|revised|refined|finalized|documented|recorded|captured|maintained|stored|kept|described"
    r"|defined)\s+(?:in|into|within|on|at|through)\s", re.I)
_COORDINATED = re.compile(r"\band\b|[&/,+]", re.I)
_OWNER = re.compile(r"^((?:\S+\s+){0,2}?\S+(?:'s|s'))\s+(?=\S)|^(customer|provider|qsmo)\s+(?=\S)", re.I)
_SLASHED = re.compile(r"[^\s/]+(?:/[^\s/]+)+")
_LIST = re.compile(r"\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&|\+)\s+", re.I)


# --- plain text and the plain key ----------------------------------------------------------

@lru_cache(maxsize=_CACHE)
def plain(name: str) -> str:
    """A name as plain text: tags stripped, entities decoded, quotes straightened, spaces collapsed."""
    text = str(name or "")
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACE.sub(" ", text).strip()


def is_abbreviation(text: str) -> bool:
    """'RTM', 'SLAs', 'IV&V', 'CONOPS': one token with at least two capitals."""
    return bool(_ABBREVIATION.match(text)) and sum(c.isupper() for c in text) >= 2


def singular(word: str) -> str:
    """The simple singular of one lower-case word ('plans' -> 'plan', 'activities' -> 'activity')."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _wordlist(text: str) -> list[str]:
    """The normalised words of plain text: case folded, '&' read as 'and', possessives and plurals dropped."""
    text = _POSSESSIVE.sub("", _PLURAL_MARK.sub("", text.casefold()))
    text = _AND.sub(" and ", text)
    return [singular(w) for w in _NONWORD.sub(" ", text).split()]


def _words(text: str) -> str:
    return " ".join(_wordlist(text))


def _bare(abbreviation: str) -> str:
    """An abbreviation without its plural s: 'SLAs' -> 'SLA'."""
    if len(abbreviation) > 2 and abbreviation[-1] == "s" and abbreviation[-2].isupper():
        return abbreviation[:-1]
    return abbreviation


def _spelled(words: list[str], abbreviation: str) -> int | None:
    """Where the last words of ``words`` whose initials spell ``abbreviation`` start, or None.

    Small words ('and', 'of', ...) may sit between them: 'Risks, Actions, Issues,
    and Decisions' spells RAID."""
    letters = [c for c in _bare(abbreviation).casefold() if c.isalnum()]
    i = len(words)
    while letters and i > 0:
        i -= 1
        w = words[i].casefold()
        if w[0] == letters[-1]:
            letters.pop()
        elif w not in _STOP:
            return None
    return None if letters else i


def _lettered(words: list[str], abbreviation: str) -> int | None:
    """Where the last words of ``words`` start whose letters, in order, spell ``abbreviation``, the first
    letter beginning the first word and every word but small ones giving one at least ('Concept of
    Operations' spells CONOPS), or None."""
    letters = [c for c in _bare(abbreviation).casefold() if c.isalnum()]
    for k in range(1, min(len(words), len(letters)) + 1):
        suffix = [w.casefold() for w in words[-k:]]
        if not suffix[0] or suffix[0][0] != letters[0]:
            continue
        at, gave = 0, set()
        for i, w in enumerate(suffix):
            for ch in w:
                if at < len(letters) and ch == letters[at]:
                    at += 1
                    gave.add(i)
        if at == len(letters) and all(i in gave for i, w in enumerate(suffix) if w not in _STOP):
            return len(words) - k
    return None


def _split_words(text: str) -> list[str]:
    return _NONWORD.sub(" ", text.replace("&", " & ")).split() if "&" in text else _NONWORD.sub(" ", text).split()


@lru_cache(maxsize=_CACHE)
def _split(name: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(the plain name without parenthesised abbreviations, the short forms they give, and the
    abbreviations it defines as (abbreviation, the words it stands for))."""
    text = plain(name)
    if "(" not in text:
        return text, (), ()
    short: list[str] = []
    defined: list[tuple[str, str]] = []
    out, last = [], 0
    for m in _PARENS.finditer(text):
        inner = m.group(1)
        if not is_abbreviation(inner):
            continue
        words = _split_words(text[:m.start()])
        i = _spelled(words, inner)
        if i is None:
            i = _lettered(words, inner)
        if i is None:  # not this name's abbreviation: a qualifier, such as '(UAT)'
            continue
        short.append(" ".join(words[:i] + [inner]) + text[m.end():])
        defined.append((_bare(inner), " ".join(words[i:])))
        out.append(text[last:m.start()])
        last = m.end()
    out.append(text[last:])
    return _SPACE.sub(" ", " ".join(p.strip() for p in out if p.strip())), tuple(short), tuple(defined)


@lru_cache(maxsize=_CACHE)
def key(name: str) -> str:
    """The plain key of a name: 'Requirements Traceability Matrix (RTM)' -> 'requirement traceability matrix'."""
    return _words(_split(name)[0])


@lru_cache(maxsize=_CACHE)
def keys(name: str) -> tuple[str, ...]:
    """The plain key, then the key of each short form: adds 'raid log' for 'Risks, ... (RAID) Log'."""
    text, short, _ = _split(name)
    out = [_words(text)]
    for s in short:
        k = _words(s)
        if k and k not in out:
            out.append(k)
    return tuple(k for k in out if k)


def _qualified(text: str) -> tuple[str, str]:
    """(``text`` without one trailing qualifier, the qualifier), or ('', '') when there is none to drop."""
    m = _QUALIFIER.search(text)
    if not m or m.start() == 0:
        return "", ""
    return text[:m.start()].strip(), text[m.start():]


@lru_cache(maxsize=_CACHE)
def loose_key(name: str) -> str:
    """The plain key with one trailing qualifier dropped, or '' when there is none to drop."""
    text = _split(name)[0]
    rest, _q = _qualified(text)
    got = _words(rest) if rest else ""
    return got if got and got != _words(text) else ""


def without_qualifier(name: str) -> str:
    """A name as plain text with one trailing qualifier dropped: 'Standards defined through FIBF' -> 'Standards'."""
    text = plain(name)
    return _qualified(text)[0] or text


@lru_cache(maxsize=_CACHE)
def preexisting(name: str) -> bool:
    """True for 'Existing Governance Bodies', 'Current Process Documentation': a document from before."""
    words = _wordlist(plain(name))
    return bool(words) and words[0] in PREEXISTING


@lru_cache(maxsize=_CACHE)
def is_update(name: str) -> bool:
    """True when a name says it is a later version of its artifact: 'Updated X', 'Final X', 'X updated in Y'.

    A task whose output is named so updates the artifact and cannot be where an earlier task got it."""
    text = _split(name)[0]
    words = _wordlist(text)
    if len(words) > 1 and STAGES.get(words[0]):
        return True
    _rest, qualifier = _qualified(text)
    return any(STAGES.get(w) for w in _wordlist(qualifier))


@lru_cache(maxsize=_CACHE)
def is_staged(name: str) -> bool:
    """True when a name begins with a version word ('Initial Master Schedule') or ends with a qualifier."""
    text = _split(name)[0]
    words = _wordlist(text)
    return (len(words) > 1 and words[0] in STAGES) or bool(_qualified(text)[0])


# --- rules: costs and labels (of tuples of rule names, cached: a few combinations recur) ------

@lru_cache(maxsize=_CACHE)
def rules_of(*groups: Iterable[str]) -> tuple[str, ...]:
    """The rules of several groups together, each once, in the order of :data:`RULES`."""
    got = {r for g in groups for r in g}
    return tuple(r for r in RULES if r in got)


@lru_cache(maxsize=_CACHE)
def cost(rules: Iterable[str]) -> int:
    """What a match made with these rules costs: the sum of their costs (0 for the same name)."""
    return sum(RULES[r][0] for r in rules)


@lru_cache(maxsize=_CACHE)
def label(rules: Iterable[str]) -> str:
    """'acronym+stage'; 'name' for a match of the same name."""
    return "+".join(rules_of(rules)) or "name"


@lru_cache(maxsize=_CACHE)
def inferred(rules: Iterable[str]) -> bool:
    """True when a rule other than ``name`` and ``registry`` made the match."""
    return any(r not in ("name", "registry") for r in rules)


@lru_cache(maxsize=_CACHE)
def how(rules: Iterable[str]) -> str:
    """How a page says the rules that inferred a match: 'acronym, version word' ('' for none)."""
    return ", ".join(RULES[r][1] for r in rules_of(rules) if r not in ("name", "registry"))


# --- the rules of one playbook --------------------------------------------------------------

def acronyms(names: Iterable[str], terms: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Abbreviation -> the words it stands for, as every name and glossary entry of a playbook define them.

    A name defines one with a parenthesised abbreviation whose initials the words
    before it spell ('Data Migration Plan (DMP)'); a glossary term does when it is
    an abbreviation spelled by the initials of its whole description ('IMS:
    Integrated Master Schedule'). An abbreviation defined two ways is left out.
    """
    found: dict[str, dict[str, str]] = {}
    for n in dict.fromkeys(names):
        for abbreviation, words in _split(n)[2]:
            found.setdefault(abbreviation, {}).setdefault(_words(words), words)
    for term, description in terms:
        t, words = plain(term), _split_words(plain(description))
        if is_abbreviation(t) and words and _spelled(words, t) == 0:
            found.setdefault(_bare(t), {}).setdefault(_words(" ".join(words)), " ".join(words))
    return {a: next(iter(got.values())) for a, got in sorted(found.items()) if len(got) == 1}


class Namer:
    """The forms of names under the rules, with the abbreviations one playbook defines (:func:`acronyms`).

    Each name's forms are worked out once; a form is (key, rules). Keys of
    rule ``order`` start with '~', so they only meet keys of that rule.
    """

    def __init__(self, defined: dict[str, str] | None = None):
        self.defined = dict(defined or {})
        """Abbreviation as written ('DMP') -> the words it stands for ('Data Migration Plan')."""
        self._forms: dict[str, tuple] = {}
        self._inputs: dict[str, tuple] = {}
        self._parts: dict[str, tuple] = {}

    def expand(self, text: str) -> str:
        """``text`` with every abbreviation the playbook defines written out: 'Final DMP' -> 'Final Data Migration Plan'."""
        if not self.defined:
            return text

        def out(m: re.Match) -> str:
            t = m.group(0)
            return self.defined.get(t) or (self.defined.get(t[:-1], t) if t.endswith("s") else t)

        return _TOKEN.sub(out, text)

    def _from_text(self, text: str, base: tuple, out: dict) -> None:
        """Add the forms of plain text ``text`` reached with rules ``base`` to ``out`` (key -> rules)."""
        def add(k: str, rules: tuple) -> None:
            if k and (k not in out or cost(rules) < cost(out[k])):
                out[k] = rules_of(rules)

        texts = [(text, base)]
        rest, qualifier = _qualified(_split(text)[0])
        if rest:
            texts.append((rest, base + ("stage" if _VERSION.match(qualifier) else "qualifier",)))
        for t, rules in texts:
            main, shorts, _defined = _split(t)
            variants = [(main, rules)] + [(s, rules + ("acronym",)) for s in shorts]
            expanded = self.expand(main)
            if expanded != main:
                variants.append((expanded, rules + ("acronym",)))
            for v, r in variants:
                words = _wordlist(v)
                if not words:
                    continue
                seqs = [(words, r)]
                if len(words) > 1 and words[0] in STAGES:
                    seqs.append((words[1:], r + ("stage",)))
                listed = bool(_COORDINATED.search(v))
                for ws, rr in seqs:
                    add(" ".join(ws), rr)
                    bare = [w for w in ws if w != "and"]
                    if bare and bare != ws:
                        add(" ".join(bare), rr + ("separators",))
                    if bare and listed:
                        add("~" + " ".join(sorted(bare)), rr + ("order",))

    def forms(self, name: str) -> tuple[tuple[str, tuple], ...]:
        """The whole-name forms of a name, cheapest first: what joins outputs into one artifact.

        >>> [k for k, _ in Namer({"DMP": "Data Migration Plan"}).forms("Final DMP")][:2]
        ['final dmp', 'final data migration plan']
        """
        got = self._forms.get(name)
        if got is None:
            out: dict[str, tuple] = {}
            self._from_text(plain(name), (), out)
            got = self._forms[name] = tuple(sorted(out.items(), key=lambda kv: cost(kv[1])))
        return got

    def input_forms(self, name: str) -> tuple[tuple[str, tuple], ...]:
        """The forms an input is looked up by: its :meth:`forms`, and those without an owner in front.

        >>> ("transition plan", ("owner",)) in Namer().input_forms("Provider's Transition Plan")
        True
        """
        got = self._inputs.get(name)
        if got is None:
            out = dict(self.forms(name))
            text = plain(name)
            m = _OWNER.match(text)
            if m:
                self._from_text(text[m.end():], ("owner",), out)
            got = self._inputs[name] = tuple(sorted(out.items(), key=lambda kv: cost(kv[1])))
        return got

    def parts(self, name: str) -> tuple[tuple[str, tuple], ...]:
        """The forms of each part of a slash-joined name (rule ``part``), which an output answers to.

        >>> sorted(k for k, _ in Namer().parts("Training Reports/Metrics"))
        ['training metric', 'training report']
        """
        got = self._parts.get(name)
        if got is None:
            out: dict[str, tuple] = {}
            for alternative in slash_parts(plain(name)):
                self._from_text(alternative, ("part",), out)
            whole = dict(self.forms(name))
            got = self._parts[name] = tuple((k, r) for k, r in out.items() if k not in whole)
        return got


def slash_parts(text: str) -> list[str]:
    """Each reading of a slash-joined name: 'Implementation Approach/Schedule' -> 'Implementation
    Approach', 'Implementation Schedule'; 'Migration Plan / Cutover Strategy' -> each side."""
    if "/" not in text:
        return []
    if " / " in text:
        return [p.strip() for p in text.split(" / ") if p.strip()]
    groups = list(_SLASHED.finditer(text))[:3]
    if not groups:
        return []
    choices = [m.group(0).split("/") for m in groups]
    out = []
    for pick in product(*choices):
        pieces, last = [], 0
        for m, word in zip(groups, pick):
            pieces.append(text[last:m.start()] + word)
            last = m.end()
        pieces.append(text[last:])
        out.append(_SPACE.sub(" ", "".join(pieces)).strip())
    return [p for p in dict.fromkeys(out) if p]


def readings(name: str) -> list[tuple[str, ...]]:
    """The ways an input may name several artifacts (rule ``split``), most literal first.

    >>> readings("Charter and Governance Plan")
    [('Charter', 'Governance Plan'), ('Charter Plan', 'Governance Plan')]

    A name that begins with "Existing", "Current" or "Legacy" has none: the
    word belongs to every part ("Existing Architecture & System Specifications").
    """
    if preexisting(name):
        return []
    text = _split(name)[0]
    out: list[tuple[str, ...]] = []
    parts = [p.strip() for p in _LIST.split(text) if p and p.strip()]
    if len(parts) > 1:
        out.append(tuple(parts))
        head = parts[-1].split()
        if len(head) > 1:
            shared = [p if p.split()[-1].casefold() == head[-1].casefold() else f"{p} {head[-1]}" for p in parts[:-1]]
            out.append((*shared, parts[-1]))
    slashed = slash_parts(text)
    if len(slashed) > 1:
        out.append(tuple(slashed))
    return list(dict.fromkeys(r for r in out if len(set(map(key, r))) == len(r)))


# --- did-you-mean and suggestions --------------------------------------------------------------

def suggest(value: str, choices: Iterable[str], cutoff: float = 88.0) -> str:
    """A ``did you mean 'x'?`` hint for the closest choice, compared as plain text, or ``''``.

    Stricter than :func:`playbook.diagnostics.did_you_mean`: artifact names are long
    and share words, so a looser match suggests the wrong document."""
    return _suggest(plain(value), tuple(dict.fromkeys(plain(c) for c in choices if c)), cutoff)


@lru_cache(maxsize=1024)
def _suggest(value: str, choices: tuple[str, ...], cutoff: float) -> str:
    """:func:`suggest` once per name and choices: copies of a playbook ask the same again and again."""
    best = closest(value, choices, cutoff)
    return f"did you mean '{best}'?" if best else ""


def words_in_order(short: str, long: str) -> bool:
    """True when every word of ``short`` is in ``long``, in the same order, and ``long`` has more.

    'Workforce Strategy' is in 'Workforce Design Strategy'; 'Scope of Services' is in
    'In-scope Service Area(s) and Function(s)'. Small words ('of', 'the') are not needed."""
    want = [w for w in _wordlist(_split(short)[0]) if w not in _STOP]
    have = [w for w in _words(_split(long)[0]).replace("-", " ").split() if w not in _STOP]
    if not want or len(have) <= len(want):
        return False
    it = iter(have)
    return all(any(w == h for h in it) for w in want)


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0-100, compared on their plain keys (rapidfuzz ratio)."""
    from rapidfuzz import fuzz  # only needed for names that did not link

    return fuzz.ratio(key(a), key(b))


# --- key tasks in phase files, stakeholder roles -----------------------------------------------

_ROLE_QUALIFIER = re.compile(r"\s*(?:,|\().*$")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=_CACHE)
def name_key(name: str) -> str:
    """A key-task name as a phase file may write it: case, white space and '&' versus 'and' ignored."""
    return _WS.sub(" ", name.replace("&", "and").strip().lower())


def role_key(name: str) -> str:
    """A stakeholder role without qualifiers: 'PMO Team, if on boarded' -> 'pmo team'."""
    return name_key(_ROLE_QUALIFIER.sub("", name))


def listed_task(name: str, by_key: dict):
    """The key task a phase file's entry names, from ``by_key`` (:func:`name_key` -> task), or None.

    The same name, or, for an entry cut short and longer than 8 characters, the
    first task whose name starts with it ('Conduct Market Research and' for
    'Conduct Market Research and Analysis')."""
    k = name_key(name)
    got = by_key.get(k)
    if got is None and len(k) > 8:
        got = next((t for tk, t in by_key.items() if tk.startswith(k)), None)
    return got
