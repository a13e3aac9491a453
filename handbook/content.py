"""Load and check the whole content tree: every problem at once."""
from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import stat
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import areas, check, history, links, messages, offline, pages  # noqa: F401  (they register macros, pages and checks)
from . import safety  # noqa: F401  (registers the rules for every kind)
from .kinds import Kind, kind_for, load_kinds
from .load import Loaded, field_path, load_file
from .model import Handbook, Record
from .problems import Problem, printable, problem

areas.load_all()

CONTENT_FOLDERS = ("data", "methods")
PROJECT_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@dataclass
class Result:
    handbook: Handbook | None
    problems: list[Problem] = field(default_factory=list)
    addresses_checked: bool = False  # whether the address check ran (load_content's `addresses`)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def ok(self) -> bool:
        return not self.errors


# Files the project keeps among the records itself: the starting file of each kind and a folder's README.
PROJECT_FILES = ("_template.yml", "README.md")
_SAFE_NAME = re.compile(r"[^\W_][\w.-]*")  # a name that can be an id, or can be told how to become one


def content_files(root: Path) -> list[Path]:
    """Every content file that is read (the project's own files and refused files are left out)."""
    return content_tree(root)[0]


def content_tree(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under data/ and methods/: the ones to read, and a problem for each other one.

    A content file is a regular file inside the repository with a plain name ending in .yml: a
    symbolic link (to a file elsewhere, to nowhere, to itself), a hidden file, a name with a space
    or a line break, or .YML is refused with a message, never followed or skipped without a word."""
    root = Path(root)
    files: list[Path] = []
    found: list[Problem] = []

    def refuse(path: Path, reason: str, **values) -> None:
        found.append(problem(path.relative_to(root).as_posix(), 1, 1, "", "file-refused",
                             reason=messages.message(reason, **values)))

    for folder in CONTENT_FOLDERS:
        base = root / folder
        if base.is_symlink():
            refuse(base, "file.symlink", target=_link_target(base))
            continue
        if not base.is_dir():
            continue
        for dirpath, dirnames, names in os.walk(base):  # symbolic links to folders are listed, not followed
            here = Path(dirpath)
            for name in sorted(dirnames):
                path = here / name
                if path.is_symlink():
                    refuse(path, "file.symlink", target=_link_target(path))
                    dirnames.remove(name)
                elif name.startswith("."):
                    refuse(path, "file.hidden")
                    dirnames.remove(name)
                elif not _SAFE_NAME.fullmatch(name):
                    refuse(path, "file.folder-name", folder=printable(name) + "/")
                    dirnames.remove(name)
            for name in names:
                path = here / name
                if name in PROJECT_FILES and not path.is_symlink():
                    continue
                reason = _refusal(path, name)
                if reason:
                    refuse(path, reason[0], **reason[1]) if isinstance(reason, tuple) else refuse(path, reason)
                elif name.endswith((".yml", ".yaml")):
                    files.append(path)
                else:
                    refuse(path, "file.not-yaml")
    return sorted(files), found


def _refusal(path: Path, name: str):
    """Why a file under data/ or methods/ is not read (a catalogue entry), or None."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "file.unreadable"
    if stat.S_ISLNK(mode):
        return "file.symlink", {"target": _link_target(path)}
    if not stat.S_ISREG(mode):
        return "file.not-regular"
    if name.startswith("."):
        return "file.hidden"
    if not _SAFE_NAME.fullmatch(name):
        return "file.odd-name", {"name": printable(repr(name)[1:-1] if "'" not in name else name)}
    if name.lower().endswith((".yml", ".yaml")) and not name.endswith((".yml", ".yaml")):
        return "file.upper-case", {"suggest": name.rsplit(".", 1)[0].lower() + ".yml"}
    return None


def _link_target(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return messages.message("file.link-nowhere")
    return printable(target) if os.path.exists(path) else f"{printable(target)}: " + messages.message("file.link-nowhere")


def load_content(root: Path, schema_dir: Path | None = None, addresses: bool = True) -> Result:
    """Load and check every file under `root`. Schemas come from root/schemas, else the project's.

    `addresses`: also check that no generated page takes another page's address. That check makes
    every page, as a build does; a build checks the pages it has just made instead (the site hook),
    so it loads without it."""
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
    files, not_read = content_tree(root)
    problems.extend(not_read)
    refused: list[tuple[Kind, Loaded]] = []  # read, but refused by their schema
    for file in files:
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
        if not isinstance(loaded.data, dict) or any(not p.warning for p in found):
            # The rules, the pages and the other records see only records that passed their schema:
            # a rule never meets a number written as text, or a list where a mapping belongs. (Its
            # references are still checked: that check takes any input.)
            unreadable.add((kind.name, file.stem))
            if isinstance(loaded.data, dict):
                refused.append((kind, loaded))
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
    for kind, loaded in refused:
        problems.extend(_capped(_reference_problems(handbook, kinds, kind, loaded, unreadable, targets), loaded.path))
    for found in _check_all(handbook, kinds, list(loaded_by_record.items()), unreadable, targets):
        problems.extend(found)
    result = Result(handbook, problems)
    return with_addresses(root, result) if addresses else result


def with_addresses(root: Path, result: Result, made: list[str] | None = None) -> Result:
    """The result with the address check's problems added (`address_problems`): over the records that
    passed (pages are made of those), and once per file: an area's own rule about a reserved id says
    more than this check can."""
    with_errors = {p.path for p in result.problems if not p.warning}
    found = [p for p in address_problems(root, result.handbook, made) if p.path not in with_errors]
    return Result(result.handbook, result.problems + found, addresses_checked=True)


def _capped(found, path: str, most: int = check.MAX_PROBLEMS) -> list[Problem]:
    """At most `most` problems from a check (a generator stops there), and a line saying there are more:
    a file of 100 000 misspelt references costs no more than one of fifty."""
    taken = list(itertools.islice(found, most + 1))
    if len(taken) > most:
        taken = taken[:most] + [check.more_problems(path, taken[:most])]
    return taken


def _read_one(file: Path, shown: str, kind: Kind) -> tuple[Loaded, list[Problem]]:
    """One file read and checked on its own: its YAML, its schema and its id."""
    loaded = load_file(file, shown)
    found = list(loaded.problems)
    if isinstance(loaded.data, dict):
        found.extend(check.schema_problems(loaded, kind))
        found.extend(check.id_problems(loaded, kind, file.stem))
        if not found:
            found.extend(check.text_problems(loaded, kind))
    return loaded, found


# Reading and schema-checking is most of the time a large content tree takes (1500 organisations:
# about two seconds). Above this many files every other file is read by a second process: the files
# of a kind come together and some kinds cost more per file (a profile rates 39 criteria), so halves
# by place in the list would leave one process waiting for the other.
PARALLEL_FROM = 600
_BATCH: list = []


def _read_batch(start: int, step: int) -> list:
    return [_read_one(*item) for item in _BATCH[start::step]]


def _read_all(items: list) -> list:
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_read_one(*item) for item in items]
    global _BATCH
    _BATCH = items  # a forked process sees it without pickling the schemas and validators
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_read_batch, 1, 2)
            first = _read_batch(0, 2)
            together = [None] * len(items)
            together[0::2], together[1::2] = first, second.result()
            return together
    finally:
        _BATCH = []


