"""Load and check the whole content tree: every problem at once."""
from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import re
import stat
import threading
import time
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
    listed, found = _content_tree(Path(root))
    return [Path(full) for full, _shown in listed], found


def _content_tree(root: Path, stats: dict | None = None) -> tuple[list[tuple[str, str]], list[Problem]]:
    """content_tree, with each file as (its path, its path from `root` with /), in the order of the
    paths. (Plain strings: at 10 000 files, path objects cost more than the walk.) `stats`: the
    files' stats as `_fingerprint` took them, when the caller has them."""
    stats = stats or {}
    listed: list[tuple[str, str]] = []
    found: list[Problem] = []

    def refuse(path, reason: str, **values) -> None:
        found.append(problem(Path(path).relative_to(root).as_posix(), 1, 1, "", "file-refused",
                             reason=messages.message(reason, **values)))

    for folder in CONTENT_FOLDERS:
        base = root / folder
        if base.is_symlink():
            refuse(base, "file.symlink", target=_link_target(base))
            continue
        if not base.is_dir():
            continue
        top = str(base)
        for dirpath, dirnames, names in os.walk(top):  # symbolic links to folders are listed, not followed
            for name in sorted(dirnames):
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    refuse(path, "file.symlink", target=_link_target(path))
                    dirnames.remove(name)
                elif name.startswith("."):
                    refuse(path, "file.hidden")
                    dirnames.remove(name)
                elif not _SAFE_NAME.fullmatch(name):
                    refuse(path, "file.folder-name", folder=printable(name) + "/")
                    dirnames.remove(name)
            shown_dir = folder + dirpath[len(top):].replace(os.sep, "/")
            for name in names:
                path = os.path.join(dirpath, name)
                if name in PROJECT_FILES and not os.path.islink(path):
                    continue
                known = stats.get(path)
                reason = _refusal(path, name, known[3] if known else None)
                if reason:
                    refuse(path, reason[0], **reason[1]) if isinstance(reason, tuple) else refuse(path, reason)
                elif name.endswith((".yml", ".yaml")):
                    listed.append((path, f"{shown_dir}/{name}"))
                else:
                    refuse(path, "file.not-yaml")
    listed.sort(key=lambda item: item[1].split("/"))  # as paths sort: part by part
    return listed, found


def _refusal(path, name: str, mode: int | None = None):
    """Why a file under data/ or methods/ is not read (a catalogue entry), or None. `mode`: its
    lstat's, when the caller has it."""
    if mode is None:
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
    result = _load(Path(root), schema_dir)
    return with_addresses(Path(root), result) if addresses else result


def _load(root: Path, schema_dir: Path | None = None, state: "_State | None" = None, stats: dict | None = None) -> Result:
    """load_content without the address check. With a `state` (load_cached's), the files and checks
    that did not change since the state's last load are taken from it, and the state is updated;
    `stats`: path -> (mtime, size, inode) of the files, when the caller has them (`_fingerprint`)."""
    if schema_dir is None:
        schema_dir = root / "schemas" if (root / "schemas").is_dir() else PROJECT_SCHEMAS
    if state is None:
        kinds = load_kinds(schema_dir)
    else:
        kinds = state.kinds_for(schema_dir)
    problems: list[Problem] = []
    records: dict[str, dict[str, Record]] = {name: {} for name in kinds}
    loaded_by_record: dict[tuple[str, str], Loaded] = {}
    unreadable: set[tuple[str, str]] = set()  # (kind, id) of files that could not be read
    folders = ", ".join(sorted(k.folder + "/" for k in kinds.values()))

    to_read: list[tuple[str, str, Kind]] = []  # (path, path from root, kind)
    files, not_read = _content_tree(root, stats)
    problems.extend(not_read)
    refused: list[tuple[Kind, Loaded]] = []  # read, but refused by their schema
    kind_of: dict[str, Kind | None] = {}  # folder -> its kind (kind_for, once per folder)
    for file, shown in files:
        if shown.endswith(".yaml"):
            problems.append(problem(shown, 1, 1, "", "schema", message=messages.message("file.yaml-extension")))
            continue
        folder = shown.rpartition("/")[0]
        if folder not in kind_of:
            kind_of[folder] = kind_for(shown, kinds)
        kind = kind_of[folder]
        if kind is None:
            problems.append(problem(shown, 1, 1, "", "unknown-kind", folders=folders))
            continue
        to_read.append((file, shown, kind))

    read = (_read_all([(Path(file), shown, kind) for file, shown, kind in to_read]) if state is None
            else state.read(to_read, stats or {}))
    for (file, shown, kind), (loaded, found) in zip(to_read, read):
        record_id = shown.rpartition("/")[2].rpartition(".")[0]  # the file's name without .yml
        problems.extend(found)
        if not isinstance(loaded.data, dict) or any(not p.warning for p in found):
            # The rules, the pages and the other records see only records that passed their schema:
            # a rule never meets a number written as text, or a list where a mapping belongs. (Its
            # references are still checked: that check takes any input.)
            unreadable.add((kind.name, record_id))
            if isinstance(loaded.data, dict):
                refused.append((kind, loaded))
            continue
        if record_id in records[kind.name]:
            other = records[kind.name][record_id].path
            problems.append(problem(shown, 1, 1, "", "duplicate-id", id=record_id, other=other, kind=check.kind_label(kind.name, kind.label)))
            continue
        record = state.record(shown, kind, record_id, loaded) if state is not None else None
        records[kind.name][record_id] = record or Record.of(kind.name, record_id, shown, loaded.data)
        loaded_by_record[(kind.name, record_id)] = loaded

    handbook = Handbook(records, {name: kind.folder for name, kind in kinds.items()})
    targets: dict = {}  # reference target -> its ids, worked out once (1500 profiles name an organisation each)
    for kind, loaded in refused:
        problems.extend(_capped(_reference_problems(handbook, kinds, kind, loaded, unreadable, targets), loaded.path))
    items = list(loaded_by_record.items())
    checked = (_check_all(handbook, kinds, items, unreadable, targets) if state is None
               else state.check(handbook, kinds, items, unreadable, targets, records))
    for found in checked:
        problems.extend(found)
    return Result(handbook, problems)


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


