"""Wrong or unsafe input: the templates' example values, personal data without consent, and two
records that describe the same thing (handbook/safety.py)."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from fixture_cases import SCHEMAS, VALID
from handbook import safety
from handbook.content import load_content

# ---------------------------------------------------------------- whose address is it?

PERSONS = [
    "anna.svensson@kupan.test", "a.svensson@kupan.test", "anna@kupan.test", "Anna.Svensson@Kupan.test",
    "sven-erik.berg@kupan.test", "sven_erik@kupan.test", "karin_lund@kupan.test", "k.lund@kupan.test",
    "mohammed@kupan.test", "fatima.ali@kupan.test", "per.nilsson@kupan.test", "lisa.nilsson2@kupan.test",
    "annasvensson@kupan.test", "j.andersson@kupan.test", "åsa.öberg@kupan.test", "nils-olof.lindqvist@kupan.test",
    "e.lindstrom@kupan.test", "kalle@kupan.test", "fornamn.efternamn@kupan.test".replace("fornamn", "johan"),
]
ROLES = [
    "info@kupan.test", "kontakt@kupan.test", "butik@kupan.test", "reception@kupan.test", "växel@kupan.test",
    "vaxel@kupan.test", "admin@kupan.test", "post@kupan.test", "hej@kupan.test", "ekonomi@kupan.test",
    "handledare@kupan.test", "info.ostersund@kupan.test", "butiken.ange@kupan.test", "second.hand@kupan.test",
    "kyrkans-second-hand@kupan.test", "norra.hamnen@kupan.test", "ostersund@kupan.test", "kansli@kupan.test",
    "noreply@kupan.test", "anna.butik@kupan.test", "styrelsen@kupan.test", "kundtjanst@kupan.test",
    "lager-2@kupan.test", "x@kupan.test", "not an address", "",
]


@pytest.mark.parametrize("address", PERSONS)
def test_an_address_with_a_persons_name_is_personal(address):
    assert safety.is_personal_email(address)


@pytest.mark.parametrize("address", ROLES)
def test_a_role_address_is_not_personal(address):
    assert not safety.is_personal_email(address)


def test_an_address_that_is_not_text_is_not_personal():
    assert not safety.is_personal_email(7) and not safety.is_personal_email(None)


MOBILES = ["070-123 45 67", "0701234567", "072-555 66 77", "073 987 65 43", "076-111 22 33", "079-000 11 22",
           "+46 70 123 45 67", "+46701234567", "+46 (0)70-123 45 67", "0046 73 987 65 43", "(070) 123 45 67"]
SWITCHBOARDS = ["08-123 456 78", "063-12 34 56", "0690-123 45", "031-123 45 67", "0771-60 00 00", "0771-416 416",
                "020-22 11 00", "010-123 45 67", "+46 8 123 456 78", "0046 31 123 45 67", "075-123 45 67",
                "071-123 45 67", "0701-23", "2026-10-01", "802000-1234", "+45 70 12 34 56", "ja", "112"]


@pytest.mark.parametrize("number", MOBILES)
def test_a_swedish_mobile_number_is_a_persons(number):
    assert safety.is_mobile(number)


@pytest.mark.parametrize("number", SWITCHBOARDS)
def test_a_switchboard_or_a_number_that_is_no_phone_is_not_a_mobile(number):
    assert not safety.is_mobile(number)


def test_numbers_are_found_inside_text_but_dates_and_amounts_are_not():
    text = "Ring 063-12 34 56 eller 070-123 45 67 före 2026-10-01; det kostar 5 000 kr (org.nr 802000-1234)."
    assert [national for _written, national in safety.phone_numbers(text)] == ["063123456", "0701234567"]


def test_addresses_are_found_inside_markdown():
    text = "Skriv till [Anna](mailto:anna.svensson@kupan.test) eller info@kupan.test."
    assert safety.emails(text) == ["anna.svensson@kupan.test", "info@kupan.test"]


# ---------------------------------------------------------------- the templates' example values


def test_the_example_values_are_read_from_the_templates_themselves(tmp_path):
    folder = tmp_path / "data" / "organisationer"
    folder.mkdir(parents=True)
    (folder / "_template.yml").write_text(
        'name: "Exempelbutiken i Byn"\nscope: lokal\nwebsite: "https://exempel.test/"\nphone: "0123-45 67 89"\n'
        'description: {sv: "Skriv här vad ni gör i butiken."}\n', encoding="utf-8")
    found = safety.examples(tmp_path)
    assert "exempel.test" in found.hosts and "example.org" in found.hosts
    assert found.phones == {"0123456789": "0123-45 67 89"}
    assert sorted(found.texts.values()) == ["Exempelbutiken i Byn", "Skriv här vad ni gör i butiken."]


def test_vocabulary_values_of_a_template_are_not_examples():
    texts = safety.examples().texts
    for word in ("lokal", "ideell-organisation", "butik-och-forsaljning", "genomforande", "Östersund"):
        assert safety._plain(word) not in texts


def _tree(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(VALID, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    shutil.copytree(ROOT / "data" / "taxonomier", tree / "data" / "taxonomier", dirs_exist_ok=True)
    return tree


def _rules(result, path: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in result.problems:
        if item.path == path:
            found.setdefault(item.rule, []).append(item.field)
    return found


def test_an_unchanged_copy_of_the_organisation_template_is_refused(tmp_path):
    tree = _tree(tmp_path)
    shutil.copy(ROOT / "data" / "organisationer" / "_template.yml", tree / "data" / "organisationer" / "kopia.yml")
    rules = _rules(load_content(tree), "data/organisationer/kopia.yml")
    assert set(rules["placeholder-address"]) == {"website", "email", "sources[0].url"}
    assert rules["placeholder-phone"] == ["phone"]
    assert {"name", "description.sv", "accessibility.sv"} <= set(rules["placeholder-text"])


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT).as_posix() for p in safety.templates(ROOT)))
def test_an_unchanged_copy_of_every_template_is_refused(template, tmp_path):
    shown = template.replace("_template.yml", "kopia.yml")
    if shown.startswith("data/lan/"):
        shown = "data/lan/02.yml"  # a county file is named after its code
    tree = tmp_path / "tree"
    for folder in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / folder, tree / folder)
    shutil.copy(ROOT / template, tree / shown)
    rules = _rules(load_content(tree), shown)
    assert {r for r in rules if r.startswith("placeholder-")}, rules


def test_the_real_content_and_the_fixtures_hold_no_example_values():
    for root in (ROOT, VALID):
        result = load_content(root)
        assert [str(p) for p in result.problems if p.rule.startswith("placeholder-")] == []


# ---------------------------------------------------------------- personal data


def _organisation(**fields) -> str:
    lines = ['name: "Kupan i Ånge"', "type: ideell-organisation", "scope: nationell"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines + ["review_by: 2027-11-30"]) + "\n"


def _check(tmp_path, text: str, monkeypatch=None, today: str | None = None):
    tree = _tree(tmp_path)
    if monkeypatch is not None and today:
        monkeypatch.setenv("HANDBOOK_TODAY", today)
    (tree / "data" / "organisationer" / "kupan.yml").write_text(text, encoding="utf-8")
    return _rules(load_content(tree), "data/organisationer/kupan.yml")


def test_a_persons_address_with_consent_is_published(tmp_path):
    text = _organisation(description='{sv: "Fråga Karin: karin.lund@kupan.test."}',
                         contacts='\n  - {name: "Karin Lund", email: "Karin.Lund@kupan.test", consent: 2026-10-01}')
    assert _check(tmp_path, text) == {}


def test_a_persons_address_without_consent_is_refused_also_when_a_contact_holds_it(tmp_path):
    text = _organisation(description='{sv: "Fråga Karin: karin.lund@kupan.test."}',
                         contacts='\n  - {name: "Karin Lund", email: "karin.lund@kupan.test"}')
    assert _check(tmp_path, text) == {"personal-email": ["description.sv"], "consent": ["contacts[0].consent"]}


def test_a_mobile_number_needs_a_contact_with_consent(tmp_path):
    refused = _check(tmp_path, _organisation(phone='"070-123 45 67"'))
    assert refused == {"personal-phone": ["phone"]}
    allowed = _check(tmp_path / "b", _organisation(
        phone='"+46 70 123 45 67"', contacts='\n  - {name: "Karin Lund", phone: "070-123 45 67", consent: 2026-10-01}'))
    assert allowed == {}


def test_a_consent_date_in_the_future_is_refused_as_of_the_day_given(tmp_path, monkeypatch):
    text = _organisation(contacts='\n  - {name: "Karin Lund", consent: 2026-10-01}')
    assert _check(tmp_path / "a", text, monkeypatch, today="2026-10-01") == {}
    assert _check(tmp_path / "b", text, monkeypatch, today="2026-09-30") == {"consent-future": ["contacts[0].consent"]}


def test_today_is_the_real_day_unless_it_is_given(monkeypatch):
    import datetime

    monkeypatch.delenv("HANDBOOK_TODAY", raising=False)
    assert safety.today() == datetime.date.today()
    monkeypatch.setenv("HANDBOOK_TODAY", "2030-01-02")
    assert safety.today() == datetime.date(2030, 1, 2)


def test_records_of_unexpected_shape_do_not_stop_the_rules(tmp_path):
    text = _organisation(phone="701234567", email="[a, b]", contacts="[1, ja, [x], {name: 5, consent: 7}]",
                         description="{sv: 12}", memberships="{group: 3}")
    rules = _check(tmp_path, text)
    assert rules and not {r for r in rules if r.startswith(("personal", "placeholder", "consent-future"))}


# ---------------------------------------------------------------- the same thing twice


def test_two_organisations_with_one_name_are_refused_whatever_the_case_and_punctuation(tmp_path):
    tree = _tree(tmp_path)
    (tree / "data" / "organisationer" / "riks.yml").write_text(
        'name: " riks-FÖRBUNDET! "\ntype: ideell-organisation\nscope: nationell\nreview_by: 2027-11-30\n', encoding="utf-8")
    result = load_content(tree)
    found = sorted((p.path, p.message) for p in result.problems)
    assert [path for path, _ in found] == ["data/organisationer/riks.yml", "data/organisationer/riksforbundet.yml"]
    assert "data/organisationer/riksforbundet.yml" in found[0][1] and "data/organisationer/riks.yml" in found[1][1]
    assert all("kopierat" in message for _, message in found)


def test_titles_repeat_freely_in_different_parents_and_for_activities(tmp_path):
    tree = _tree(tmp_path)
    package = (tree / "data/arbetspaket/paket/prov-paket-a.yml").read_text(encoding="utf-8")
    (tree / "data/arbetspaket/paket/prov-paket-b.yml").write_text(
        package.replace("project: provgenomforande", "project: provprojekt").replace("number: 1", "number: 2"), encoding="utf-8")
    activity = (tree / "data/arbetspaket/aktiviteter/prov-02.yml").read_text(encoding="utf-8")
    (tree / "data/arbetspaket/aktiviteter/prov-09.yml").write_text(activity.replace("order: 2", "order: 9"), encoding="utf-8")
    assert [str(p) for p in load_content(tree).errors] == []


def test_the_parent_of_each_kind_is_read_from_the_schemas():
    from handbook.kinds import load_kinds

    kinds = load_kinds(SCHEMAS)
    parents = {name: safety.parent_field(kind) for name, kind in kinds.items()}
    assert parents["criterion"] == "area" and parents["package"] == "project" and parents["activity"] == "project"
    assert parents["organisation"] is None and parents["module"] is None and parents["area"] is None



@pytest.mark.parametrize("number, ok", [
    ("556016-0680", True), ("212000-0142", True), ("802000-1239", True), ("802400-0005", True),
    ("556016-0681", False), ("802000-1234", False), ("802400-0006", False), ("802400-000", False),
])
def test_an_organisation_number_checks_its_last_digit(number, ok):
    from handbook.safety import org_number_ok

    assert org_number_ok(number) is ok
