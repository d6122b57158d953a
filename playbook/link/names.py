"""Artifact names: plain text, lookup keys, and did-you-mean suggestions. Pure functions.

One artifact goes by several names ("RAID Log", "Risks, Actions, Issues, and
Decisions (RAID) Log"). :func:`keys` turns a name into dictionary keys so that
such names meet in one lookup, without comparing names pairwise:

1. HTML tags are stripped and entities decoded; Unicode is NFKC-folded, so
   no-break spaces become spaces; curly quotes and dashes become straight ones.
2. A parenthesised abbreviation, e.g. ``(RTM)``, is dropped from the main key;
   when the initials of the words before it spell it, the abbreviation standing
   for those words gives a second key ("raid log").
3. Case is folded; ``&`` and ``+`` read as "and"; a plural marker ``(s)`` goes.
4. Other punctuation and runs of white space become one space.
5. Each word loses a simple plural ending: -ies -> -y, -sses -> -ss,
   -xes/-ches/-shes -> drop -es, other -s (not -ss, -us, -is) -> drop -s.

:func:`loose_key` is a fallback used only when no key matches: it drops one
trailing qualifier, such as "(if applicable)", "from Provider" or
"updated in Business Needs Workbook".
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from playbook.diagnostics import closest

_CACHE = 1 << 16
"""Names repeat (an artifact is named by every task that uses it), so keys are computed once per name."""

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
_PARENS = re.compile(r"\s*\(\s*([^()]*?)\s*\)")
_ABBREVIATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9&/.+-]*$")
_PLURAL_MARK = re.compile(r"(?<=\w)\(s\)", re.I)
_AND = re.compile(r"[&+]")
_NONWORD = re.compile(r"[\W_]+")
_STOP = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "&"}
_QUALIFIER = re.compile(
    r"\s*\([^()]*\)\s*$"
    r"|\s+(?:from|if)\s+\S.*$"
    r"|\s+(?:updated|defined|developed|documented|captured|maintained|recorded|stored|kept|described|provided)"
    r"\s+(?:in|into|through|by|within|from|during|on|at)\s+\S.*$", re.I)


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


def _words(text: str) -> str:
    text = _PLURAL_MARK.sub("", text.casefold())
    text = _AND.sub(" and ", text)
    return " ".join(singular(w) for w in _NONWORD.sub(" ", text).split())


def _abbreviated(before: str, abbreviation: str) -> str | None:
    """``before`` with its last words replaced by ``abbreviation`` when their initials spell it."""
    letters = [c for c in abbreviation.casefold() if c.isalnum()]
    if len(letters) > 2 and abbreviation[-1] == "s" and abbreviation[-2].isupper():
        letters.pop()  # 'SLAs': the plural s is not an initial
    words = _NONWORD.sub(" ", before.replace("&", " & ")).split() if "&" in before else \
        _NONWORD.sub(" ", before).split()
    i = len(words)
    while letters and i > 0:
        i -= 1
        w = words[i].casefold()
        if w[0] == letters[-1]:
            letters.pop()
        elif w not in _STOP:
            return None
    if letters:
        return None
    return " ".join(words[:i] + [abbreviation])


def _split(name: str) -> tuple[str, list[str]]:
    """The plain name without parenthesised abbreviations, and the short forms they give."""
    text = plain(name)
    short: list[str] = []
    if "(" not in text:
        return text, short
    out, last = [], 0
    for m in _PARENS.finditer(text):
        inner = m.group(1)
        if not is_abbreviation(inner):
            continue
        before = text[:m.start()]
        got = _abbreviated(before, inner)
        if got is not None:
            short.append(got + text[m.end():])
        out.append(text[last:m.start()])
        last = m.end()
    out.append(text[last:])
    return _SPACE.sub(" ", " ".join(p.strip() for p in out if p.strip())), short


@lru_cache(maxsize=_CACHE)
def key(name: str) -> str:
    """The main lookup key of a name: 'Requirements Traceability Matrix (RTM)' -> 'requirement traceability matrix'."""
    return _words(_split(name)[0])


@lru_cache(maxsize=_CACHE)
def keys(name: str) -> tuple[str, ...]:
    """Every lookup key of a name, the main one first: adds 'raid log' for 'Risks, ... (RAID) Log'."""
    text, short = _split(name)
    out = [_words(text)]
    for s in short:
        k = _words(s)
        if k and k not in out:
            out.append(k)
    return tuple(k for k in out if k)


@lru_cache(maxsize=_CACHE)
def loose_key(name: str) -> str:
    """The main key with one trailing qualifier dropped, or '' when there is none to drop."""
    text = _split(name)[0]
    m = _QUALIFIER.search(text)
    if not m or m.start() == 0:
        return ""
    got = _words(text[:m.start()])
    return got if got and got != _words(text) else ""


def suggest(value: str, choices: Iterable[str], cutoff: float = 88.0) -> str:
    """A ``did you mean 'x'?`` hint for the closest choice, compared as plain text, or ``''``.

    Stricter than :func:`playbook.diagnostics.did_you_mean`: artifact names are long
    and share words, so a looser match suggests the wrong document."""
    best = closest(plain(value), dict.fromkeys(plain(c) for c in choices if c), cutoff)
    return f"did you mean '{best}'?" if best else ""