_READER: list = []


def _read_batch(start: int, step: int) -> list:
    return [_READER[0](*item) for item in _BATCH[start::step]]


def _read_all(items: list, reader=None) -> list:
    """`reader` (by default `_read_one`) of every item, in order; above PARALLEL_FROM items, every
    other one in a second, forked, process."""
    reader = reader or _read_one
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [reader(*item) for item in items]
    global _BATCH
    _BATCH = items  # a forked process sees it without pickling the schemas and validators
    _READER[:] = [reader]
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            second = pool.submit(_read_batch, 1, 2)
            first = _read_batch(0, 2)
            together = [None] * len(items)
            together[0::2], together[1::2] = first, second.result()
            return together
    finally:
        _BATCH = []
        _READER.clear()


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
    return _fingerprint(root)[0]


def _fingerprint(root: Path) -> tuple[tuple, dict]:
    """The fingerprint, and path -> (mtime, size, inode, mode) of every file in it."""
    items = []
    stats = {}
    for base in (*CONTENT_FOLDERS, "schemas"):
        for dirpath, _dirs, names in os.walk(root / base):
            for name in names:
                path = os.path.join(dirpath, name)
                try:
                    st = os.lstat(path)  # a link is a file here: never followed
                except FileNotFoundError:
                    continue  # gone since the folder was listed: the next call sees what came instead
                items.append((dirpath, name, st.st_mtime_ns, st.st_size))
                stats[path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode)
    return tuple(sorted(items)), stats


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
    build checks the pages it makes.

    When files change between two calls in one process (the live server), only what the change needs
    is done again: a file whose bytes are the same as last time (its SHA-256; a file whose mtime,
    size and inode are the same is not even hashed) is not read again, and a record's references and
    rules are run again only when something they read changed (`_State.check`). The answer is the
    same as a fresh `load_content(root, addresses=False)`: the same problems in the same order, the
    same records. A file that did not change keeps its `Record` object: `record is` the record of the
    last call, and an edited file's record is a new object (page caches may rely on it). The
    `Handbook` and the `Result` are new whenever anything changed."""
    root = Path(root).resolve()
    if root in _pinned and (not addresses or _pinned[root].addresses_checked):
        return _pinned[root]
    with _lock:
        prints, stats = _fingerprint(root)
        key = (root, prints, messages.language())  # the messages are made in one language
        if key not in _cache or _racy(prints, _cache[key][1]):
            started = time.time_ns()
            state = _states.pop((root, key[2]), None) or _State()
            _states[(root, key[2])] = state  # the newest last
            while len(_states) > 4:
                del _states[next(iter(_states))]
            _cache.clear()
            result = _load(root, state=state, stats=stats)
            if state.result is not None and _same(state.result, result):
                result = state.result  # files touched or written back as they were: nothing changed
            state.result = result
            _cache[key] = (result, started)
        if addresses and not _cache[key][0].addresses_checked:
            _cache[key] = (with_addresses(root, _cache[key][0]), _cache[key][1])
        return _cache[key][0]


# A file changed within this long before it was last read may have changed again with the same mtime
# (a file system keeps time in steps of a few milliseconds) and size: it is hashed next time, whatever
# its stat says, and the fingerprint of a tree with such a file does not stand for its content.
RACY_NS = 1_000_000_000


def _racy(prints: tuple, started: int) -> bool:
    return any(item[2] >= started - RACY_NS for item in prints)


def _same(last: Result, new: Result) -> bool:
    """Whether a new load has the same problems and the very same records as the last one."""
    if last.problems != new.problems or last.handbook._records.keys() != new.handbook._records.keys():
        return False
    for kind, records in new.handbook._records.items():
        before = last.handbook._records[kind]
        if before.keys() != records.keys() or any(before[i] is not r for i, r in records.items()):
            return False
    return True


# ---------------------------------------------------------------- what load_cached keeps between calls

_lock = threading.RLock()  # a page made for the address check may load again
_states: dict = {}  # (root, language) -> _State: the problems are in one language


def _digest(path) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return hashlib.sha256(file.read()).digest()
    except OSError:
        return None


def _stat(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _read_hashed(file: Path, shown: str, kind: Kind) -> tuple:
    """The file's hash (of the bytes before it is read: a later change gets another hash), then `_read_one`."""
    digest = _digest(file)
    return (digest, *_read_one(file, shown, kind))


