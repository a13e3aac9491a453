"""`load_cached` between edits: it reads and checks again only what an edit needs, and its answer is
always the one a fresh `load_content(root, addresses=False)` gives.

The property test runs sequences of edits on a copy of the profiles fixture tree (organisations,
profiles, criteria, taxonomies, counties): a field takes another record's value (a name, an
organisation number, a county, an area, a date...) or its first value back, YAML and schemas break
and are fixed, files are added, deleted and renamed, a taxonomy loses a term. After each edit the two
answers are compared. Half of the sequences give every write an mtime of its own in the past (the
stat decides), the other half write at the speed of the machine (several writes in one tick of the
file system's clock: the hash decides). Derandomised, no example database; about 10 s of processor
time."""
from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook import check, content

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "profiles" / "content"
SETTINGS = settings(deadline=None, derandomize=True, database=None, max_examples=30,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def answer(result) -> tuple:
    """Everything a caller can see of a result: the problems, and the records by kind and id with their
    data, in the order the handbook gives them."""
    handbook = result.handbook
    records = {kind: [(r.id, r.path, r.data) for r in handbook.all(kind)] for kind in handbook.kinds()}
    counties = [(c.code, c.letter, c.name) for c in handbook.counties()]
    return [dataclasses.astuple(p) for p in result.problems], records, counties, handbook.folders


def assert_same(root: Path) -> None:
    assert answer(content.load_cached(root)) == answer(content.load_content(root, addresses=False))


class Tree:
    """A copy of the fixture tree and the edits made to it."""

    def __init__(self, root: Path, old_times: bool):
        self.root = root
        shutil.copytree(FIXTURE, root)
        self.pristine = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in self.files()}
        self.old_times = old_times
        self.tick = 0

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.yml") if p.is_file())

    def pick(self, number: int, files: list[Path] | None = None) -> Path | None:
        files = self.files() if files is None else files
        return files[number % len(files)] if files else None

    def write(self, path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        self.stamp(path)

    def stamp(self, path: Path) -> None:
        if self.old_times:  # an mtime of its own for every write, years ago
            self.tick += 1
            moment = 10**18 + self.tick * 10**9
            os.utime(path, ns=(moment, moment))

    # The edits: each takes a number that picks the file and the value.

    def take_value(self, number: int) -> None:
        """A top-level field gets the value another file of the folder has for it, or its first value."""
        path = self.pick(number)
        data = _yaml(path)
        if not isinstance(data, dict) or not data:
            return
        key = sorted(data)[number // 7 % len(data)]
        others = [_yaml(p) for p in sorted(path.parent.glob("*.yml"))] + [yaml.safe_load(self.pristine.get(
            path.relative_to(self.root).as_posix(), "{}"))]
        values = [o[key] for o in others if isinstance(o, dict) and key in o]
        data[key] = values[number // 3 % len(values)] if values else "nytt värde"
        self.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    def break_yaml(self, number: int) -> None:
        path = self.pick(number)
        self.write(path, path.read_text(encoding="utf-8") + "\nfel: [inte stängd\n")

    def break_schema(self, number: int) -> None:
        path = self.pick(number)
        self.write(path, path.read_text(encoding="utf-8") + "\nokant_falt: 1\n")

    def fix(self, number: int) -> None:
        shown = sorted(self.pristine)[number % len(self.pristine)]
        (self.root / shown).parent.mkdir(parents=True, exist_ok=True)
        self.write(self.root / shown, self.pristine[shown])

    def add(self, number: int) -> None:
        path = self.pick(number)
        self.write(path.with_name(f"{path.stem}-kopia.yml"), path.read_text(encoding="utf-8"))

    def delete(self, number: int) -> None:
        path = self.pick(number)
        if path is not None:
            path.unlink()

    def rename(self, number: int) -> None:
        path = self.pick(number)
        if path is not None:
            path.rename(path.with_name(f"{path.stem}-nytt-namn.yml"))

    def drop_term(self, number: int) -> None:
        """A taxonomy loses a term: the records that use it have a broken reference."""
        path = self.pick(number, sorted((self.root / "data" / "taxonomier").glob("*.yml")))
        data = _yaml(path) if path else None
        if isinstance(data, dict) and isinstance(data.get("terms"), list) and data["terms"]:
            del data["terms"][number // 5 % len(data["terms"])]
            self.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    def edit_criterion(self, number: int) -> None:
        """A criterion is renamed or gets another area: profiles that rate it name an unknown criterion."""
        path = self.pick(number, sorted((self.root / "data" / "kvalitetsmodell" / "kriterier").glob("*.yml")))
        if path is None:
            return
        if number % 2:
            path.rename(path.with_name(f"{path.stem}-x.yml"))
        else:
            data = _yaml(path)
            if isinstance(data, dict):
                data["area"] = "samverkan" if data.get("area") != "samverkan" else "handledning"
                self.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


    def copy_profile(self, number: int) -> None:
        """A second profile of one organisation and day, under another name (a copied file)."""
        path = self.pick(number, sorted((self.root / "data" / "kvalitetsprofiler").glob("*.yml")))
        if path is not None:
            self.write(path.with_name(f"{path.stem}-{number % 3}.yml"), path.read_text(encoding="utf-8"))

    def redate_profile(self, number: int) -> None:
        """A profile's date moves a day (its file name is then wrong), or back (the first value)."""
        profiles = sorted((self.root / "data" / "kvalitetsprofiler").glob("*.yml"))
        copied = [p for p in profiles if any(o.stem.startswith(p.stem + "-") for o in profiles)]
        path = self.pick(number, copied or profiles)  # one that has a copy, when there is one
        data = _yaml(path) if path else None
        if isinstance(data, dict) and isinstance(data.get("date"), datetime.date):
            original = _yaml_text(self.pristine.get(path.relative_to(self.root).as_posix(), ""))
            first = original.get("date") if isinstance(original, dict) else None
            data["date"] = first if number % 2 and first else data["date"] + datetime.timedelta(days=1)
            self.write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _yaml_text(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None


EDITS = [Tree.take_value, Tree.take_value, Tree.break_yaml, Tree.break_schema, Tree.fix, Tree.fix, Tree.add,
         Tree.delete, Tree.rename, Tree.drop_term, Tree.edit_criterion, Tree.copy_profile, Tree.copy_profile,
         Tree.redate_profile, Tree.redate_profile]


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="incremental-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@SETTINGS
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10**6)), min_size=1, max_size=7),
       old_times=st.booleans())
def test_every_edit_gives_what_a_fresh_load_gives(scratch, edits, old_times):
    tree = Tree(Path(tempfile.mkdtemp(dir=scratch)) / "content", old_times)
    try:
        assert_same(tree.root)
        for edit, number in edits:
            edit(tree, number)
            assert_same(tree.root)
    finally:
        shutil.rmtree(tree.root.parent, ignore_errors=True)


def _old(root: Path) -> None:
    """Every file written long ago: the stat alone says a file did not change."""
    for path in root.rglob("*.yml"):
        os.utime(path, ns=(10**18, 10**18))


def _edit_name(path: Path, name: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["name"] = name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_unchanged_files_keep_their_records(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    first = content.load_cached(root).handbook
    edited = root / "data" / "organisationer" / "sortera-mera.yml"
    _edit_name(edited, "Sortera Mera Nu")
    second = content.load_cached(root).handbook
    assert second is not first
    assert second.get("organisation", "sortera-mera") is not first.get("organisation", "sortera-mera")
    assert second.get("organisation", "sortera-mera").get("name") == "Sortera Mera Nu"
    kept = [(kind, r.id) for kind in first.kinds() for r in first.all(kind) if (kind, r.id) != ("organisation", "sortera-mera")]
    assert len(kept) > 30
    assert all(second.get(kind, i) is first.get(kind, i) for kind, i in kept)
    # A file written again with the same bytes (a new mtime) is hashed, and keeps its record.
    profile = root / "data" / "kvalitetsprofiler" / "butiken-i-norrby-2025-06-10.yml"
    profile.write_bytes(profile.read_bytes())
    third = content.load_cached(root).handbook
    assert third.get("profile", "butiken-i-norrby-2025-06-10") is first.get("profile", "butiken-i-norrby-2025-06-10")


@pytest.fixture
def counted(monkeypatch):
    """Counts of `_read_one` calls (by file) and of rule calls (by record), through wrappers that keep
    the rules' names (RULE_READS knows them by name)."""
    reads: list[str] = []
    checked: list[tuple[str, str]] = []
    real_read = content._read_one

    def read_one(file, shown, kind):
        reads.append(shown)
        return real_read(file, shown, kind)

    def counting(rule):
        @functools.wraps(rule)
        def wrapper(handbook, record, loaded):
            checked.append((record.kind, record.id))
            return rule(handbook, record, loaded)
        return wrapper

    monkeypatch.setattr(content, "_read_one", read_one)
    for kind, rules in list(check.KIND_RULES.items()):
        monkeypatch.setitem(check.KIND_RULES, kind, [counting(r) for r in rules])
    return reads, checked


def test_an_edit_reads_and_checks_one_file_again(tmp_path, counted):
    reads, checked = counted
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    content.load_cached(root)
    files = len(list(root.rglob("*.yml")))
    assert len(reads) == files and len(set(checked)) > 30
    reads.clear(), checked.clear()

    _edit_name(root / "data" / "organisationer" / "sortera-mera.yml", "Sortera Mera Nu")
    content.load_cached(root)
    assert reads == ["data/organisationer/sortera-mera.yml"]
    assert set(checked) == {("organisation", "sortera-mera")}
    assert_same(root)
    reads.clear(), checked.clear()

    profile = root / "data" / "kvalitetsprofiler" / "verkstan-i-sta-2026-03-01.yml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("level: 2", "level: 3", 1), encoding="utf-8")
    content.load_cached(root)
    assert reads == ["data/kvalitetsprofiler/verkstan-i-sta-2026-03-01.yml"]
    assert set(checked) == {("profile", "verkstan-i-sta-2026-03-01")}
    reads.clear(), checked.clear()

    content.load_cached(root)  # nothing changed
    assert reads == [] and checked == []

    # A criterion is read by every profile's rules: they are all checked again, the organisations not.
    criterion = root / "data" / "kvalitetsmodell" / "kriterier" / "gemensam-plan.yml"
    criterion.rename(criterion.with_name("gemensam-planering.yml"))
    content.load_cached(root)
    assert reads == ["data/kvalitetsmodell/kriterier/gemensam-planering.yml"]
    profiles = {("profile", p.stem) for p in (root / "data" / "kvalitetsprofiler").glob("*.yml")}
    assert profiles <= set(checked) and not any(kind == "organisation" for kind, _ in checked)
    assert_same(root)


def test_a_shared_name_checks_both_organisations_again(tmp_path, counted):
    """The rules that compare a record with the few of its kind that share something (a name) check
    those again too: the organisation that now has a twin gets its problem."""
    reads, checked = counted
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    content.load_cached(root)
    checked.clear()
    twin = yaml.safe_load((root / "data" / "organisationer" / "verkstan-i-sta.yml").read_text(encoding="utf-8"))["name"]
    _edit_name(root / "data" / "organisationer" / "sortera-mera.yml", twin)
    result = content.load_cached(root)
    assert set(checked) == {("organisation", "sortera-mera"), ("organisation", "verkstan-i-sta")}
    assert {p.path for p in result.problems if p.rule == "duplicate-name"} == {
        "data/organisationer/sortera-mera.yml", "data/organisationer/verkstan-i-sta.yml"}
    assert_same(root)


def test_a_change_within_one_tick_of_the_clock_is_seen(tmp_path):
    """A file written again with other bytes of the same size, in the same tick of the file system's
    clock as the last load (the same mtime): the stat cannot tell, so a file changed lately is hashed."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    path = root / "data" / "organisationer" / "sortera-mera.yml"
    os.utime(path)  # written just now (copytree keeps the fixture's mtime)
    content.load_cached(root)
    before = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Sortera mera", "Sortera mara"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)
    assert content.load_cached(root).handbook.get("organisation", "sortera-mera").get("name") == "Sortera mara"
    assert_same(root)


def test_many_changes_are_read_and_checked_in_two_processes(tmp_path, monkeypatch, counted):
    """Above PARALLEL_FROM files (a first load, a checkout) the second process reads and checks every
    other one; below it, one process does: either way the answer is a fresh load's."""
    reads, checked = counted
    monkeypatch.setattr(content, "PARALLEL_FROM", 5)
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    content.load_cached(root)
    assert len(reads) < len(list(root.rglob("*.yml")))  # the other half was read in the second process
    assert_same(root)
    reads.clear()
    for path in sorted((root / "data" / "organisationer").glob("*.yml"))[:6]:
        _edit_name(path, f"Nytt namn för {path.stem}")
    content.load_cached(root)
    assert 0 < len(reads) < 6
    assert_same(root)
    reads.clear()
    _edit_name(root / "data" / "organisationer" / "sortera-mera.yml", "Sortera om")
    content.load_cached(root)
    assert reads == ["data/organisationer/sortera-mera.yml"]
    assert_same(root)


def test_a_file_written_back_as_it_was_gives_the_same_result(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    first = content.load_cached(root)
    path = root / "data" / "organisationer" / "sortera-mera.yml"
    path.write_bytes(path.read_bytes())  # a new mtime, the same bytes
    assert content.load_cached(root) is first
    _edit_name(path, "Sortera om")
    assert content.load_cached(root) is not first


def test_a_rule_that_is_not_described_is_taken_to_read_everything(tmp_path, monkeypatch):
    """A new rule missing from RULE_READS is safe: every record of its kind is checked again after any edit."""
    seen: list[str] = []

    def counties_named(handbook, record, loaded):
        seen.append(record.id)
        if record.get("county") and handbook.county(record.get("county")) and "Ny" in handbook.county(record.get("county")).label():
            yield check.problem(loaded.path, 1, 1, "", "schema", message="ny")

    monkeypatch.setitem(check.KIND_RULES, "organisation", check.KIND_RULES["organisation"] + [counties_named])
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    _old(root)
    content.load_cached(root)
    seen.clear()
    county = root / "data" / "lan" / "23.yml"
    county.write_text(county.read_text(encoding="utf-8").replace("sv: \"", "sv: \"Ny ", 1), encoding="utf-8")
    result = content.load_cached(root)
    assert sorted(seen) == sorted(p.stem for p in (root / "data" / "organisationer").glob("*.yml"))
    assert any(p.message == "ny" for p in result.problems)
    assert_same(root)


def test_the_rules_of_the_many_files_say_what_they_read():
    """Organisations and profiles are the many files (10 000 at national scale): a rule of theirs that
    RULE_READS does not know would check every one of them again after any edit."""
    rules = check.KIND_RULES.get("organisation", []) + check.KIND_RULES.get("profile", []) + check.KIND_RULES.get("*", [])
    unknown = [content._rule_name(r) for r in rules if content._rule_name(r) not in content.RULE_READS]
    assert unknown == [], f"add these rules to handbook.content.RULE_READS: {unknown}"
