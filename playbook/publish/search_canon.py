"""Search: make Pagefind's index byte-identical from build to build.

Pagefind (1.5.2) writes every file of its bundle deterministically except the
filter files: each ``filter/<lang>_<hash>.pf_filter`` lists a filter's values in
Rust hash-map order, which changes from run to run. Files are named after a hash
of their bytes, so the meta file (``pagefind.<lang>_<hash>.pf_meta``, which names
the filter files) and ``pagefind-entry.json`` (which names the meta file) change
with them. :func:`canonicalise` runs after Pagefind on the written bundle and
rewrites those files in one fixed form:

* a filter file's values are sorted (by value, in code-point order), each value's
  page numbers too; the meta file's lists of filters and of sorts are sorted by
  name (a sort's own page order is its meaning and stays as it is);
* every such file is re-encoded as canonical CBOR (shortest heads, definite
  lengths), behind Pagefind's ``pagefind_dcd`` signature, and gzipped with a
  fixed level and no time stamp or file name;
* it is named as Pagefind names it: ``<lang>_`` and the first hex digits of the
  SHA-1 of its CBOR (7 for a filter file, 10 for the meta file), and the files
  that name it are updated.

The file formats (decoded here, checked against Pagefind 1.5.2's output)::

    filter file: [filter name, [[value, [page number, ...]], ...]]
    meta file:   [version, [[page hash, word count], ...],
                  [[first word, last word, index file hash], ...],
                  [[filter name, filter file hash], ...],
                  [[sort name, [page number, ...]], ...], [meta field, ...]]
    entry:       {"version": ..., "languages": {lang: {"hash": meta hash, ...}}, ...}

Anything that does not look like this is left alone with a :class:`CanonError`,
so a future Pagefind that changes its format fails the build loudly instead of
writing a broken index. The CBOR codec below covers what Pagefind writes:
unsigned and negative integers, byte and text strings, arrays, maps, simple
values (false, true, null) and floats (their width kept, so decoding and
encoding gives the same bytes back).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
GZIP_LEVEL = 9
FILTER_HASH_LEN = 7
META_HASH_LEN = 10
_FILTER_NAME = re.compile(r"^(?P<lang>[^/_]+)_(?P<hash>[0-9a-f]+)\.pf_filter$")
_META_NAME = re.compile(r"^pagefind\.(?P<lang>[^/_]+)_(?P<hash>[0-9a-f]+)\.pf_meta$")


class CanonError(Exception):
    """A Pagefind file is not in the format this module knows."""


# --- CBOR (RFC 8949), the subset Pagefind writes -----------------------------------------


class Float(float):
    """A CBOR float that remembers its encoded width (2, 4 or 8 bytes)."""

    width: int

    def __new__(cls, value: float, width: int = 8) -> "Float":
        self = super().__new__(cls, value)
        self.width = width
        return self


class Simple:
    """A CBOR simple value other than false, true and null (kept as its number)."""

    def __init__(self, value: int):
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Simple) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("Simple", self.value))

    def __repr__(self) -> str:
        return f"Simple({self.value})"


class Tag:
    """A tagged CBOR item (kept as it is)."""

    def __init__(self, tag: int, value: object):
        self.tag, self.value = tag, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tag) and (other.tag, other.value) == (self.tag, self.value)

    def __repr__(self) -> str:
        return f"Tag({self.tag}, {self.value!r})"


def _head(major: int, n: int) -> bytes:
    """An item head in its shortest form."""
    if n < 24:
        return bytes([major << 5 | n])
    if n < 0x100:
        return bytes([major << 5 | 24, n])
    if n < 0x10000:
        return bytes([major << 5 | 25]) + n.to_bytes(2, "big")
    if n < 0x100000000:
        return bytes([major << 5 | 26]) + n.to_bytes(4, "big")
    if n < 0x10000000000000000:
        return bytes([major << 5 | 27]) + n.to_bytes(8, "big")
    raise CanonError(f"integer too large for CBOR: {n}")


def _encode(item: object, out: bytearray) -> None:
    if item is False:
        out.append(0xF4)
    elif item is True:
        out.append(0xF5)
    elif item is None:
        out.append(0xF6)
    elif isinstance(item, Float):
        fmt = {2: ">e", 4: ">f", 8: ">d"}[item.width]
        out.append(0xE0 | {2: 25, 4: 26, 8: 27}[item.width])
        out += struct.pack(fmt, item)
    elif isinstance(item, float):
        out.append(0xFB)
        out += struct.pack(">d", item)
    elif isinstance(item, int):
        out += _head(0, item) if item >= 0 else _head(1, -1 - item)
    elif isinstance(item, (bytes, bytearray)):
        out += _head(2, len(item)) + item
    elif isinstance(item, str):
        data = item.encode("utf-8")
        out += _head(3, len(data)) + data
    elif isinstance(item, (list, tuple)):
        out += _head(4, len(item))
        for x in item:
            _encode(x, out)
    elif isinstance(item, dict):
        out += _head(5, len(item))
        for k, v in item.items():
            _encode(k, out)
            _encode(v, out)
    elif isinstance(item, Tag):
        out += _head(6, item.tag)
        _encode(item.value, out)
    elif isinstance(item, Simple):
        out += bytes([0xE0 | item.value]) if item.value < 24 else bytes([0xF8, item.value])
    else:
        raise CanonError(f"cannot encode {type(item).__name__} as CBOR")


def dumps(item: object) -> bytes:
    """Canonical CBOR: shortest heads, definite lengths, maps in the order given."""
    out = bytearray()
    _encode(item, out)
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise CanonError("CBOR data ends early")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def argument(self, info: int) -> int | None:
        """The argument of a head; None for an indefinite length."""
        if info < 24:
            return info
        if info in (24, 25, 26, 27):
            return int.from_bytes(self.take(1 << (info - 24)), "big")
        if info == 31:
            return None
        raise CanonError(f"reserved CBOR additional information {info}")

    def item(self) -> object:
        first = self.take(1)[0]
        major, info = first >> 5, first & 31
        if major == 7:
            if info == 20:
                return False
            if info == 21:
                return True
            if info == 22:
                return None
            if info in (25, 26, 27):
                width = 1 << (info - 24)
                return Float(struct.unpack({2: ">e", 4: ">f", 8: ">d"}[width], self.take(width))[0], width)
            if info < 24:
                return Simple(info)
            if info == 24:
                return Simple(self.take(1)[0])
            raise CanonError(f"unsupported CBOR simple item 0x{first:02x}")
        n = self.argument(info)
        if n is None:
            return self.indefinite(major)
        if major == 0:
            return n
        if major == 1:
            return -1 - n
        if major == 2:
            return self.take(n)
        if major == 3:
            return self.text(self.take(n))
        if major == 4:
            return [self.item() for _ in range(n)]
        if major == 5:
            out = {}
            for _ in range(n):
                k = self.item()
                out[k] = self.item()
            return out
        return Tag(n, self.item())  # major 6

    def indefinite(self, major: int) -> object:
        """An indefinite-length string, array or map (decoded; encoded again with a definite length)."""
        if major in (2, 3):
            parts = []
            while self.data[self.pos:self.pos + 1] != b"\xff":
                part = self.item()
                if not isinstance(part, bytes if major == 2 else str):
                    raise CanonError("bad chunk in an indefinite-length CBOR string")
                parts.append(part)
            self.take(1)
            return (b"" if major == 2 else "").join(parts)
        if major == 4:
            items = []
            while self.data[self.pos:self.pos + 1] != b"\xff":
                items.append(self.item())
            self.take(1)
            return items
        if major == 5:
            out = {}
            while self.data[self.pos:self.pos + 1] != b"\xff":
                k = self.item()
                out[k] = self.item()
            self.take(1)
            return out
        raise CanonError(f"indefinite length on CBOR major type {major}")

    @staticmethod
    def text(raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CanonError(f"invalid UTF-8 in a CBOR text string: {exc}") from exc


def loads(data: bytes) -> object:
    """Decode one CBOR item that fills ``data``."""
    reader = _Reader(data)
    item = reader.item()
    if reader.pos != len(data):
        raise CanonError(f"{len(data) - reader.pos} bytes after the CBOR item")
    return item


# --- Pagefind's files ---------------------------------------------------------------------


def unpack(data: bytes) -> object:
    """The CBOR item of a Pagefind file (gzip of the signature and CBOR)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as exc:
        raise CanonError(f"not gzip: {exc}") from exc
    if not raw.startswith(SIGNATURE):
        raise CanonError("no pagefind_dcd signature")
    return loads(raw[len(SIGNATURE):])