@dataclass
class _File:
    """What was read of one file, and under which kind."""
    stat: tuple | None
    digest: bytes | None
    kind: Kind
    shown: str
    loaded: Loaded
    found: list
    record: Record | None = None  # made when the file first passed


@dataclass
class _Checked:
    """A record's problems from its references and rules, and its keys (the functions in RULE_READS)."""
    record: Record
    loaded: Loaded
    found: list
    keys: frozenset | None = None  # worked out when first needed


def _rule_name(function) -> str:
    return f"{function.__module__}.{function.__name__}"


def _title_keys(record: Record) -> tuple:
    """safety.same_name_or_title compares a record with the records of its kind that have the same
    plain title under the same parent: that (parent, title)."""
    kind = safety._kind(None, record)
    if kind is None or kind.name in safety.TITLES_MAY_REPEAT:
        return ()
    field_name = safety._title_field(kind)
    text = safety._title_text(record.get(field_name)) if field_name else None
    if not text or not safety._plain(text):
        return ()
    parent = safety.parent_field(kind)
    owner = record.get(parent) if parent else None
    if parent and not isinstance(owner, str):
        return ()
    return (("title", owner, safety._plain(text)),)


def _org_number_keys(record: Record) -> tuple:
    """safety.org_number compares an organisation with those that have the same number."""
    number = record.get("org_number")
    return (("org_number", number),) if isinstance(number, str) else ()


def _profile_keys(record: Record) -> tuple:
    """profiles.file_name_and_one_per_day reads the profile whose id is this one's <organisation>-<date>."""
    from .areas import profiles

    expected = profiles._expected_id(record)
    return (("profile", record.id),) + ((("profile", expected),) if expected else ())