def _check_one(handbook: Handbook, kinds: dict[str, Kind], item, unreadable: set, targets: dict) -> list[Problem]:
    """The references and the rules of the kind of one record that passed its schema."""
    (kind_name, record_id), loaded = item
    record = handbook.get(kind_name, record_id)
    found = _capped(_reference_problems(handbook, kinds, kinds[kind_name], loaded, unreadable, targets), loaded.path)
    for kind_rule in check.KIND_RULES.get(kind_name, []) + check.KIND_RULES.get("*", []):  # "*": every kind
        if len(found) < check.MAX_PROBLEMS:
            found.extend(_capped(kind_rule(handbook, record, loaded), loaded.path, check.MAX_PROBLEMS - len(found)))
    return found


_CHECKS: tuple = ()


def _check_share(start: int, step: int) -> list[list[Problem]]:
    handbook, kinds, items, unreadable = _CHECKS
    targets: dict = {}
    return [_check_one(handbook, kinds, item, unreadable, targets) for item in items[start::step]]


def _check_all(handbook: Handbook, kinds: dict[str, Kind], items: list, unreadable: set, targets: dict) -> list:
    """Each record's problems from its references and rules, in the order of `items`; above
    PARALLEL_FROM records every other one is checked by a second process (forked: it sees the whole
    handbook), as the files are read (`_read_all`)."""
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_check_one(handbook, kinds, item, unreadable, targets) for item in items]
    global _CHECKS
    _CHECKS = (handbook, kinds, items, unreadable)
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_check_share, 1, 2)
            first = _check_share(0, 2)
            together: list = [None] * len(items)
            together[0::2], together[1::2] = first, second.result()
            return together
    finally:
        _CHECKS = ()


