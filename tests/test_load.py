"""The loader: places, duplicate keys, YAML 1.1 surprises, encodings. Exact messages."""
from __future__ import annotations

from handbook.load import field_path, load_file


def load(tmp_path, text: str | bytes):
    path = tmp_path / "x.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_file(path, "data/x.yml")


def messages(loaded) -> list[str]:
    return [str(p) for p in loaded.problems]


def test_values_keep_their_places(tmp_path):
    loaded = load(tmp_path, "title:\n  sv: Roller\nterms:\n  - id: a\n    label: {sv: A}\n")
    assert loaded.data == {"title": {"sv": "Roller"}, "terms": [{"id": "a", "label": {"sv": "A"}}]}
    assert loaded.place(("terms", 0, "label", "sv")) == (5, 17)
    assert loaded.place(("terms", 0, "id"), key=True) == (4, 5)
    assert loaded.place(("missing", "deeper")) == (1, 1)


def test_dates_stay_text_and_true_false_are_booleans(tmp_path):
    loaded = load(tmp_path, "review_by: 2027-11-30\nactive: true\nother: False\nempty:\n")
    assert loaded.data == {"review_by": "2027-11-30", "active": True, "other": False, "empty": None}
    assert loaded.problems == []


def test_quoted_values_are_text(tmp_path):
    loaded = load(tmp_path, 'a: "no"\nb: "5.000"\nc: "8:30"\nd: "010"\ne: \'yes\'\n')
    assert loaded.data == {"a": "no", "b": "5.000", "c": "8:30", "d": "010", "e": "yes"}
    assert loaded.problems == []


def test_every_yaml_surprise_is_a_problem_not_a_value(tmp_path):
    loaded = load(tmp_path, "a: on\nb: 12.500\nc: 1:30:00\nd: 0123\n")
    assert messages(loaded) == [
        'data/x.yml:1:4: a: `on` is read by YAML as the yes/no value true; write "on" in quotes if you meant text, or true/false for a yes/no value',
        "data/x.yml:2:4: b: `12.500` is read by YAML as the decimal number 12.5; write whole numbers without separators, such as 12500",
        'data/x.yml:3:4: c: `1:30:00` is read by YAML as the number 5400 (base 60); write "1:30:00" in quotes if you meant a time or text',
        'data/x.yml:4:4: d: `0123` is read by YAML as the number 83 (a leading zero makes it octal); write "0123" in quotes if you meant a code, or 123 for the number',
    ]
    assert loaded.data == {"a": "on", "b": "12.500", "c": "1:30:00", "d": "0123"}


def test_ordinary_numbers_pass(tmp_path):
    loaded = load(tmp_path, "a: 5000\nb: 2.5\nc: 0\nd: -3\n")
    assert loaded.data == {"a": 5000, "b": 2.5, "c": 0, "d": -3}
    assert loaded.problems == []


def test_a_key_written_as_yes_is_caught(tmp_path):
    loaded = load(tmp_path, "yes: 1\n")
    assert messages(loaded) == [
        'data/x.yml:1:1: (file): `yes` is read by YAML as the yes/no value true; write "yes" in quotes if you meant text, or true/false for a yes/no value',
    ]


def test_a_number_as_key_is_caught(tmp_path):
    loaded = load(tmp_path, "2027: a\n")
    assert messages(loaded) == ["data/x.yml:1:1: (file): field names must be text; got 2027 (a whole number)"]


def test_duplicate_key_in_a_nested_group(tmp_path):
    loaded = load(tmp_path, "title:\n  sv: A\n  sv: B\n")
    assert messages(loaded) == [
        "data/x.yml:3:3: title.sv: the field `sv` is written twice (first on line 2), and YAML would silently keep only the last one; remove or rename one of them"
    ]
    assert loaded.data == {"title": {"sv": "A"}}


def test_empty_file(tmp_path):
    assert messages(load(tmp_path, "# only a comment\n")) == [
        "data/x.yml:1:1: (file): the file must hold one record: fields written as `name: value`; got an empty file"
    ]


def test_two_documents_in_one_file(tmp_path):
    assert messages(load(tmp_path, "a: 1\n---\nb: 2\n")) == [
        "data/x.yml:2:1: (file): YAML syntax error: a second record starts at this `---` line; a file holds one record, so remove the line or split the file (the YAML reader says: but found another document); look at this line and the one before"
    ]


def test_byte_order_mark_is_accepted(tmp_path):
    loaded = load(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert loaded.data == {"a": 1} and loaded.problems == []


def test_invalid_utf8_names_line_and_column(tmp_path):
    assert messages(load(tmp_path, b"a: 1\nname: G\xf6teborg\n")) == [
        "data/x.yml:2:8: (file): the file is not valid UTF-8 (byte 0xf6 cannot be read); save the file as UTF-8"
    ]


def test_a_tab_inside_a_value_is_fine(tmp_path):
    loaded = load(tmp_path, 'a: "x\ty"\n')
    assert loaded.problems == [] and loaded.data == {"a": "x\ty"}


def test_field_path_format():
    assert field_path(("sources", 0, "url")) == "sources[0].url"
    assert field_path(()) == ""


def test_references_into_an_unreadable_list_are_not_reported_twice(tmp_path):
    import shutil

    from fixture_cases import SCHEMAS, VALID
    from handbook.content import load_content

    tree = tmp_path / "tree"
    shutil.copytree(VALID, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    (tree / "data" / "taxonomier" / "malgrupper.yml").write_text("title: [\n", encoding="utf-8")
    problems = [str(p) for p in load_content(tree).problems]
    assert len(problems) == 1 and problems[0].startswith("data/taxonomier/malgrupper.yml:2:1: (file): YAML syntax error")
