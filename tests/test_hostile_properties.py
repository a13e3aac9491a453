"""Property-based tests (Hypothesis) of hostile input: whatever a file holds, checking it gives problems or
none, and never an exception. Arbitrary YAML text, arbitrary YAML documents and real records of every
kind with one or more values changed (another type, a key dropped or added, deep nesting, huge numbers,
odd strings). The kinds and the records come from the schemas and the content, so a new kind is covered
without a change here.

Runs are reproducible (derandomised, no example database) and bounded: the 1 600 examples below were
measured to take about 25 s of processor time together (about 50 s on a machine shared with three
other builds)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook import check, content
from handbook.content import PROJECT_SCHEMAS, load_content
from handbook.kinds import load_kinds
from handbook.model import Handbook, Record
from handbook.problems import Problem, report

ROOT = Path(__file__).resolve().parent.parent
KINDS = load_kinds(PROJECT_SCHEMAS)

QUICK = settings(deadline=None, derandomize=True, database=None, max_examples=250,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
MANY = settings(QUICK, max_examples=100)  # per kind: 1 100 for the eleven kinds of today


@lru_cache(maxsize=1)
def real():
    return load_content(ROOT).handbook


def validate(kind_name: str, record_id: str, text: str, folder: Path) -> list[Problem]:
    """What `load_content` does for one file beside the real content: read, schema, id, text, and then
    the references and the rules of its kind, with the record among the real ones."""
    kind = KINDS[kind_name]
    shown = f"{kind.folder}/{record_id}.yml"
    file = folder / f"{record_id}.yml"  # the id is the file's name
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    loaded, found = content._read_one(file, shown, kind)
    base = real()
    records = {name: {r.id: r for r in base.all(name)} for name in base.kinds()}
    records.setdefault(kind_name, {})
    unreadable: set = set()
    passed = isinstance(loaded.data, dict) and not any(not p.warning for p in found)
    if passed:
        records[kind_name][record_id] = Record.of(kind_name, record_id, shown, loaded.data)
    else:
        records[kind_name].pop(record_id, None)
        unreadable.add((kind_name, record_id))
    handbook = Handbook(records, base.folders)
    if isinstance(loaded.data, dict):
        found += content._reference_problems(handbook, KINDS, kind, loaded, unreadable)
    if passed:
        record = records[kind_name][record_id]
        for rule in check.KIND_RULES.get(kind_name, []) + check.KIND_RULES.get("*", []):
            found.extend(rule(handbook, record, loaded))
    for item in found:
        assert isinstance(item, Problem)
        assert "\n" not in str(item) and "\x1b" not in str(item)
    report(found)
    return found


# ---------------------------------------------------------------- values

_ODD = ["", " ", "\n", "\r", "\t", "\x00", "\x1b[2J", "\u202e", "\u2028", "~", "{{ 7*7 }}", "<script>", "=1+1", "-",
        "&a", "*a", "!!python/object", "yes", "no", "08:30", "010", "5.000", "2027-02-30", "https://", "mailto:",
        "a" * 300, "å" * 70, "🙂", "\ud800", "null", "~/", "0x1F", ".nan", "-.inf"]
numbers = st.one_of(st.integers(), st.integers(min_value=10 ** 20, max_value=10 ** 60), st.just(10 ** 99),
                    st.floats(allow_nan=True, allow_infinity=True), st.just(-0.0))
texts = st.one_of(st.text(max_size=30), st.sampled_from(_ODD))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(texts, inner, max_size=4)), max_leaves=12)


def nested(depth: int, leaf="x"):
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def dump(data, flow) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=80)
    except (yaml.YAMLError, RecursionError, UnicodeEncodeError):  # a value PyYAML will not write: write its repr
        return f"value: {repr(data)!r}\n"


# ---------------------------------------------------------------- any text, any document


YAML_CHARACTERS = st.sampled_from(list("abc019 -:?,[]{}#&*!|>'\"%@`\\\n\t.~=<") + ["\x00", "\x1b", "\u2028", "å"])


@QUICK
@given(text=st.text(YAML_CHARACTERS, max_size=200), kind=st.sampled_from(sorted(KINDS)))
def test_any_text_gives_problems_or_none(tmp_path_factory, text, kind):
    validate(kind, "prov", text, _folder(tmp_path_factory))


@QUICK
@given(data=st.dictionaries(texts, values, max_size=8), kind=st.sampled_from(sorted(KINDS)), flow=st.sampled_from([None, True, False]))
def test_any_document_gives_problems_or_none(tmp_path_factory, data, kind, flow):
    validate(kind, "prov", dump(data, flow), _folder(tmp_path_factory))


_folders: dict = {}


def _folder(factory) -> Path:
    if "one" not in _folders:
        _folders["one"] = factory.mktemp("hostile-properties")
    return _folders["one"]


# ---------------------------------------------------------------- real records, changed


def paths(data, at=()):
    """Every path into a record, the record itself first."""
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, at + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, at + (index,))


def plain(value):
    if hasattr(value, "items"):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def change(data, at: tuple, how: str, value):
    """The record with one change at `at`."""
    if not at:
        if how == "add" and isinstance(data, dict):
            data[value[0]] = value[1]
        return data
    parent = data
    for part in at[:-1]:
        parent = parent[part]
    last = at[-1]
    if how == "drop":
        del parent[last]
    elif how == "deep":
        parent[last] = nested(value, parent[last] if not isinstance(parent[last], (dict, list)) else "x")
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][value[0]] = value[1]
    elif how == "add" and isinstance(parent[last], list):
        parent[last].append(value[1])
    else:
        parent[last] = value if how == "replace" else value[1]
    return data


# Kinds the real content has no records of yet (no organisation has published a quality profile):
# their records come from the fixture tree that has some.
EXAMPLE_TREES = [Path(__file__).parent / "fixtures" / "profiles" / "content"]


def examples(kind_name: str) -> list:
    records = real().all(kind_name)
    for tree in EXAMPLE_TREES:
        if records:
            break
        records = load_content(tree).handbook.all(kind_name)
    return records


def mutations(kind_name: str):
    records = examples(kind_name)
    if not records:
        return st.nothing()

    @st.composite
    def mutated(draw):
        record = draw(st.sampled_from(records))
        data = plain(record.data)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.sampled_from(list(paths(data))))
            how = draw(st.sampled_from(["replace", "drop", "add", "deep", "replace"]))
            if how == "drop" and not at:
                continue
            if how == "deep":
                value = draw(st.sampled_from([3, 30, 41, 60]))
            elif how == "add":
                value = (draw(st.one_of(st.sampled_from(sorted(KINDS[kind_name].schema.get("properties", {})) or ["x"]), texts)),
                         draw(values))
            else:
                value = draw(values)
            data = change(data, at, how, value)
        return record.id, dump(data, draw(st.sampled_from([None, False, True])))

    return mutated()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_changed_real_record_gives_problems_or_none(tmp_path_factory, kind):
    assert examples(kind), f"no records of the kind {kind} to change: add some to a tree in EXAMPLE_TREES"

    @MANY
    @given(case=mutations(kind))
    def run(case):
        record_id, text = case
        validate(kind, record_id, text, _folder(tmp_path_factory))

    run()


def test_the_real_records_pass_this_way_too(tmp_path_factory):
    """The harness itself: a real record written back unchanged has no errors (so the examples above
    reach the rules, not only the schema)."""
    for kind in sorted(KINDS):
        for record in real().all(kind)[:3]:
            found = validate(kind, record.id, dump(plain(record.data), False), _folder(tmp_path_factory))
            assert [str(p) for p in found if not p.warning] == [], (kind, record.id)



# ---------------------------------------------------------------- the depth scan's shortcut

DEPTH_CHARACTERS = st.sampled_from(list("ab -:?#|>'\"\n\t[]{},!&"))


@settings(QUICK, max_examples=1000)
@given(text=st.one_of(st.text(DEPTH_CHARACTERS, max_size=200),
                      st.builds(lambda depth, flow: dump(nested(depth), flow), st.integers(0, 30),
                                st.sampled_from([False, None, True])),
                      st.builds(lambda data: dump(data, None), st.dictionaries(texts, values, max_size=6))),
       limit=st.integers(1, 12))
def test_the_depth_shortcut_agrees_with_the_full_scan(text, limit):
    """too_deep skips its line-by-line scan when no bracket opens a collection with something in it and
    no line starts with a run of indent, dashes and keys near the limit: it must then find what the scan
    finds (nothing)."""
    from handbook import load

    assert load.too_deep(text, limit) == load._deepest_scan(text, limit)