def _targets(handbook: Handbook, kinds: dict[str, Kind], target: str) -> tuple[set, str, str]:
    """(ids, what they are called, where they are defined) for a reference target."""
    if target.startswith("term:"):
        taxonomy = target[5:]
        record = handbook.get("taxonomy", taxonomy)
        ids = {t.get("id") for t in record.get("terms", ()) if hasattr(t, "get") and isinstance(t.get("id"), str)} if record else set()
        return ids, messages.message("target.term", taxonomy=taxonomy), f"data/taxonomier/{taxonomy}.yml"
    kind = kinds[target]
    ids = {r.id for r in handbook.all(target)}
    label = messages.message(f"target.{target}") if messages.has(f"target.{target}") else kind.label
    return ids, label, kind.folder + "/"


def _reference_problems(handbook: Handbook, kinds: dict[str, Kind], kind: Kind, loaded: Loaded,
                        unreadable: set, targets: dict | None = None) -> Iterator[Problem]:
    """Every reference to a record or term that does not exist (one at a time: the caller takes as many as
    it prints). `targets` keeps each target's ids between calls."""
    targets = {} if targets is None else targets
    for pattern, target in kind.references:
        if target.startswith("term:") and ("taxonomy", target[5:]) in unreadable:
            continue  # the list itself could not be read, and that is reported already
        if target not in targets:
            ids, label, where = _targets(handbook, kinds, target)
            targets[target] = (ids, label, where, sorted(ids))
        ids, label, where, choices = targets[target]
        for at, value in check.resolve(loaded.data, pattern):
            if not isinstance(value, str) or value in ids or at in loaded.reported or (target, value) in unreadable:
                continue
            line, column = loaded.place(at)
            yield problem(loaded.path, line, column, field_path(at), "reference", target=label, found=value,
                          mean=check.did_you_mean(value, choices), where=where)


# ---------------------------------------------------------------- addresses

# The hand-written pages of each edition, beside the generated ones.
PAGE_FOLDERS = ("docs", "docs-en")
PROJECT_ROOT = PROJECT_SCHEMAS.parent


