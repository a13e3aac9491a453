"""Load and check the whole content tree: every problem at once."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import areas, check, pages  # noqa: F401  (pages registers the shared macros and pages)
from .kinds import Kind, kind_for, load_kinds
from .load import Loaded, field_path, load_file
from .model import Handbook, Record
from .problems import Problem, problem

areas.load_all()

CONTENT_FOLDERS = ("data", "methods")
PROJECT_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@dataclass
class Result:
    handbook: Handbook | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


def content_files(root: Path) -> list[Path]:
    """Every content file; names starting with `_` are templates and are skipped."""
    files = []
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if base.is_dir():
            files.extend(p for p in base.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()
                         and not p.name.startswith("_"))
    return sorted(files)


def load_content(root: Path, schema_dir: Path | None = None) -> Result:
    """Load and check every file under `root`. Schemas come from root/schemas, else the project's."""
    root = Path(root)
    if schema_dir is None:
        schema_dir = root / "schemas" if (root / "schemas").is_dir() else PROJECT_SCHEMAS
    kinds = load_kinds(schema_dir)
    problems: list[Problem] = []
    records: dict[str, dict[str, Record]] = {name: {} for name in kinds}
    loaded_by_record: dict[tuple[str, str], Loaded] = {}
    unreadable: set[tuple[str, str]] = set()  # (kind, id) of files that could not be read
    folders = ", ".join(sorted(k.folder + "/" for k in kinds.values()))

    for file in content_files(root):
        shown = file.relative_to(root).as_posix()
        if file.suffix == ".yaml":
            problems.append(problem(shown, 1, 1, "", "schema", message="content files end in .yml; rename the file to end in .yml"))
            continue
        kind = kind_for(shown, kinds)
        if kind is None:
            problems.append(problem(shown, 1, 1, "", "unknown-kind", folders=folders))
            continue
        loaded = load_file(file, shown)
        problems.extend(loaded.problems)
        if not isinstance(loaded.data, dict):
            unreadable.add((kind.name, file.stem))
            continue
        record_id = file.stem
        problems.extend(check.schema_problems(loaded, kind))
        problems.extend(check.id_problems(loaded, kind, record_id))
        if record_id in records[kind.name]:
            other = records[kind.name][record_id].path
            problems.append(problem(shown, 1, 1, "", "duplicate-id", id=record_id, other=other, kind=kind.label))
            continue
        records[kind.name][record_id] = Record.of(kind.name, record_id, shown, loaded.data)
        loaded_by_record[(kind.name, record_id)] = loaded

    handbook = Handbook(records, {name: kind.folder for name, kind in kinds.items()})
    for (kind_name, record_id), loaded in loaded_by_record.items():
        record = records[kind_name][record_id]
        problems.extend(_reference_problems(handbook, kinds, kinds[kind_name], loaded, unreadable))
        for kind_rule in check.KIND_RULES.get(kind_name, []):
            problems.extend(kind_rule(handbook, record, loaded))
    return Result(handbook, problems)


def _targets(handbook: Handbook, kinds: dict[str, Kind], target: str) -> tuple[set, str, str]:
    """(ids, what they are called, where they are defined) for a reference target."""
    if target.startswith("term:"):
        taxonomy = target[5:]
        record = handbook.get("taxonomy", taxonomy)
        ids = {t.get("id") for t in record.get("terms", ()) if hasattr(t, "get")} if record else set()
        return ids, f"term in the list `{taxonomy}`", f"data/taxonomier/{taxonomy}.yml"
    kind = kinds[target]
    ids = {r.id for r in handbook.all(target)}
    return ids, kind.label, kind.folder + "/"


def _reference_problems(handbook: Handbook, kinds: dict[str, Kind], kind: Kind, loaded: Loaded,
                        unreadable: set) -> list[Problem]:
    found = []
    for pattern, target in kind.references:
        if target.startswith("term:") and ("taxonomy", target[5:]) in unreadable:
            continue  # the list itself could not be read, and that is reported already
        ids, label, where = _targets(handbook, kinds, target)
        for at, value in check.resolve(loaded.data, pattern):
            if not isinstance(value, str) or value in ids or at in loaded.reported or (target, value) in unreadable:
                continue
            line, column = loaded.place(at)
            found.append(problem(loaded.path, line, column, field_path(at), "reference", target=label, found=value,
                                 mean=check.did_you_mean(value, sorted(ids)), where=where))
    return found


_cache: dict = {}


def fingerprint(root: Path) -> tuple:
    """Changes whenever a content or schema file changes, is added or is removed."""
    items = []
    for base in (*CONTENT_FOLDERS, "schemas"):
        for dirpath, _dirs, names in os.walk(root / base):
            for name in names:
                st = os.stat(os.path.join(dirpath, name))
                items.append((dirpath, name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(items))


def load_cached(root: Path) -> Result:
    """`load_content`, done once per state of the files (the site adapters share it)."""
    root = Path(root).resolve()
    key = (root, fingerprint(root))
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_content(root)
    return _cache[key]
