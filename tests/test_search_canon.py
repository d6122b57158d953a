"""playbook.search_canon: Pagefind's filter files, meta file and entry in one fixed form.

The codec is checked on hand-made items and on every CBOR file Pagefind writes
(decoding and encoding again gives Pagefind's own bytes back); canonicalising is
checked on raw Pagefind output (run here without playbook, so its hash-map order
is left in) and on bundles whose filter values were shuffled by hand.
"""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import need
from playbook.publish import search
from playbook.publish.search_canon import CanonError, Float, Simple, Tag, canonicalise, dumps, loads, pack, unpack

from test_determinism import differences, tree


# --- codec ---------------------------------------------------------------------------------

ITEMS = [
    0, 1, 23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
    -1, -24, -25, -256, -257, -(2**64),
    "", "a", "Phase 1: Readiness", "é ‿ ＿ 😀", "x" * 23, "x" * 24, "x" * 300, "y" * 70000,
    b"", b"\x00\xff", bytes(range(256)),
    [], [1, [2, [3, []]]], list(range(30)), [[v, [1, 2, 3]] for v in ("b", "a")],
    {}, {"b": 1, "a": [True, False, None]}, {1: "x", "k": {"n": b"z"}},
    Float(1.5, 2), Float(0.25, 4), Float(0.1, 8), 2.5, Float(math.inf, 2),
    Simple(0), Simple(100), Tag(1, 12345),
]


@pytest.mark.parametrize("item", ITEMS, ids=[f"item{i}" for i in range(len(ITEMS))])
def test_codec_round_trip(item):
    data = dumps(item)
    back = loads(data)
    assert back == item
    assert dumps(back) == data


def test_codec_uses_shortest_heads():
    assert dumps(23) == b"\x17"
    assert dumps(24) == b"\x18\x18"
    assert dumps(256) == b"\x19\x01\x00"
    assert dumps(-1) == b"\x20"
    assert dumps("ab") == b"\x62ab"
    assert dumps([1, "a"]) == b"\x82\x01\x61a"
    assert dumps(Float(1.0, 2)) == b"\xf9\x3c\x00"


def test_codec_reads_indefinite_lengths_and_writes_definite_ones():
    assert loads(b"\x9f\x01\x02\xff") == [1, 2]
    assert loads(b"\x7f\x61a\x61b\xff") == "ab"
    assert loads(b"\xbf\x61a\x01\xff") == {"a": 1}
    assert dumps(loads(b"\x9f\x01\x02\xff")) == b"\x82\x01\x02"


@pytest.mark.parametrize("bad", [b"", b"\x18", b"\x62a", b"\x01\x02", b"\x1c", b"\x62\xff\xfe"])
def test_codec_rejects_bad_data(bad):
    with pytest.raises(CanonError):
        loads(bad)


# --- hand-made bundles -----------------------------------------------------------------------