def url_of(path: str) -> str:
    """The address of a page under docs/ (MkDocs' directory URLs): a/b.md and a/b/index.md are a/b/."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index") or stem == "README" or stem.endswith("/README"):
        stem = stem.rpartition("/")[0]
    return f"{stem}/" if stem else ""


def address_problems(root: Path, handbook: Handbook, made: list[str] | None = None) -> list[Problem]:
    """A generated page or download never takes the address of a hand-written page or file (in docs/ or
    docs-en/), nor of another generated one: one check over every kind and area, with the addresses
    they make themselves. (A tree without docs/ of its own, as in the tests, is checked against the
    project's.) The pages are made as the build makes them, once, in Swedish: every edition has the same
    addresses."""
    from . import exports, registry

    root = Path(root)
    hand: dict[str, str] = {}
    pages_root = root if any((root / folder).is_dir() for folder in PAGE_FOLDERS) else PROJECT_ROOT
    for folder in PAGE_FOLDERS:
        base = pages_root / folder
        if not base.is_dir():
            continue
        for dirpath, _dirs, names in os.walk(base):
            for name in names:
                path = (Path(dirpath) / name).relative_to(base).as_posix()
                hand.setdefault(url_of(path), f"{folder}/{path}")
    try:
        if made is not None:
            raise _Made  # the build's own pages and files, made already
        # Each source on its own (registry.generated_pages stops at two equal paths; here they are a problem).
        made = [path for source in registry.PAGE_SOURCES for path, _ in registry.call(source, handbook, lang="sv")]
        made += [f"{group.folder}/{slug}.md" for group in registry.generated_stamps(handbook) for slug, _t, _b in group.pages]
        made += [path for path, _ in registry.generated_files(handbook)]
        made += [f"data/{name}.{ending}" for name, _kind, _records in exports.datasets(handbook, handbook.folders)
                 for ending in ("json", "csv")]  # exports.files, without writing them
    except _Made:
        pass
    except Exception:  # noqa: BLE001 - a page that cannot be made is the build's to report, with its place
        return []
    found: list[Problem] = []
    first: dict[str, str] = {}
    for path in made:
        url = url_of(path)
        if url in hand:
            record = _record_for(handbook, path)
            found.append(problem(record.path if record else hand[url], 1, 1, "", "address-taken", url=url,
                                 other=messages.message("other.page", path=hand[url])))
        elif url in first:
            mine, theirs = _record_for(handbook, path), _record_for(handbook, first[url])
            if mine is None and theirs is not None:  # report it in the file that can be renamed
                mine, theirs, path, first[url] = theirs, None, first[url], path
            other = (messages.message("other.record", path=theirs.path) if theirs and theirs != mine
                     else messages.message("other.generated-page", path=first[url]))
            found.append(problem(mine.path if mine else path, 1, 1, "", "address-taken", url=url, other=other))
        else:
            first[url] = path
    return found


class _Made(Exception):
    """The caller has made the pages (address_problems' `made`)."""


def _record_for(handbook: Handbook, path: str):
    """The record a generated page is most likely made from: one whose id is the page's name (or its
    folder's, for an index page), of the kind whose folder shares most words with the page's address."""
    parts = [p for p in path.removesuffix(".md").split("/") if p]
    words = set(re.split(r"[/-]", path))
    for slug in parts[-1:] + (parts[-2:-1] if parts[-1:] == ["index"] else []):
        best, score = None, -1
        for kind in handbook.kinds():
            record = handbook.get(kind, slug)
            if record is None:
                continue
            shared = len(words & set(re.split(r"[/-]", handbook.folders.get(kind, ""))))
            if shared > score:
                best, score = record, shared
        if best is not None:
            return best
    return None


_cache: dict = {}


def fingerprint(root: Path) -> tuple:
    """Changes whenever a content or schema file changes, is added or is removed."""
    items = []
    for base in (*CONTENT_FOLDERS, "schemas"):
        for dirpath, _dirs, names in os.walk(root / base):
            for name in names:
                st = os.lstat(os.path.join(dirpath, name))  # a link is a file here: never followed
                items.append((dirpath, name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(items))


_pinned: dict = {}


def pin(root: Path, result: Result | None = None) -> Result:
    """Load (or reuse) the content, or take the `result` given (just loaded), and keep it until `unpin`:
    for one build, the hook and every macro call get it without walking the content tree again (1500
    files: one stat each, per call)."""
    result = load_cached(root) if result is None else result
    _pinned[Path(root).resolve()] = result
    return result


def unpin(root: Path | None = None) -> None:
    """Release the content of one build (or of every build, when a build failed on its way)."""
    if root is None:
        _pinned.clear()
    else:
        _pinned.pop(Path(root).resolve(), None)


def load_cached(root: Path, addresses: bool = False) -> Result:
    """`load_content`, done once per state of the files (the site adapters share it). The address
    check (`addresses`, see load_content) is added when a caller asks for it: `validate` does, a
    build checks the pages it makes."""
    root = Path(root).resolve()
    if root in _pinned and (not addresses or _pinned[root].addresses_checked):
        return _pinned[root]
    key = (root, fingerprint(root), messages.language())  # the messages are made in one language
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_content(root, addresses=False)
    if addresses and not _cache[key].addresses_checked:
        _cache[key] = with_addresses(root, _cache[key])
    return _cache[key]