# What each rule reads besides its own record. A tuple: the kinds whose records it reads (any change to
# one of them, its own kind included, and the rule runs again on every record of the kind); a function:
# the rule reads only the records of its own kind that share a key with the record (the function gives
# a record's keys). A rule that is not here is taken to read every record of every kind.
RULE_READS: dict = {
    "handbook.check.unique_term_ids": (),
    "handbook.check.county_for_local": (),
    "handbook.check.contact_consent": (),
    "handbook.history.review_by_passed": (),  # and today's date (`_State.context`)
    "handbook.safety.example_values": (),  # and the project's templates, read once per process
    "handbook.safety.personal_data": (),
    "handbook.safety.consent_not_in_the_future": (),  # and today's date
    "handbook.safety.same_name_or_title": _title_keys,
    "handbook.safety.unique_module_order": ("module",),
    "handbook.safety.unique_activity_order": ("activity",),
    "handbook.safety.org_number": _org_number_keys,
    "handbook.areas.wording.glossary_variant": ("glossary",),
    "handbook.areas.wording.named_not_linked": ("module", "method"),
    "handbook.areas.directory.reserved_ids": (),
    "handbook.areas.curriculum.session_plan_adds_up": (),
    "handbook.areas.curriculum.id_not_taken_by_a_page": (),
    "handbook.areas.curriculum.not_its_own_prerequisite": (),
    "handbook.areas.curriculum.prerequisites_have_no_cycle": ("module",),
    "handbook.areas.curriculum.materials_exist": ("material",),
    "handbook.areas.workpackages.amounts_match_as_printed": (),
    "handbook.areas.workpackages.package_of_the_same_project": ("package",),
    "handbook.areas.workpackages.months_within_the_project": ("project",),
    "handbook.areas.workpackages.stated_total_matches_as_printed": (),
    "handbook.areas.workpackages.stated_total_is_compared": ("activity",),
    "handbook.areas.workpackages.id_is_not_a_page": (),
    "handbook.areas.workpackages.number_unique_in_project": ("package",),
    "handbook.areas.profiles.known_criteria": ("criterion",),
    "handbook.areas.profiles.allowed_levels": (),
    "handbook.areas.profiles.date_not_in_the_future": (),  # and today's date
    "handbook.areas.profiles.file_name_and_one_per_day": _profile_keys,
    "handbook.areas.profiles.assessor_named": (),
    "handbook.areas.profiles.note_length": (),
    "handbook.areas.methods.evidence_sources_listed": (),
    "handbook.areas.methods.not_related_to_itself": (),
    "handbook.areas.methods.id_not_reserved": (),
    "handbook.areas.quality.unique_order_in_area": ("criterion",),
    "handbook.areas.quality.unique_area_order": ("area",),
}
EVERY_KIND = None  # what a rule missing from RULE_READS reads


