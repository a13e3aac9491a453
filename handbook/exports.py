"""Open data: every record kind as JSON and CSV, derived from the records."""
from __future__ import annotations

import csv
import io
import json

from .model import Handbook, Record

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dataset_name(folder: str) -> str:
    """data/lan -> lan; data/kvalitetsmodell/kriterier -> kvalitetsmodell-kriterier; methods -> metoder."""
    if folder == "methods":
        return "metoder"
    return folder.removeprefix("data/").replace("/", "-")


def _plain(value):
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def as_dicts(records: list[Record]) -> list[dict]:
    return [_as_dict(r) for r in records]


def _as_dict(r: Record) -> dict:
    return {"id": r.id, **{k: _plain(v) for k, v in r.data.items() if k != "id"}}


# Each record's line of JSON and row of CSV, kept for the next build in the same process (the live server
# makes the downloads again after every edit): id(record) -> (record, line, row). Records are compared as
# objects (content.load_cached gives an unchanged file's record back as the same object); `files` keeps
# only the records of the last content.
_ROWS: dict[int, tuple] = {}


def _kept(r: Record, fresh: dict | None) -> list:
    """[record, its JSON line, its CSV row (cells made safe), (the columns, its CSV line) or None]."""
    hit = _ROWS.get(id(r))
    if hit is None or hit[0] is not r:
        item = _as_dict(r)
        flat: dict = {}
        _flatten(item, "", flat)
        hit = [r, json.dumps(item, ensure_ascii=False), {k: safe_cell(v) for k, v in flat.items()}, None]
    if fresh is not None:
        fresh[id(r)] = hit
    return hit


def to_json(records: list[Record], fresh: dict | None = None) -> bytes:
    """A JSON list with one record a line: readable and diffable, and written by the fast C encoder
    (indented output uses the pure-Python one: a tenth of a second per 1500 organisations)."""
    lines = ",\n".join(_kept(r, fresh)[1] for r in records)
    return f"[\n{lines}\n]\n".encode("utf-8")


def _flatten(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(sub, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        out[prefix] = "; ".join("" if v is None else str(v) for v in value)
    elif isinstance(value, list):
        out[prefix] = json.dumps(value, ensure_ascii=False)
    else:
        out[prefix] = "" if value is None else value


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(records: list[Record], fresh: dict | None = None) -> bytes:
    kept = [_kept(r, fresh) for r in records]
    columns: list[str] = []
    known: set[str] = set()
    for item in kept:
        for column in item[2]:
            if column not in known:
                known.add(column)
                columns.append(column)
    # A row's line is kept with the columns it was written for: the same columns, the same line.
    together = tuple(columns)
    together = _COLUMNS.setdefault(together, together)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    lines = [buffer.getvalue()]
    for item in kept:
        if item[3] is None or item[3][0] is not together:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(item[2])
            item[3] = (together, buffer.getvalue())
        lines.append(item[3][1])
    return "".join(lines).encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


_COLUMNS: dict[tuple, tuple] = {}  # one tuple object for each list of columns, so rows compare it with `is`


def datasets(handbook: Handbook, folders: dict[str, str]) -> list[tuple[str, str, list[Record]]]:
    """(dataset name, kind, records) for every kind that has records."""
    found = []
    for kind, folder in sorted(folders.items(), key=lambda item: dataset_name(item[1])):
        records = handbook.all(kind)
        if records:
            found.append((dataset_name(folder), kind, records))
    return found


def files(handbook: Handbook, folders: dict[str, str], contents: bool = True) -> list[tuple[str, bytes]]:
    """(path under the site, content) of every download; with `contents` false, the paths with empty
    contents (an edition that takes the files another edition has written: see `paths`)."""
    global _ROWS
    out = []
    fresh: dict = {}
    for name, _kind, records in datasets(handbook, folders):
        out.append((f"data/{name}.json", to_json(records, fresh) if contents else b""))
        out.append((f"data/{name}.csv", to_csv(records, fresh) if contents else b""))
    if contents:
        _ROWS = fresh
    return out


def paths(handbook: Handbook, folders: dict[str, str]) -> list[str]:
    """Where `files` writes its downloads, under the site. They hold data, not interface text, so they are
    the same in every language: the build makes them once and links the other editions' copies to them."""
    return [path for path, _ in files(handbook, folders, contents=False)]
