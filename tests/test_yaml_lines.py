"""Front matter read from libyaml's events gives what composing the node tree and walking it gave.

``tests/yaml_oracle.py`` keeps the reader that composed nodes; each case here
must give the same values, line map and diagnostics (in the same order) from
both, so the one-pass reader changes nothing but the time it takes.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yaml_oracle
from conftest import CORPUS, ROOT, need_shared
from playbook.load import documents as load
from playbook.diagnostics import Diagnostics


# The one intended difference: a bracket or quote never closed is reported where it opens, with where
# libyaml noticed in the message; the oracle reports libyaml's place alone.
_UNCLOSED = re.compile(r"^f\.md:\d+: invalid YAML: .+ is never closed \(libyaml noticed at line (\d+), "
                       r"column (\d+): (.+)\); [^;]+$")


def as_libyaml_said(message: str) -> str:
    """A message about an unclosed bracket or quote as the oracle gives it: at libyaml's line and column."""
    m = _UNCLOSED.match(message)
    return (f"f.md:{m[1]}: invalid YAML: {m[3]} (column {m[2]}); check indentation, colons and quotes around "
            "this line") if m else message


def both(text: str, first_line: int = 2):
    """(result, diagnostics) of the event reader and of the oracle for one text."""
    runs = []
    for parse in (load.parse_yaml, yaml_oracle.parse_yaml):
        d = Diagnostics()
        runs.append((parse(text, "f.md", first_line, d), [as_libyaml_said(x.format()) for x in d.items]))
    return runs


def same(text: str, first_line: int = 2):
    new, old = both(text, first_line)
    assert new == old, text
    return new


def front_matter(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return text
    parts = load.split_front_matter(text, path.name, Diagnostics())
    return parts[0] if parts else None


def content_files():
    for top in (ROOT / "content", CORPUS, CORPUS.parent / "seeds"):
        yield from sorted(p for p in top.rglob("*") if p.suffix in (".md", ".yaml"))


def test_every_real_file_reads_the_same():
    need_shared(CORPUS, "the M3 corpus")
    files = list(content_files())
    assert len(files) > 45
    for path in files:
        text = front_matter(path)
        if text is not None:
            (result, _said) = same(text)
            assert result is not None, path


CASES = {
    "plain": "a: 1\nb: text\nc: [x, y]\nd:\n  - e: f\n    g: true\n",
    "scalar types": "i: 12\nf: 1.5\nn: ~\ne:\nb: no\nt: 2024-01-02\ns: '12'\nx: !!str 12\ny: ! 12\nz: !!int '7'\n",
    "anchored scalar": "a: &x hello\nb: *x\nc: [*x, *x]\n",
    "anchored list and map": "a: &l [1, 2]\nb: &m {c: *l, d: 3}\ne: *m\nf: [*m, *l]\n",
    "anchor inside anchor": "a: &o\n  - &i {x: 1}\n  - y\nb: *i\nc: *o\n",
    "alias as key": "k: &k name\n*k : value\nm: &m {a: 1}\n*m : v\nlast: 1\n",
    "alias key to an open block": "a: &x {*x : 1, b: 2}\n",
    "merge key": "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "merge key holding anchors": "<<: &x {a: [1, 2]}\nb: *x\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate lists joined": "a:\n  - 1\na:\n  - 2\n  - {b: c}\n",
    "duplicate list joined from an alias": "l: &l [9, 8]\na: [1]\na: *l\n",
    "duplicate with a bad tag on the joined list": "a: [1]\na: !!omap [2]\n",
    "duplicate of a mapping": "a: {x: 1}\na: {y: 2}\nz: 0\n",
    "duplicate keeping an alias open": "&x {a: [1], a: *x}\n",
    "keys that are not text": "? [a, b]\n: c\n? {x: y}\n: z\n1: int key\n1.5: float\ntrue: bool\n~: null\nok: 1\n",
    "anchor on a refused key's block": "? &k [a]\n: v\nb: *k\n",
    "control characters": "a: \"x\\x07y\"\n\"k\\x01\": v\nb: \"\\u202ed\"\nc: [\"\\x02\"]\n",
    "python tag on a value": "a: !!python/object/apply:os.system ['x']\nb: 1\n",
    "python tag on a list": "a: !!python/tuple [1, 2]\n",
    "set tag": "a: !!set {x, y}\n",
    "binary tag": "a: !!binary aGVsbG8=\n",
    "local tag": "a: !thing x\n",
    "tag on a key": "!!binary aGk=: v\n",
    "bad tag on the root": "!!set {a: 1}\n",
    "problems before a bad tag": "a: 1\na: 2\nb: !!python/name:os.system\nb: 3\n",
    "bad int": "a: !!int x\n",
    "bad float": "a: !!float zz\n",
    "bad timestamp value kept": "a: !!timestamp 2024-13-45\n",
    "bad int in a list": "a: [1, !!int x]\n",
    "undefined alias": "a: *nope\nb: 1\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "undefined alias after a duplicate key": "a: 1\na: 2\nb: *nope\n",
    "two documents": "a: 1\n--- b\n",
    "two documents with a later syntax error": "a: 1\n--- b\n[: c\n",
    "root list": "- a\n- b\n",
    "root scalar": "just text\n",
    "root list with an error later": "- a\n- [b\n",
    "root list with an undefined alias": "- *x\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "tab": "a:\n\t- b\n",
    "control character not allowed": "a: x\x07y\n",
    "undefined alias then syntax error (shallow)": "a: *nope\nb: [1\n",
    "undefined alias then syntax error (deep)": "a: *nope\nb: " + "[" * 25 + "1" + "]" * 25 + "\nc: [1\n",
    "deep": "a: " + "[" * 45 + "]" * 45 + "\n",
    "deep after an undefined alias": "a: *nope\nb: " + "[" * 45 + "]" * 45 + "\n",
    "deep block": "".join(" " * (2 * i) + f"k{i}:\n" for i in range(45)) + " " * 90 + "v: 1\n",
    "bomb": "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 7)),
    "crlf-free quoting": "a: 'it''s'\nb: \"q\\\"\"\nc: |\n  block\n  text\nd: >\n  folded\n  text\n",
    "nested lines": "outer:\n  inner:\n    - x\n    -\n      y: z\n  after: 1\n",
}


@pytest.mark.parametrize("name", list(CASES))
def test_tricky_front_matter_reads_the_same(name):
    same(CASES[name])


def test_the_cases_cover_each_way_of_ending():
    """The cases above meet every outcome: values, each problem before building, each that stops it."""
    said = " ".join(m for case in CASES.values() for m in both(case)[0][1])
    for part in ("duplicate key", "the two lists were joined", "merge keys", "must be plain text",
                 "control characters removed", "bidirectional", "unsupported YAML tag", "invalid YAML value",
                 "found undefined alias", "second occurrence", "but found another document",
                 "must be a mapping", "nested more than 40", "expands to more than", "invalid YAML: did not find"):
        assert part in said, part


def test_an_alias_inside_the_block_it_names_is_reported_not_followed():
    for text, line in (("a: &x [*x]\n", 2), ("a: &x {b: {c: *x}}\n", 2), ("a: &x\n  - b\n  - [*x]\n", 2),
                       ("a: [1]\na: &x [*x]\n", 3), ("&x {a: [1], b: *x}\n", 2)):
        assert both(text)[0] == (None, [f"f.md:{line}: a YAML alias repeats the block that holds it; an alias "
                                        "(*name) may only repeat a block that ends before it; write the values "
                                        "out"]), text


def test_aliases_nested_past_the_stack_are_built():
    """An alias of an alias of ... builds without recursing (walking composed nodes ran out of stack)."""
    text = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 600))
    d = Diagnostics()
    data, lines = load.parse_yaml(text, "f.md", 2, d)
    assert d.items == []
    value = data["a599"]
    for _ in range(600):
        (value,) = value
    assert value == "x"
    assert lines[("a599",) + (0,) * 600] == 2


