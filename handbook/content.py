"""Load and check the whole content tree: every problem at once."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import areas, check, history, links, messages, pages  # noqa: F401  (they register macros, pages and checks)
from . import safety  # noqa: F401  (registers the rules for every kind)
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

    to_read: list[tuple[Path, str, Kind]] = []
    for file in content_files(root):
        shown = file.relative_to(root).as_posix()
        if file.suffix == ".yaml":
            problems.append(problem(shown, 1, 1, "", "schema", message=messages.message("file.yaml-extension")))
            continue
        kind = kind_for(shown, kinds)
        if kind is None:
            problems.append(problem(shown, 1, 1, "", "unknown-kind", folders=folders))
            continue
        to_read.append((file, shown, kind))

    for (file, shown, kind), (loaded, found) in zip(to_read, _read_all(to_read)):
        problems.extend(found)
        if not isinstance(loaded.data, dict):
            unreadable.add((kind.name, file.stem))
            continue
        record_id = file.stem
        if record_id in records[kind.name]:
            other = records[kind.name][record_id].path
            problems.append(problem(shown, 1, 1, "", "duplicate-id", id=record_id, other=other, kind=check.kind_label(kind.name, kind.label)))
            continue
        records[kind.name][record_id] = Record.of(kind.name, record_id, shown, loaded.data)
        loaded_by_record[(kind.name, record_id)] = loaded

    handbook = Handbook(records, {name: kind.folder for name, kind in kinds.items()})
    targets: dict = {}  # reference target -> its ids, worked out once (1500 profiles name an organisation each)
    for (kind_name, record_id), loaded in loaded_by_record.items():
        record = records[kind_name][record_id]
        problems.extend(_reference_problems(handbook, kinds, kinds[kind_name], loaded, unreadable, targets))
        for kind_rule in check.KIND_RULES.get(kind_name, []) + check.KIND_RULES.get("*", []):  # "*": every kind
            problems.extend(kind_rule(handbook, record, loaded))
    return Result(handbook, problems)


def _read_one(file: Path, shown: str, kind: Kind) -> tuple[Loaded, list[Problem]]:
    """One file read and checked on its own: its YAML, its schema and its id."""
    loaded = load_file(file, shown)
    found = list(loaded.problems)
    if isinstance(loaded.data, dict):
        found.extend(check.schema_problems(loaded, kind))
        found.extend(check.id_problems(loaded, kind, file.stem))
    return loaded, found


# Reading and schema-checking is most of the time a large content tree takes (1500 organisations:
# about two seconds). Above this many files the second half is read by a second process.
PARALLEL_FROM = 600
_BATCH: list = []


def _read_batch(start: int, stop: int) -> list:
    return [_read_one(*item) for item in _BATCH[start:stop]]


def _read_all(items: list) -> list:
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_read_one(*item) for item in items]
    global _BATCH
    _BATCH = items  # a forked process sees it without pickling the schemas and validators
    half = len(items) // 2
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_read_batch, half, len(items))
            first = _read_batch(0, half)
            return first + second.result()
    finally:
        _BATCH = []


def _targets(handbook: Handbook, kinds: dict[str, Kind], target: str) -> tuple[set, str, str]:
    """(ids, what they are called, where they are defined) for a reference target."""
    if target.startswith("term:"):
        taxonomy = target[5:]
        record = handbook.get("taxonomy", taxonomy)
        ids = {t.get("id") for t in record.get("terms", ()) if hasattr(t, "get")} if record else set()
        return ids, messages.message("target.term", taxonomy=taxonomy), f"data/taxonomier/{taxonomy}.yml"
    kind = kinds[target]
    ids = {r.id for r in handbook.all(target)}
    label = messages.message(f"target.{target}") if messages.has(f"target.{target}") else kind.label
    return ids, label, kind.folder + "/"


def _reference_problems(handbook: Handbook, kinds: dict[str, Kind], kind: Kind, loaded: Loaded,
                        unreadable: set, targets: dict | None = None) -> list[Problem]:
    found = []
    targets = {} if targets is None else targets
    for pattern, target in kind.references:
        if target.startswith("term:") and ("taxonomy", target[5:]) in unreadable:
            continue  # the list itself could not be read, and that is reported already
        if target not in targets:
            targets[target] = _targets(handbook, kinds, target)
        ids, label, where = targets[target]
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


_pinned: dict = {}


def pin(root: Path) -> Result:
    """Load (or reuse) the content and keep it until `unpin`: for one build, the hook and every
    macro call get it without walking the content tree again (1500 files: one stat each, per call)."""
    result = load_cached(root)
    _pinned[Path(root).resolve()] = result
    return result


def unpin(root: Path | None = None) -> None:
    """Release the content of one build (or of every build, when a build failed on its way)."""
    if root is None:
        _pinned.clear()
    else:
        _pinned.pop(Path(root).resolve(), None)


def load_cached(root: Path) -> Result:
    """`load_content`, done once per state of the files (the site adapters share it)."""
    root = Path(root).resolve()
    if root in _pinned:
        return _pinned[root]
    key = (root, fingerprint(root), messages.language())  # the messages are made in one language
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_content(root)
    return _cache[key]
