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
        'data/x.yml:1:4: a: YAML läser `on` som ja/nej-värdet true; skriv "on" inom citattecken om du menar text, eller true/false om du menar ja eller nej',
        "data/x.yml:2:4: b: YAML läser `12.500` som decimaltalet 12.5; skriv heltal utan punkt eller mellanslag, som 12500",
        'data/x.yml:3:4: c: YAML läser `1:30:00` som talet 5400 (räknat i bas 60); skriv "1:30:00" inom citattecken om du menar en tid eller en text',
        'data/x.yml:4:4: d: YAML läser `0123` som talet 83 (en nolla först gör det till ett oktalt tal); skriv "0123" inom citattecken om du menar en kod, eller 123 om du menar talet',
    ]
    assert loaded.data == {"a": "on", "b": "12.500", "c": "1:30:00", "d": "0123"}


def test_ordinary_numbers_pass(tmp_path):
    loaded = load(tmp_path, "a: 5000\nb: 2.5\nc: 0\nd: -3\n")
    assert loaded.data == {"a": 5000, "b": 2.5, "c": 0, "d": -3}
    assert loaded.problems == []


def test_a_key_written_as_yes_is_caught(tmp_path):
    loaded = load(tmp_path, "yes: 1\n")
    assert messages(loaded) == [
        'data/x.yml:1:1: (filen): YAML läser `yes` som ja/nej-värdet true; skriv "yes" inom citattecken om du menar text, eller true/false om du menar ja eller nej',
    ]


def test_a_number_as_key_is_caught(tmp_path):
    loaded = load(tmp_path, "2027: a\n")
    assert messages(loaded) == ["data/x.yml:1:1: (filen): ett fältnamn ska vara text, men här står 2027 (ett heltal)"]


def test_duplicate_key_in_a_nested_group(tmp_path):
    loaded = load(tmp_path, "title:\n  sv: A\n  sv: B\n")
    assert messages(loaded) == [
        "data/x.yml:3:3: title.sv: fältet `sv` står två gånger (första gången på rad 2), och YAML skulle bara behålla det sista "
        "utan att säga något; ta bort ett av dem eller byt namn på det"
    ]
    assert loaded.data == {"title": {"sv": "A"}}


def test_empty_file(tmp_path):
    assert messages(load(tmp_path, "# only a comment\n")) == [
        "data/x.yml:1:1: (filen): filen ska innehålla en post, med fält skrivna som `namn: värde`, men filen är tom"
    ]


def test_two_documents_in_one_file(tmp_path):
    assert messages(load(tmp_path, "a: 1\n---\nb: 2\n")) == [
        "data/x.yml:2:1: (filen): filen går inte att läsa som YAML här; en andra post börjar på raden `---`; en fil har bara en post, "
        "så ta bort raden eller dela upp filen i två; titta också på raden före"
    ]


def test_byte_order_mark_is_accepted(tmp_path):
    loaded = load(tmp_path, b"\xef\xbb\xbfa: 1\n")
    assert loaded.data == {"a": 1} and loaded.problems == []


def test_invalid_utf8_names_line_and_column(tmp_path):
    assert messages(load(tmp_path, b"a: 1\nname: G\xf6teborg\n")) == [
        "data/x.yml:2:8: (filen): filen är inte sparad som UTF-8 (byte 0xf6 går inte att läsa); spara filen som UTF-8"
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
    assert len(problems) == 1 and problems[0].startswith("data/taxonomier/malgrupper.yml:2:1: (filen): filen går inte att läsa som YAML här")


def test_common_yaml_mistakes_are_told_in_swedish_with_their_place(tmp_path):
    said = {text: messages(load(tmp_path, text)) for text in ("a: @x\n", 'a: "x\\q"\n', "a: 'it''s\n", "a: b\n- c\n", "a: \x07\n")}
    assert said == {
        "a: @x\n": ["data/x.yml:1:4: (filen): filen går inte att läsa som YAML här; ett värde börjar med `@`, och det tillåter "
                    "inte YAML; sätt citattecken runt texten; titta också på raden före"],
        'a: "x\\q"\n': ["data/x.yml:1:7: (filen): filen går inte att läsa som YAML här; ett omvänt snedstreck (\\) inom dubbla "
                       "citattecken följs av ett tecken som YAML inte känner igen; sätt texten inom enkla citattecken '...' i "
                       "stället; titta också på raden före"],
        "a: 'it''s\n": ["data/x.yml:2:1: (filen): filen går inte att läsa som YAML här; filen tar slut inne i ett citat eller en "
                        "parentes som aldrig avslutas; titta också på raden före"],
        "a: b\n- c\n": ["data/x.yml:2:1: (filen): filen går inte att läsa som YAML här; raden passar inte ihop med raderna "
                         "ovanför: det kan saknas ett `:` eller ett citattecken i slutet, eller så är indraget fel; titta också "
                         "på raden före"],
        "a: \x07\n": ["data/x.yml:1:4: (filen): filen går inte att läsa som YAML här; filen innehåller ett tecken som YAML inte "
                       "tillåter (#x0007); ta bort det; titta också på raden före"],
    }