TOKENS = ["a", "b", "k", ": ", ":", "- ", "-", "? ", "\n", "  ", "    ", "[", "]", "{", "}", ", ", "&x ", "&y ",
          "*x", "*y", "!!str ", "!!int ", "!!python/name:os.path ", "!!set ", "!x ", "<<", "'q'", '"e\\x01"',
          "1", "true", "~", "2024-01-02", "#c", "---", "...", "|\n  t", "\t", "&x [1, *y]", "*x: v"]


@settings(max_examples=int(__import__("os").environ.get("YAML_EXAMPLES", "400")), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_generated_front_matter_reads_the_same(tokens):
    text = "".join(tokens)
    try:
        new, old = both(text)
    except (IndexError, RecursionError):  # the oracle gave up where it should have reported
        d = Diagnostics()
        assert load.parse_yaml(text, "f.md", 2, d) is None and d.items, text
        return
    recursive = "repeats the block that holds it"
    if any(recursive in m for m in new[1] + old[1]):
        # both refuse it; where the oracle saw a loop can be a block inside the one the alias names
        assert new[0] is None and old[0] is None and [m for m in new[1] if recursive not in m] == \
            [m for m in old[1] if recursive not in m]
        return
    assert new == old, text


def test_a_value_yaml_cannot_construct_is_reported():
    """An empty number (``!!int ''``) made PyYAML's constructor fail outside its own errors."""
    for text in ("a: !!int\n", "a: !!int ''\n", "a: !!float ''\n", "a: !!bool ''\n"):
        d = Diagnostics()
        assert load.parse_yaml(text, "f.md", 2, d) is None, text
        assert [x.format() for x in d.items] == [f"f.md:2: invalid YAML value: {text[3:].split()[0][2:]} "
                                                 f"'' cannot be read"], text