def _write_bundle(folder: Path, filters: dict[str, list], sorts: list | None = None) -> None:
    """A bundle laid out and named as Pagefind 1.5.2 lays it out, filter values in the order given."""
    (folder / "filter").mkdir(parents=True)
    refs = []
    for name, values in filters.items():
        data, full = pack([name, values])
        (folder / "filter" / f"en_{full[:7]}.pf_filter").write_bytes(data)
        refs.append([name, f"en_{full[:7]}"])
    meta = ["1.5.2", [["en_abcdef0", 12], ["en_1234567", 34]], [["a", "z", "en_7654321"]], refs, sorts or [],
            ["image", "image_alt", "title"]]
    data, full = pack(meta)
    (folder / f"pagefind.en_{full[:10]}.pf_meta").write_bytes(data)
    (folder / "pagefind-entry.json").write_text(json.dumps(
        {"version": "1.5.2", "languages": {"en": {"hash": f"en_{full[:10]}", "wasm": "en", "page_count": 2}},
         "include_characters": ["_", "‿"]}, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


FILTERS = {
    "type": [["Key task", [0, 1]], ["Artifact", [2, 3]], ["Phase", [4]], ["Glossary", [5]]],
    "party": [["Customer", [0, 1]], ["QSMO", [1]], ["Provider", [0]], ["Shared", [1]]],
    "phase": [["Phase 1: Readiness", [0, 1, 4]]],
}


def _shuffled(filters: dict[str, list], seed: int) -> dict[str, list]:
    rng = random.Random(seed)
    names = list(filters)
    rng.shuffle(names)
    out = {}
    for name in names:
        values = [[v, rng.sample(pages, len(pages))] for v, pages in filters[name]]
        rng.shuffle(values)
        out[name] = values
    return out


def test_shuffled_filters_canonicalise_to_the_same_bytes(tmp_path):
    trees = []
    for seed in range(6):
        folder = tmp_path / f"b{seed}"
        _write_bundle(folder, _shuffled(FILTERS, seed))
        canonicalise(folder)
        trees.append(tree(folder))
    assert len({json.dumps({k: v.hex() for k, v in t.items()}) for t in trees}) == 1
    assert differences(trees[0], trees[-1]) == []


def test_canonical_form_is_sorted_and_named_by_its_hash(tmp_path):
    _write_bundle(tmp_path, _shuffled(FILTERS, 1), sorts=[["weight", [3, 1, 2]], ["date", [2, 1, 3]]])
    canonicalise(tmp_path)
    entry = json.loads((tmp_path / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_path = tmp_path / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert [p.name for p in tmp_path.glob("*.pf_meta")] == [meta_path.name]
    meta = unpack(meta_path.read_bytes())
    assert [f[0] for f in meta[3]] == ["party", "phase", "type"]
    assert meta[4] == [["date", [2, 1, 3]], ["weight", [3, 1, 2]]]  # sorts by name, each page order kept
    assert meta[1:3] == [[["en_abcdef0", 12], ["en_1234567", 34]], [["a", "z", "en_7654321"]]]
    for name, ref in meta[3]:
        data = (tmp_path / "filter" / f"{ref}.pf_filter").read_bytes()
        raw = gzip.decompress(data)
        assert raw.startswith(b"pagefind_dcd")
        assert ref == "en_" + hashlib.sha1(raw[12:]).hexdigest()[:7]
        assert data[4:8] == b"\0\0\0\0"  # no time stamp
        item = unpack(data)
        assert item[0] == name
        assert item[1] == sorted([v, sorted(p)] for v, p in FILTERS[name])
    assert len(list((tmp_path / "filter").iterdir())) == 3
    assert meta_path.name == "pagefind.en_" + hashlib.sha1(gzip.decompress(meta_path.read_bytes())[12:]).hexdigest()[:10] + ".pf_meta"


def test_canonicalising_twice_changes_nothing(tmp_path):
    _write_bundle(tmp_path, _shuffled(FILTERS, 3))
    canonicalise(tmp_path)
    once = tree(tmp_path)
    canonicalise(tmp_path)
    assert tree(tmp_path) == once


def test_entry_keeps_pagefind_formatting(tmp_path):
    _write_bundle(tmp_path, _shuffled(FILTERS, 4))
    before = (tmp_path / "pagefind-entry.json").read_text(encoding="utf-8")
    canonicalise(tmp_path)
    after = (tmp_path / "pagefind-entry.json").read_text(encoding="utf-8")
    old = json.loads(before)["languages"]["en"]["hash"]
    new = json.loads(after)["languages"]["en"]["hash"]
    assert after == before.replace(old, new)
    assert "‿" in after and " " not in after


def test_unknown_format_fails_loudly(tmp_path):
    _write_bundle(tmp_path, FILTERS)
    victim = next((tmp_path / "filter").iterdir())
    victim.write_bytes(gzip.compress(b"pagefind_dcd" + dumps({"not": "a filter"})))
    with pytest.raises(CanonError):
        canonicalise(tmp_path)


# --- real Pagefind output ---------------------------------------------------------------------

VALUES = [f"Value {i:02d} {chr(0x41 + i % 26)}" for i in range(40)]


@pytest.fixture(scope="module")
def raw_bundles(tmp_path_factory) -> list[Path]:
    """Raw Pagefind output (no canonicalising) for one small site, indexed three times."""
    need(importlib.util.find_spec("pagefind") is not None, "the pagefind package (pip install 'pagefind[bin]')")
    src = tmp_path_factory.mktemp("site")
    for i in range(30):
        tags = "".join(f'<span data-pagefind-filter="tag">{VALUES[(i * 7 + k) % 40]}</span>' for k in range(3))
        (src / f"p{i}.html").write_text(
            f'<!doctype html><html lang="en"><head><title>Page {i}</title></head><body data-pagefind-body>'
            f'<h1>Page {i}</h1><p>Words about topic {i} and migration.</p>{tags}'
            f'<span data-pagefind-filter="kind">{"odd" if i % 2 else "even"}</span>'
            f'<span data-pagefind-sort="weight">{(i * 13) % 30}</span></body></html>', encoding="utf-8")
    out = []
    for run in range(3):
        site = tmp_path_factory.mktemp(f"run{run}")
        shutil.copytree(src, site, dirs_exist_ok=True)
        subprocess.run(search.command(site, "pagefind"), check=True, capture_output=True, stdin=subprocess.DEVNULL)
        out.append(site / "pagefind")
    return out


def test_pagefind_cbor_round_trips_byte_for_byte(raw_bundles):
    checked = 0
    for p in sorted(raw_bundles[0].rglob("*")):
        if p.suffix in (".pf_meta", ".pf_filter", ".pf_index"):
            raw = gzip.decompress(p.read_bytes())
            assert raw.startswith(b"pagefind_dcd")
            assert dumps(loads(raw[12:])) == raw[12:], p.name
            checked += 1
    assert checked >= 4


def test_raw_pagefind_runs_canonicalise_to_the_same_bytes(raw_bundles, tmp_path):
    trees = []
    for i, raw in enumerate(raw_bundles):
        copy = tmp_path / str(i)
        shutil.copytree(raw, copy)
        canonicalise(copy)
        trees.append(tree(copy))
        again = tree(copy)
        canonicalise(copy)
        assert tree(copy) == again, "canonicalising twice changed something"
    assert differences(trees[0], trees[1]) == []
    assert differences(trees[0], trees[2]) == []
    # only the filter files, the meta file and the entry are touched
    untouched = {k: v for k, v in tree(raw_bundles[0]).items()
                 if not (k.startswith("filter/") or k.endswith(".pf_meta") or k == "pagefind-entry.json")}
    assert {k: trees[0][k] for k in untouched} == untouched


def test_shuffled_real_filters_canonicalise_to_the_same_bytes(raw_bundles, tmp_path):
    """Pagefind's own output with every filter's values shuffled again, renamed as Pagefind would."""
    base = tmp_path / "base"
    shutil.copytree(raw_bundles[0], base)
    canonicalise(base)
    for seed in range(3):
        copy = tmp_path / f"s{seed}"
        shutil.copytree(raw_bundles[0], copy)
        rng = random.Random(seed)
        entry_path = copy / "pagefind-entry.json"
        entry_text = entry_path.read_text(encoding="utf-8")
        old_meta = json.loads(entry_text)["languages"]["en"]["hash"]
        meta = unpack((copy / f"pagefind.{old_meta}.pf_meta").read_bytes())
        for ref in meta[3]:
            path = copy / "filter" / f"{ref[1]}.pf_filter"
            item = unpack(path.read_bytes())
            rng.shuffle(item[1])
            path.unlink()
            data, full = pack(item)
            ref[1] = f"en_{full[:7]}"
            (copy / "filter" / f"{ref[1]}.pf_filter").write_bytes(data)
        rng.shuffle(meta[3])
        (copy / f"pagefind.{old_meta}.pf_meta").unlink()
        data, full = pack(meta)
        (copy / f"pagefind.en_{full[:10]}.pf_meta").write_bytes(data)
        entry_path.write_text(entry_text.replace(old_meta, f"en_{full[:10]}"), encoding="utf-8")
        canonicalise(copy)
        assert differences(tree(base), tree(copy)) == []


def test_build_writes_the_canonical_form(site):
    """`playbook build` canonicalises: doing it again afterwards changes nothing."""
    need(importlib.util.find_spec("pagefind") is not None, "the pagefind package (pip install 'pagefind[bin]')")
    from conftest import task
    site.add("phase1/1.1.md", task(1, 1, activities=[
        {"text": "Shared work", "responsibleParty": ["customer", "provider"]}]))
    site.add("phase1/1.2.md", task(1, 2, responsibleParty="provider", category="technology"))
    res = site.build(search=True)
    assert res.written
    bundle = site.out / "pagefind"
    before = tree(bundle)
    assert any(k.startswith("filter/") for k in before)
    canonicalise(bundle)
    assert tree(bundle) == before