def pack(item: object) -> tuple[bytes, str]:
    """A Pagefind file's bytes for ``item`` and the full SHA-1 (hex) of its CBOR, which names it."""
    body = dumps(item)
    data = gzip.compress(SIGNATURE + body, compresslevel=GZIP_LEVEL, mtime=0)
    return data, hashlib.sha1(body).hexdigest()


def _is_page_list(x: object) -> bool:
    return isinstance(x, list) and all(isinstance(n, int) and not isinstance(n, bool) for n in x)


def canonical_filter(item: object) -> list:
    """A filter file's item with its values sorted, and each value's pages."""
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], list)):
        raise CanonError("filter file is not [name, values]")
    values = item[1]
    for v in values:
        if not (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and _is_page_list(v[1])):
            raise CanonError(f"filter {item[0]!r}: a value is not [text, [page numbers]]")
    names = [v[0] for v in values]
    if len(set(names)) != len(names):
        raise CanonError(f"filter {item[0]!r}: a value is listed twice")
    return [item[0], sorted([v[0], sorted(v[1])] for v in values)]


def _unique_names(hashes: dict[str, str], length: int) -> dict[str, str]:
    """Short names for full hashes: ``length`` hex digits, longer where two would collide."""
    n = length
    while len({h[:n] for h in hashes.values()}) < len(set(hashes.values())):
        n += 1
    return {k: h[:n] for k, h in hashes.items()}


