"""Property-based tests (issue 7, point 4): loader, validator and linker only ever report.

Hypothesis generates front matter (as structured data and as raw text, plus
mutations of a valid key task) and the whole read phase must return
diagnostics without raising. The number of examples is bounded so the file
runs in well under a minute; PLAYBOOK_FUZZ_EXAMPLES raises it for a long run.
"""
from __future__ import annotations

import os
import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import task
from playbook import pipeline
from playbook import urls
from playbook.model.schema import SCHEMAS
from playbook.render.text import TextRenderer

EXAMPLES = int(os.environ.get("PLAYBOOK_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FIELDS = sorted({name for schema in SCHEMAS.values() for name in schema.fields}
                | {"text", "responsibleParty", "filename", "url", "template", "example", "group", "terms"})
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=40), st.sampled_from(["customer", "qsmo", "shared", "process", "../x",
                                                          "/etc/passwd", "C:\\x", "javascript:alert(1)",
                                                          "{{ 7*7 }}", "<script>x</script>", "1.1", "*", "&a"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), inner, max_size=5)), max_leaves=25)
FRONT_MATTER = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), VALUES, max_size=12)
NAMES = st.sampled_from(["phase1/1.1.md", "phase1/_index.md", "glossary.md", "pages/x.md", "artifacts.yaml",
                         "phase2/2.3.md"])


def check_files(files: dict[str, bytes]) -> list[str]:
    """Write files into a fresh content folder and run every check; must not raise."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        for rel, data in files.items():
            p = content / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        res = pipeline.check(pipeline.Options(content=content))
        return [d.format() for d in res.diagnostics.items]


@FUZZ
@given(FRONT_MATTER, NAMES)
def test_generated_front_matter_only_gives_diagnostics(data, name):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    body = text.encode("utf-8", "surrogatepass") if name.endswith(".yaml") else \
        ("---\n" + text + "---\nBody\n").encode("utf-8", "surrogatepass")
    msgs = check_files({name: body, "phase1/1.2.md": ("---\n" + yaml.safe_dump(task(1, 2)) + "---\n").encode()})
    assert all(isinstance(m, str) and m for m in msgs)


@FUZZ
@given(st.text(max_size=400), NAMES)
def test_raw_text_front_matter_only_gives_diagnostics(text, name):
    check_files({name: ("---\n" + text + "\n---\n").encode("utf-8", "surrogatepass")})


VALID = ("---\n" + yaml.safe_dump(task(1, 1, outputs=[{"text": "Plan", "filename": "Plan.docx"}]),
                                  sort_keys=False) + "---\nBody\n").encode()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.binary(max_size=6) |
                          st.sampled_from([b"\t", b":", b"- ", b"&a ", b"*a", b"!!python/name:os.system ", b"\n",
                                           b"---\n", b"\xef\xbb\xbf", b"\r\n", b"\x00", b"{{", b"%", b"'", b'"'])),
                min_size=1, max_size=6))
def test_mutated_key_task_only_gives_diagnostics(edits):
    data = bytearray(VALID)
    for at, insert in edits:
        data[at:at] = insert
    check_files({"phase1/1.1.md": bytes(data)})


@FUZZ
@given(st.text(max_size=60))
def test_template_file_never_leaves_its_folder(name):
    try:
        got = urls.Urls.template_file(name)
    except ValueError:
        return
    path = unquote(got)
    assert path.startswith("/assets/files/")
    assert posixpath.normpath(path).startswith("/assets/files/") and ".." not in path.split("/")
    assert "?" not in got and "#" not in got


HOSTILE_BITS = st.sampled_from(["<script>", "</script>", "<a href=", "javascript:", "JaVaScRiPt:", "&#106;",
                                "&#x09;", "data:", "vbscript:", "onerror=", "onclick=", "<svg", "<math", "<img",
                                "<iframe", "<style>", "\"", "'", "`", " ", "\n", "\t", "[x](", ")", "<!--", "-->",
                                "{{ 7*7 }}", "{% include x %}", "\u202e", "<", ">", "&", "/", "=", "*", "_"])


def attributes(html: str) -> list[str]:
    """Every attribute name in ``html``, as a browser's parser reads them."""
    names: list[str] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.extend(name for name, _ in attrs)

    p = P()
    p.feed(html)
    p.close()
    return names


@FUZZ
@given(st.lists(HOSTILE_BITS, max_size=30).map("".join))
def test_rendered_text_never_carries_script(text):
    r = TextRenderer()
    for out in (str(r.inline(text)), str(r.block(text))):
        low = out.lower()
        assert "<script" not in low and "<svg" not in low and "<math" not in low and "<iframe" not in low
        assert "<img" not in low and "<style" not in low
        assert not [a for a in attributes(out) if a.startswith("on")], out
        for href in out.split('href="')[1:]:
            target = href.split('"', 1)[0].strip().lower()
            assert not target.startswith(("javascript:", "data:", "vbscript:")), out
        assert "\u202e" not in out
