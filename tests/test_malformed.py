"""Malformed content files: each gets one clear diagnostic, and the build stays bounded.

Issue 7, point 3. Every case is checked for its exact message, for a bounded
run time, and (for the big ones) for bounded memory.
"""
from __future__ import annotations

import resource
import time

import pytest

from conftest import task

TASK = (b"---\nphase: 1\nkeyTask: 1\nname: T\nobjective: O\nresponsibleParty: customer\n"
        b"category: process\n---\nBody\n")


def bomb(levels: int = 9) -> bytes:
    """A 'billion laughs' YAML: each level repeats the one before ten times."""
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n---\n").encode()


CASES = {
    "empty": (b"", ["phase1/1.1.md: file is empty; a content file starts with a '---' front matter block"]),
    "only whitespace": (b" \n\t\n", ["phase1/1.1.md: file is empty; a content file starts with a '---' front matter block"]),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
               ["phase1/1.1.md: file is binary, not text; content files are UTF-8 Markdown with YAML front matter"]),
    "utf-16": ("---\nphase: 1\n---\n".encode("utf-16"),
               ["phase1/1.1.md: file is UTF-16, not UTF-8; save the file as UTF-8"]),
    "latin-1": ("---\nphase: 1\nkeyTask: 1\nname: Café\n---\n".encode("latin-1"),
                ["phase1/1.1.md:4: file is not UTF-8 (byte 0xe9 at offset 33); save the file as UTF-8"]),
    "never closed": (b"---\nphase: 1\nkeyTask: 1\nname: T\n",
                     ["phase1/1.1.md:1: front matter is never closed; add a line '---' after the last field"]),
    "no front matter": (b"# Just Markdown\n",
                        ["phase1/1.1.md:1: no front matter; start the file with a line '---', then YAML fields, then '---'"]),
    "tab indentation": (b"---\nphase: 1\nkeyTask: 1\nname: T\nactivities:\n\t- text: a\n---\n",
                        ["phase1/1.1.md:6: invalid YAML: found character that cannot start any token (column 1); "
                         "indent with spaces, not tabs"]),
    "duplicate key": (b"---\nphase: 1\nkeyTask: 1\nname: T\nname: U\nobjective: O\nresponsibleParty: customer\n"
                      b"category: process\n---\n",
                      ["phase1/1.1.md:5: name: duplicate key 'name' (first defined on line 4); remove one of them"]),
    "duplicate list key": (b"---\nphase: 1\nkeyTask: 1\nname: T\nobjective: O\nresponsibleParty: customer\n"
                           b"category: process\nbestPractice:\n  - a\nbestPractice:\n  - b\n---\n",
                           ["phase1/1.1.md:10: warning: bestPractice: duplicate key 'bestPractice' (first defined on "
                            "line 8); the two lists were joined; merge them into one list"]),
    "alias bomb": (bomb(), ["phase1/1.1.md:2: front matter expands to more than 200000 values; "
                            "remove YAML aliases (*name) that repeat large blocks"]),
    "deep nesting": (b"---\na: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\n",
                     ["phase1/1.1.md:2: front matter is nested more than 40 levels deep; "
                      "content needs a few levels of lists and fields, no more"]),
    "alias inside the block it names": (b"---\nphase: 1\na: &x\n  - b\n  - *x\n---\n",
                                        ["phase1/1.1.md:3: a YAML alias repeats the block that holds it; an alias "
                                         "(*name) may only repeat a block that ends before it; write the values out"]),
    "alias inside the mapping it names": (b"---\nphase: 1\na: &x {b: {c: *x}}\n---\n",
                                          ["phase1/1.1.md:3: a YAML alias repeats the block that holds it; an "
                                           "alias (*name) may only repeat a block that ends before it; write the "
                                           "values out"]),
    "python tag": (b"---\nphase: !!python/object/apply:os.system ['echo owned']\n---\n",
                   ["phase1/1.1.md:2: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'; "
                    "use plain text, numbers and lists"]),
    "control character": (b"---\nphase: 1\nname: a\x07b\n---\n",
                          ["phase1/1.1.md:3: invalid YAML: control character U+0007 is not allowed; "
                           "remove it; only tabs and line breaks may appear in text"]),
    "front matter not a mapping": (b"---\n- a\n- b\n---\n",
                                   ["phase1/1.1.md:2: front matter must be a mapping of fields; write 'field: value' lines"]),
    "10 MB": (b"---\nphase: 1\n---\n" + b"x" * (10 * 1024 * 1024),
              ["phase1/1.1.md: file is 10.0 MB, over the 2 MB limit; split it or remove embedded data"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_file_gets_one_clear_diagnostic(site, name):
    data, expected = CASES[name]
    site.add("phase1/1.1.md", data)
    start = time.perf_counter()
    assert site.messages() == expected
    assert time.perf_counter() - start < 5


DEEP = {  # front matter past libyaml's own nesting bound (1,000 levels from PyYAML 6.0.4 on) -> line of level 41
    "one line of brackets": ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", 2),
    "30 brackets, then 1,000 on the next line": ("a: " + "[" * 30 + "\n  " + "[" * 1000 + "]" * 1030 + "\n", 3),
    "one bracket a line": ("a:\n" + "".join("  [\n" for _ in range(1100)) + "  " + "]" * 1100 + "\n", 42),
    "a list of lists on one line": ("a:\n" + "- " * 1100 + "x\n", 3),
    "mappings in mappings on one line": ("a: " + "{b: " * 1100 + "x" + "}" * 1100 + "\n", 2),
    "indented fields": ("".join(" " * i + f"k{i}:\n" for i in range(1100)) + " " * 1100 + "v: 1\n", 42),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_nesting_past_libyamls_own_bound_is_reported_where_it_passes_40_levels(site, name):
    """Whatever libyaml PyYAML bundles: 0.2.6 stops at 1,000 levels itself, which must not read as a syntax error."""
    text, line = DEEP[name]
    site.add("phase1/1.1.md", ("---\n" + text + "---\n").encode())
    assert site.messages() == [f"phase1/1.1.md:{line}: front matter is nested more than 40 levels deep; "
                               "content needs a few levels of lists and fields, no more"]


@pytest.mark.parametrize("name", ["BOM", "CRLF", "BOM and CRLF"])
def test_bom_and_crlf_are_read_like_plain_utf8(site, name):
    data = TASK
    if "CRLF" in name:
        data = data.replace(b"\n", b"\r\n")
    if "BOM" in name:
        data = b"\xef\xbb\xbf" + data
    site.add("phase1/1.1.md", data)
    assert site.messages() == []
    res = site.build()
    assert res.ok(), [d.format() for d in res.diagnostics.items]
    page = site.page("/1.1/")
    assert "\ufeff" not in page and "\r" not in page
    assert "<p>Body</p>" in page


def test_line_numbers_survive_crlf(site):
    site.add("phase1/1.1.md", b"---\r\nphase: 1\r\nkeyTask: 1\r\nname: T\r\nname: U\r\n---\r\n")
    assert "phase1/1.1.md:5: name: duplicate key 'name' (first defined on line 4); remove one of them" \
        in site.messages()


def test_a_bad_file_does_not_hide_problems_in_others(site):
    site.add("phase1/1.1.md", b"")
    site.add("phase1/1.2.md", task(1, 2, responsibleParty="nobody"))
    msgs = site.messages()
    assert msgs[0] == "phase1/1.1.md: file is empty; a content file starts with a '---' front matter block"
    assert any(m.startswith("phase1/1.2.md:6: responsibleParty: unknown party 'nobody'") for m in msgs[1:]), msgs


def test_big_and_bomb_files_stay_within_memory(site):
    """Loading a 10 MB file and an alias bomb together adds little to peak memory."""
    site.add("phase1/1.1.md", CASES["10 MB"][0])
    site.add("phase1/1.2.md", bomb(12))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    res = site.build()
    assert not res.written and res.diagnostics.count("error") == 2
    assert time.perf_counter() - start < 5
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100


def test_failed_build_leaves_no_output(site):
    site.add("phase1/1.1.md", b"---\nphase: 1\n")
    res = site.build()
    assert not res.written
    assert not site.out.exists()
    assert not list(site.root.glob("._site.tmp-*"))


def test_escaped_control_characters_are_removed_with_a_warning(site):
    """YAML lets control characters in through escapes such as "\\x01"; they would break XLSX and XML."""
    site.add("phase1/1.1.md", TASK.replace(b"name: T", b'name: "a\\x01b\\x7fc\\x9b"'))
    assert site.messages() == ["phase1/1.1.md:4: warning: name: control characters removed; "
                               "they are invisible and break some outputs"]
    res = site.build()
    assert res.written
    assert "1.1 abc" in site.page("/1.1/")


def test_quick_scalar_resolver_agrees_with_the_safe_loader():
    import yaml

    from playbook.load import documents as load

    text = ("a: yes\nb: No\nc: ~\nd: null\ne: 12\nf: -3.5\ng: .inf\nh: 2024-01-02\ni: Text\nj: 'quoted'\n"
            "k: true\nl: Off\nm: 0x1F\nn: +7\no: Objective text\nq: [x, 1, on]\nr: ''\n")
    assert yaml.load(text, Loader=load._Loader) == yaml.load(text, Loader=yaml.SafeLoader)