def canonicalise(bundle: Path) -> int:
    """Rewrite the filter files, meta files and entry of the Pagefind bundle in ``bundle``. Returns files rewritten."""
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        raise CanonError("pagefind-entry.json has no languages")

    # Filter files: sorted, re-encoded, renamed. Old name (without extension) -> new name.
    filter_dir = bundle / "filter"
    renamed: dict[str, str] = {}
    if filter_dir.is_dir():
        by_lang: dict[str, dict[str, tuple[bytes, str]]] = {}
        for p in sorted(filter_dir.iterdir()):
            m = _FILTER_NAME.match(p.name)
            if not m:
                raise CanonError(f"unexpected file in the filter folder: {p.name}")
            by_lang.setdefault(m["lang"], {})[p.name[:-len(".pf_filter")]] = pack(canonical_filter(unpack(p.read_bytes())))
        for lang, files in by_lang.items():
            short = _unique_names({old: h for old, (_, h) in files.items()}, FILTER_HASH_LEN)
            for old in files:
                renamed[old] = f"{lang}_{short[old]}"
        staged = {}
        for lang, files in by_lang.items():
            for old, (data, _) in files.items():
                staged[renamed[old]] = data
        for p in list(filter_dir.iterdir()):
            p.unlink()
        for name in sorted(staged):
            (filter_dir / f"{name}.pf_filter").write_bytes(staged[name])

    # Meta files: filter references renamed and sorted, re-encoded, renamed; the entry follows.
    count = len(renamed)
    for lang, info in sorted(languages.items()):
        old_hash = info.get("hash") if isinstance(info, dict) else None
        if not isinstance(old_hash, str):
            raise CanonError(f"pagefind-entry.json: language {lang!r} has no hash")
        meta_path = bundle / f"pagefind.{old_hash}.pf_meta"
        if not meta_path.is_file():
            raise CanonError(f"missing meta file {meta_path.name}")
        meta = unpack(meta_path.read_bytes())
        if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[3], list) and isinstance(meta[4], list)):
            raise CanonError(f"{meta_path.name}: not [version, pages, index chunks, filters, sorts, ...]")
        filters = []
        for ref in meta[3]:
            if not (isinstance(ref, list) and len(ref) >= 2 and isinstance(ref[0], str) and isinstance(ref[1], str)):
                raise CanonError(f"{meta_path.name}: a filter reference is not [name, hash, ...]")
            if ref[1] not in renamed:
                raise CanonError(f"{meta_path.name}: filter {ref[0]!r} names a missing file {ref[1]}")
            filters.append([ref[0], renamed[ref[1]], *ref[2:]])
        sorts = meta[4]
        for kind, refs in (("filter", filters), ("sort", sorts)):
            if not all(isinstance(r, list) and r and isinstance(r[0], str) for r in refs):
                raise CanonError(f"{meta_path.name}: a {kind} is not [name, ...]")
            names = [r[0] for r in refs]
            if len(set(names)) != len(names):
                raise CanonError(f"{meta_path.name}: a {kind} is listed twice")
        meta = [*meta[:3], sorted(filters, key=lambda r: r[0]), sorted(sorts, key=lambda r: r[0]), *meta[5:]]
        data, full = pack(meta)
        new_hash = f"{lang}_{full[:META_HASH_LEN]}"
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        count += 1
        if new_hash != old_hash:
            # Replace the one JSON string in place, so the rest of Pagefind's formatting stays as it is.
            quoted = json.dumps(old_hash)
            if entry_text.count(quoted) != 1:
                raise CanonError(f"pagefind-entry.json: cannot find {old_hash} exactly once")
            entry_text = entry_text.replace(quoted, json.dumps(new_hash))
    if json.loads(entry_text) != _with_hashes(entry, bundle):
        raise CanonError("pagefind-entry.json: rewrite went wrong")
    entry_path.write_bytes(entry_text.encode("utf-8"))
    return count + 1


def _with_hashes(entry: dict, bundle: Path) -> dict:
    """``entry`` with each language's hash taken from the meta file now on disk (a self-check)."""
    metas = {}
    for p in bundle.iterdir():
        m = _META_NAME.match(p.name)
        if m:
            metas[m["lang"]] = f"{m['lang']}_{m['hash']}"
    out = json.loads(json.dumps(entry))
    for lang, info in out["languages"].items():
        info["hash"] = metas.get(lang, info["hash"])
    return out
