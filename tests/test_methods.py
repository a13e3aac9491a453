"""The methods area: its checks (exact messages), its named queries and its escaping."""
from __future__ import annotations

import shutil

import pytest

from fixture_cases import SCHEMAS, VALID
from handbook.areas import methods as lib
from handbook.content import load_content
from handbook.model import Handbook, Record

METHOD = """title: {{sv: "Sortering"}}
kind: metod
summary: {{sv: "Sortera varor."}}
what_and_why: {{sv: "Sortering."}}
target_groups: [unga]
actors: [civilsamhallet]
steps:
  - title: {{sv: "Sortera"}}
    text: {{sv: "En låda i taget."}}
asks_of_organiser: {{sv: "Ett bord."}}
resources: {{sv: "En handledare."}}
{extra}sources:
  - {{title: "Källa A", url: "https://kallor.test/a"}}
review_by: 2027-11-30
"""


def check(tmp_path, name: str, extra: str = "") -> list[str]:
    tree = tmp_path / "tree"
    shutil.copytree(VALID, tree)
    shutil.copytree(SCHEMAS, tree / "schemas")
    (tree / "methods" / f"{name}.yml").write_text(METHOD.format(extra=extra), encoding="utf-8")
    return [str(p) for p in sorted(load_content(tree).problems)]


def test_a_complete_method_has_no_problems(tmp_path):
    extra = ('evidence:\n  - claim: {sv: "Något."}\n    source: {title: "Källa A", url: "https://kallor.test/a"}\n'
             'related: [provning]\n')
    assert check(tmp_path, "sortering", extra) == []


def test_an_evidence_source_missing_from_sources_is_reported_where_it_is_cited(tmp_path):
    extra = 'evidence:\n  - claim: {sv: "Något."}\n    source: {title: "Källa A", url: "https://kallor.test/b"}\n'
    assert check(tmp_path, "sortering", extra) == [
        'methods/sortering.yml:14:13: evidence[0].source: källan "Källa A" (https://kallor.test/b) finns inte '
        "i postens `sources`; lägg till den där med samma titel och länk",
    ]


def test_a_fidelity_source_missing_from_sources_is_reported(tmp_path):
    extra = ('fidelity:\n  title: {sv: "Självkoll"}\n  items:\n    - {sv: "Sorterar ni?"}\n'
             '  source: {title: "Källa B", url: "https://kallor.test/a"}\n')
    assert check(tmp_path, "sortering", extra) == [
        'methods/sortering.yml:16:11: fidelity.source: källan "Källa B" (https://kallor.test/a) finns inte i '
        "postens `sources`; lägg till den där med samma titel och länk",
    ]


def test_a_method_related_to_itself_is_reported(tmp_path):
    assert check(tmp_path, "sortering", "related: [sortering]\n") == [
        "methods/sortering.yml:12:11: related[0]: en metod kan inte vara relaterad till sig själv; ta bort "
        "`sortering` från `related`",
    ]


def test_a_method_may_not_take_the_crosswalk_page_name(tmp_path):
    assert check(tmp_path, "jamforelse") == [
        "methods/jamforelse.yml:1:1: (filen): `jamforelse` är namnet på en sida i metodbiblioteket "
        "(/metoder/jamforelse/); ge metoden ett annat filnamn",
    ]


# Named queries and pages on a handbook made in memory

def record(record_kind: str, record_id: str, **data) -> Record:
    return Record.of(record_kind, record_id, f"{record_kind}/{record_id}.yml", data)


def taxonomy(name: str, *ids: str) -> Record:
    return record("taxonomy", name, title={"sv": name}, terms=[{"id": i, "label": {"sv": i.upper()}} for i in ids])