class _State:
    """load_cached's memory of one content tree in one language: the files as last read, and each
    record's problems from its last check."""

    def __init__(self) -> None:
        self.schema_key: tuple | None = None
        self.kinds: dict[str, Kind] = {}
        self.files: dict[str, _File] = {}  # by path from the root
        self.checked: dict[tuple[str, str], _Checked] = {}
        self.records: dict[str, dict[str, Record]] = {}
        self.unreadable: set = set()
        self.context: tuple | None = None
        self.started = 0  # time.time_ns() when the files were last looked at
        self.result: Result | None = None  # the last answer (without the address check)

    def kinds_for(self, schema_dir: Path) -> dict[str, Kind]:
        """The kinds, loaded again only when a schema file changed (then nothing read is kept)."""
        schema_dir = Path(schema_dir).resolve()
        key = (schema_dir, tuple((p.name, _digest(p)) for p in sorted(schema_dir.glob("*.schema.json"))))
        if key != self.schema_key:
            self.__init__()
            self.schema_key, self.kinds = key, load_kinds(schema_dir)
        return self.kinds

    def read(self, to_read: list, stats: dict) -> list:
        """(loaded, found) of every (path, path from root, kind), as `_read_all`: a file whose bytes
        did not change is not read again (same stat: not even hashed), and gives the same objects as
        last time. Only the files that changed are read, in one process when they are few
        (`_read_all`). `stats`: the files' stats, taken before (else they are taken here)."""
        answers: list = [None] * len(to_read)
        again: list[int] = []
        taken: dict[int, tuple | None] = {}
        started, last = time.time_ns(), self.started
        self.started = started
        racy_before = last - RACY_NS
        for index, (file, shown, kind) in enumerate(to_read):
            known = self.files.get(shown)
            stat = taken[index] = stats[file][:3] if file in stats else _stat(file)
            if known is not None and known.kind is kind and known.digest is not None and stat is not None:
                if known.stat == stat and stat[0] < racy_before:
                    answers[index] = (known.loaded, known.found)
                    continue
                if _digest(file) == known.digest:  # touched, written back as it was, or changed lately: the bytes decide
                    known.stat = stat
                    answers[index] = (known.loaded, known.found)
                    continue
            again.append(index)
        fresh = _read_all([(Path(to_read[i][0]), to_read[i][1], to_read[i][2]) for i in again], _read_hashed)
        for index, (digest, loaded, found) in zip(again, fresh):
            file, shown, kind = to_read[index]
            # The stat is from before the file was hashed and read: a change after it gives another
            # stat next time, and another hash.
            self.files[shown] = _File(taken[index], digest, kind, shown, loaded, found)
            answers[index] = (loaded, found)
        if len(self.files) > len(to_read):
            seen = {shown for _file, shown, _kind in to_read}
            for shown in [f for f in self.files if f not in seen]:
                del self.files[shown]
        return answers

    def record(self, shown: str, kind: Kind, record_id: str, loaded: Loaded) -> Record:
        """The file's record: the same object for as long as the file does not change."""
        known = self.files[shown]
        if known.record is None or known.loaded is not loaded:
            known.record = Record.of(kind.name, record_id, shown, loaded.data)
        return known.record

    def check(self, handbook: Handbook, kinds: dict[str, Kind], items: list, unreadable: set, targets: dict,
              records: dict[str, dict[str, Record]]) -> list:
        """Each record's problems from its references and rules, as `_check_all`, from the last call
        where nothing they read has changed.

        The rule: a record's problems are kept when
        - its file did not change (the same record object as last time),
        - today's date, the language and the rules themselves are the same (else every record is checked),
        - the ids (records that passed, and files that could not be read) of every kind its references
          name did not change, nor any taxonomy when it names terms (the references read the ids, and
          a taxonomy's terms),
        - no record of a kind that one of its rules reads changed, was added or removed (RULE_READS;
          its own kind included, for the few rules that read every record of their kind; a rule not
          in RULE_READS reads every kind),
        - and, for the rules that read only the records of their own kind with something in common
          (a name, an organisation number, a profile's file name: the functions in RULE_READS), no
          record that changed (as it was, or as it is now) shares a key with it.
        So an edit of one organisation or profile checks that record again and the few that share a
        key with it, not the other 10 000."""
        context = (history.today(), safety.today(),
                   tuple((kind, tuple(id(f) for f in rules)) for kind, rules in sorted(check.KIND_RULES.items())))
        everything = context != self.context
        new = {name: records.get(name, {}) for name in kinds}
        old = self.records
        gone, now = _by_kind(self.unreadable), _by_kind(unreadable)
        changed: dict[str, list] = {}  # kind -> (old record, new record) of every record that changed
        ids_changed: set[str] = set()
        for name in kinds:
            before, after = old.get(name, {}), new[name]
            if before.keys() != after.keys() or gone.get(name) != now.get(name):
                ids_changed.add(name)
            pairs = [(before.get(i), after.get(i)) for i in before.keys() | after.keys() if before.get(i) is not after.get(i)]
            if pairs or gone.get(name) != now.get(name):
                changed[name] = pairs

        plan: dict[str, tuple] = {}  # kind -> (check every record again, key functions, keys of what changed)
        for name, kind in kinds.items():
            reads: set[str] = set()
            names_ids: set[str] = set()
            key_functions = []
            for kind_rule in check.KIND_RULES.get(name, []) + check.KIND_RULES.get("*", []):
                what = RULE_READS.get(_rule_name(kind_rule), EVERY_KIND)
                if what is EVERY_KIND:
                    reads.update(kinds)
                elif callable(what):
                    key_functions.append(what)
                else:
                    reads.update(what)
            for _pattern, target in kind.references:
                if target.startswith("term:"):
                    reads.add("taxonomy")
                else:
                    names_ids.add(target)
            again = everything or bool(reads & changed.keys()) or bool(names_ids & ids_changed)
            keys: set = set()
            if not again and key_functions:
                for pair in changed.get(name, ()):
                    for record in pair:
                        if record is not None:
                            keys |= self._keys(record, key_functions)
            plan[name] = (again, key_functions, keys)

        answers: list = [None] * len(items)
        to_check: list[int] = []
        checked: dict[tuple[str, str], _Checked] = {}
        for index, (key, loaded) in enumerate(items):
            record = handbook.get(*key)
            again, key_functions, keys = plan[key[0]]
            last = self.checked.get(key)
            if last is not None and last.record is record and not again and not (keys and self._keys(record, key_functions) & keys):
                answers[index] = last.found
                checked[key] = last
            else:
                to_check.append(index)
        fresh = _check_all(handbook, kinds, [items[i] for i in to_check], unreadable, targets)
        for index, found in zip(to_check, fresh):
            key, loaded = items[index]
            record = handbook.get(*key)
            answers[index] = found
            checked[key] = _Checked(record, loaded, found)
        self.checked, self.records, self.unreadable, self.context = checked, new, set(unreadable), context
        return answers

    def _keys(self, record: Record, key_functions: list) -> frozenset:
        """The record's keys (RULE_READS), kept with its last check."""
        last = self.checked.get((record.kind, record.id))
        if last is None or last.record is not record:
            return frozenset(key for function in key_functions for key in function(record))
        if last.keys is None:
            last.keys = frozenset(key for function in key_functions for key in function(record))
        return last.keys


def _by_kind(pairs: set) -> dict[str, frozenset]:
    found: dict[str, set] = {}
    for kind, record_id in pairs:
        found.setdefault(kind, set()).add(record_id)
    return {kind: frozenset(ids) for kind, ids in found.items()}
