"""The message catalogues: every key the code uses is in both languages with the same placeholders,
no English reaches a partner, and English stays one option away for maintainers."""
from __future__ import annotations

import ast
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from fixture_cases import SCHEMAS, cases, tree_with
from handbook import messages
from handbook.check import _TYPES
from handbook.content import load_content
from handbook.kinds import load_kinds
from handbook.load import _SYNTAX_WORDS
from handbook.problems import report

CODE = sorted((ROOT / "handbook").rglob("*.py")) + sorted((ROOT / "hooks").glob("*.py"))
SV, EN = messages.catalogue("sv"), messages.catalogue("en")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _first_string(args: list, index: int):
    if len(args) > index and isinstance(args[index], ast.Constant) and isinstance(args[index].value, str):
        return args[index].value
    return None


def keys_used_in_code() -> set[str]:
    """The catalogue keys the code names: the first argument of message/count/has/template, the rule of
    problem(...) and of the schema and loader helpers, and every dotted string in a namespace of the
    catalogue (keys kept in tables, such as RESERVED_IDS). Keys made at run time are added from the
    things they are made of: the JSON Schema types, the kinds, the YAML syntax words, the schema keywords."""
    namespaces = {key.split(".")[0] for key in {**SV, **EN} if "." in key}
    used: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        counted = set()  # the prefixes given to messages.count: not keys themselves
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                owner = getattr(getattr(node.func, "value", None), "id", None)
                if name in ("message", "has", "template"):
                    key = _first_string(node.args, 0)
                    used |= {key} if key else set()
                elif name == "count" and (owner == "messages" or path.name == "messages.py") and _first_string(node.args, 0):
                    counted.add(id(node.args[0]))
                    used |= {_first_string(node.args, 0) + ".one", _first_string(node.args, 0) + ".other"}
                elif name == "problem" and _first_string(node.args, 4):
                    used.add(_first_string(node.args, 4))
                elif name == "at" and _first_string(node.args, 0):
                    used.add(_first_string(node.args, 0))
                elif name == "report" and _first_string(node.args, 2):
                    used.add(_first_string(node.args, 2))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in counted:
                if re.fullmatch(r"[a-z][a-z0-9-]*(\.[A-Za-z0-9-]+)+", node.value) and node.value.split(".")[0] in namespaces:
                    used.add(node.value)
    used |= {f"type-word.{t}" for t in _TYPES}
    used |= {f"yaml.{name}" for _, name in _SYNTAX_WORDS} | {"yaml.tab", "yaml.bad-start", "yaml.bad-character", "yaml.other"}
    for kind in load_kinds(SCHEMAS).values():
        used |= {f"kind.{kind.name}", f"target.{kind.name}", f"count.kind.{kind.name}.one", f"count.kind.{kind.name}.other"}
    used |= {f"schema.{k}" for k in ("minLength", "maxLength", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                     "minProperties", "maxProperties", "const", "format", "one-of", "other")}
    return used


USED = keys_used_in_code()


def test_the_key_collection_finds_the_keys_of_every_kind_of_call():
    # A rule, a fragment by message(), a counted phrase, a key kept in a table, a key made at run time.
    assert {"enum", "describe.none", "count.file.one", "count.file.other", "reserved.org.lan", "page.budget",
            "kind.county", "yaml.missing-colon", "cli.content-ok", "build.problems"} <= USED


def test_every_key_used_in_code_is_in_both_catalogues():
    assert sorted(USED - set(SV)) == [], "missing in handbook/locale/sv/LC_MESSAGES/problems.po"
    assert sorted(USED - set(EN)) == [], "missing in handbook/locale/en/LC_MESSAGES/problems.po"


def test_both_catalogues_have_the_same_keys_and_placeholders():
    assert set(SV) == set(EN)
    differ = {key: (sorted(_placeholders(EN[key])), sorted(_placeholders(SV[key])))
              for key in EN if _placeholders(EN[key]) != _placeholders(SV.get(key, ""))}
    assert differ == {}


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_every_template_formats(lang):
    table = messages.catalogue(lang)
    for key, template in table.items():
        template.format(**{name: "x" for name in _placeholders(template)})  # a stray brace raises here


# In Swedish, no English word reaches a partner: every fixture case, and the summary under it.
ENGLISH = (" must ", " got ", " the ", " expected ", " write ", "did you mean", " is ", " with ", " cannot ",
           " should ", " missing", " problems in ", " warning")
CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_english_in_the_swedish_messages(case, tmp_path):
    result = load_content(tree_with(case, tmp_path / "tree"))
    text = report(result.problems)
    assert text
    english = [(word, line) for line in text.splitlines() for word in ENGLISH if word in f" {line.lower()} "]
    assert english == []


def test_the_swedish_plural_forms_of_the_summary(tmp_path):
    from handbook.problems import Problem, summary

    def problems(errors: int, files: int, warnings: int) -> list:
        found = [Problem(f"f{i % files}.yml", 1, 1, "x", "enum", "m") for i in range(errors)]
        return found + [Problem("w.yml", 1, 1, "x", "warning", "m", warning=True) for _ in range(warnings)]

    assert summary(problems(1, 1, 0)) == "1 problem i 1 fil"
    assert summary(problems(3, 2, 0)) == "3 problem i 2 filer"
    assert summary(problems(2, 1, 1)) == "2 problem i 1 fil, 1 varning"
    assert summary(problems(0, 1, 2)) == "inga problem, 2 varningar"
    assert summary([]) == ""


# English for maintainers: `--lang en` and HANDBOOK_LANG=en, the exact English text.
ENGLISH_CASES = {
    "enum/scope": ['data/organisationer/butiken.yml:4:8: scope: must be one of: nationell, regional or lokal; got "national" '
                   "(did you mean `nationell`?)"],
    "type/county-as-number": ["data/organisationer/butiken.yml:5:9: county: must be text or empty; got 23 (a whole number): "
                             "put it in quotes"],
    "id-file/county-name": ['data/lan/jamtland.yml:1:1: (file): the file name `jamtland` is not a valid id; a county (län) '
                            'file is named after a two-digit länskod such as "01" or "23"'],
}


def _run(case_name: str, tmp_path: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
    case = next(c for c in CASES if c.name == case_name)
    tree = tree_with(case, tmp_path / case.rule / case.path.stem)
    return subprocess.run([sys.executable, "-m", "handbook", *args[:-1], "--root", str(tree), args[-1]], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True)


@pytest.mark.parametrize("how", ["--lang en", "HANDBOOK_LANG=en"])
def test_english_for_maintainers(how, tmp_path):
    args, env = (["--lang", "en", "validate"], {}) if how == "--lang en" else (["validate"], {"HANDBOOK_LANG": "en"})
    for name, expected in ENGLISH_CASES.items():
        result = _run(name, tmp_path / how.replace(" ", "-"), args, env)
        assert result.returncode == 1
        assert result.stderr.splitlines() == expected + ["1 problem in 1 file"]


def test_swedish_is_the_default_and_wins_over_nothing_else(tmp_path):
    result = _run("enum/scope", tmp_path, ["validate"], {"HANDBOOK_LANG": ""})
    assert result.stderr.splitlines()[-1] == "1 problem i 1 fil"
    result = _run("enum/scope", tmp_path / "sv", ["--lang", "sv", "validate"], {"HANDBOOK_LANG": "en"})
    assert result.stderr.splitlines()[-1] == "1 problem i 1 fil"


def test_schema_keywords_without_a_rule_of_their_own_are_told_in_swedish():
    from types import SimpleNamespace

    from jsonschema import Draft202012Validator

    from handbook.check import _schema_words

    kind = SimpleNamespace(schema_file="organisation.schema.json")
    schema = {"properties": {"a": {"maxLength": 3}, "b": {"const": "ja"}, "c": {"multipleOf": 5}, "d": {"maximum": 9}}}
    errors = sorted(Draft202012Validator(schema).iter_errors({"a": "abcd", "b": "nej", "c": 7, "d": 10}), key=lambda e: e.path[0])
    said = [_schema_words(e.validator, e.validator_value, e.instance, kind) for e in errors]
    assert said == [
        'får vara högst 3 tecken lång, men här står "abcd"',
        'ska vara "ja", men här står "nej"',
        "följer inte regeln `multipleOf` i schemas/organisation.schema.json; jämför värdet med beskrivningen av fältet där",
        "får vara högst 9, men här står 10 (ett heltal)",
    ]
    assert not any(e.message in text for e, text in zip(errors, said))  # jsonschema's English stays out
