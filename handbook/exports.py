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
    return [{"id": r.id, **{k: _plain(v) for k, v in r.data.items() if k != "id"}} for r in records]


def to_json(records: list[Record]) -> bytes:
    """A JSON list with one record a line: readable and diffable, and written by the fast C encoder
    (indented output uses the pure-Python one: a tenth of a second per 1500 organisations)."""
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in as_dicts(records))
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


def to_csv(records: list[Record]) -> bytes:
    rows = []
    for item in as_dicts(records):
        flat: dict = {}
        _flatten(item, "", flat)
        rows.append(flat)
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


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
    out = []
    for name, _kind, records in datasets(handbook, folders):
        out.append((f"data/{name}.json", to_json(records) if contents else b""))
        out.append((f"data/{name}.csv", to_csv(records) if contents else b""))
    return out


def paths(handbook: Handbook, folders: dict[str, str]) -> list[str]:
    """Where `files` writes its downloads, under the site. They hold data, not interface text, so they are
    the same in every language: the build makes them once and links the other editions' copies to them."""
    return [path for path, _ in files(handbook, folders, contents=False)]