@pytest.fixture()
def small():
    hostile = '<script>alert("x")</script> & "citat"'
    method = record("method", "sortering", title={"sv": hostile}, kind="metod", summary={"sv": hostile},
                    what_and_why={"sv": "Text <img src=x onerror=alert(1)> **fet**"}, target_groups=["unga"],
                    actors=["kommun"], steps=[{"title": {"sv": "Steg <b>ett</b>"}, "text": {"sv": hostile},
                                               "frameworks": {"euse": ["kartlaggning"]}}],
                    asks_of_organiser={"sv": "- punkt"}, resources={"sv": hostile},
                    evidence=[{"claim": {"sv": hostile}, "source": {"title": hostile, "url": "https://kallor.test/?a=1&b=2"}}],
                    sources=[{"title": hostile, "url": "https://kallor.test/?a=1&b=2"}], review_by="2027-11-30")
    other = record("method", "annan", title={"sv": "Annan"}, kind="verktyg", summary={"sv": "S"}, what_and_why={"sv": "W"},
                   target_groups=["unga"], actors=["kommun"], steps=[{"title": {"sv": "T"}, "text": {"sv": "X"}}],
                   asks_of_organiser={"sv": "A"}, resources={"sv": "R"}, sources=[], review_by="2027-11-30")
    area = record("area", "handledning", order=1, title={"sv": "Handledning"})
    criterion = record("criterion", "utsedd-handledare", area="handledning", order=2, title={"sv": "Utsedd <handledare>"},
                       helped_by={"modules": [], "methods": ["sortering"]}, frameworks={"euse": ["kartlaggning"]})
    unrelated = record("criterion", "annat", area="handledning", order=1, title={"sv": "Annat"},
                       helped_by={"modules": [], "methods": []})
    module = record("module", "handledarens-roll", order=1, title={"sv": "Handledarens roll"}, methods=["sortering", "annan"])
    records = {"method": {"sortering": method, "annan": other}, "area": {"handledning": area},
               "criterion": {"utsedd-handledare": criterion, "annat": unrelated},
               "module": {"handledarens-roll": module},
               "taxonomy": {t.id: t for t in (taxonomy("malgrupper", "unga"), taxonomy("aktorer", "kommun"),
                                              taxonomy("euse-steg", "kartlaggning"), taxonomy("ips-principer"),
                                              taxonomy("equass-principer"))}}
    return Handbook(records)


def test_related_modules_and_criteria_are_found_by_reverse_lookup(small):
    assert [c.id for c in lib.criteria_helped_by(small, "sortering")] == ["utsedd-handledare"]
    assert [m.id for m in lib.modules_teaching(small, "sortering")] == ["handledarens-roll"]
    assert lib.criteria_helped_by(small, "annan") == []
    assert [m.id for m in lib.methods_for_area(small, "handledning")] == ["sortering"]
    assert [(m.id, n) for m, n, _s in lib.steps_for_term(small, "euse", "kartlaggning")] == [("sortering", 1)]
    assert [c.id for c in lib.criteria_for_term(small, "euse", "kartlaggning")] == ["utsedd-handledare"]


def test_method_page_links_by_the_shared_url_conventions(small):
    page = lib.method_page(small, small.get("method", "sortering"))
    assert 'href="../../kvalitetsmodell/handledning/#utsedd-handledare"' in page
    assert 'href="../../handledarutbildning/handledarens-roll/"' in page
    assert 'href="../jamforelse/#euse-kartlaggning"' in page
    assert 'href="kort/"' in page


def test_every_data_string_is_escaped_on_every_page(small):
    pages = [lib.method_page(small, small.get("method", "sortering")), lib.card_page(small, small.get("method", "sortering")),
             lib.crosswalk_page(small), lib.method_library(small)]
    for page in pages:
        assert "<script>" not in page
        assert "<img" not in page
        assert "<handledare>" not in page
    method_page = pages[0]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot;" in method_page
    assert 'href="https://kallor.test/?a=1&amp;b=2"' in method_page
    assert "<strong>fet</strong>" in method_page  # Markdown fields are rendered, then sanitised
    # The theme puts front-matter values into <title>, the header and a meta attribute unescaped.
    assert method_page.splitlines()[1] == 'title: "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot;"'
    assert method_page.splitlines()[2].startswith('description: "&lt;script&gt;')


def test_the_cards_carry_the_filter_values_of_their_records(small):
    html = lib.method_library(small)
    assert 'data-malgrupp="unga" data-typ="metod" data-aktor="kommun"' in html
    assert 'data-typ="verktyg"' in html
    assert '<option value="verktyg">Verktyg</option>' in html
    assert '<option value="princip">' not in html  # only kinds that some method has
    assert 'data-total="2">2 metoder</p>' in html


def test_the_calculator_has_a_labelled_empty_input_per_category_and_actor():
    html = lib.calculator()
    for category, _label, _hint in lib.COST_CATEGORIES:
        for actor, _name in lib.COST_ACTORS:
            field = f"vi-calc-{category}-{actor}"
            assert f'<label for="{field}">' in html
            assert f'id="{field}" name="{category}-{actor}"' in html
    assert html.count("<input") == len(lib.COST_CATEGORIES) * len(lib.COST_ACTORS) == 24
    assert "value=" not in html  # no default amounts that pretend to be facts
    assert html.count("<fieldset") == html.count("<legend>") == 6
