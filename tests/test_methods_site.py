"""The methods library in the real site: pages at the promised URLs, derived listings, escaping."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from handbook.areas import methods as lib
from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def handbook():
    return load_content(ROOT).handbook


def read(site: Path, path: str) -> str:
    return (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def test_every_method_has_a_page_and_a_printable_card(real_site, handbook):
    for method in lib.methods(handbook):
        page = read(real_site, f"metoder/{method.id}/")
        card = read(real_site, f"metoder/{method.id}/kort/")
        title = html.escape(method.text("title"), quote=False)
        assert f"<h1" in page and title in page
        assert f"Metodkort: {title}" in card
        assert 'href="kort/"' in page
        assert 'href="../"' in card  # back to the full description


def test_the_index_lists_every_method_once_with_its_filter_values(real_site, handbook):
    page = read(real_site, "metoder/")
    cards = re.findall(r'<li class="vi-method-card" id="metod-([a-z0-9-]+)" data-malgrupp="([^"]*)" '
                       r'data-typ="([^"]*)" data-aktor="([^"]*)"', page)
    expected = [(m.id, " ".join(m.get("target_groups")), m.get("kind"), " ".join(m.get("actors")))
                for m in lib.methods(handbook)]
    assert cards == expected
    assert f'data-total="{len(expected)}">{len(expected)} metoder</p>' in page
    assert '<div class="vi-filter vi-no-print" id="vi-method-filter" role="search"' in page and " hidden>" in page
    for method in lib.methods(handbook):
        assert f'href="{method.id}/"' in page


def test_the_filter_offers_every_target_group_and_actor(real_site, handbook):
    page = read(real_site, "metoder/")
    for taxonomy, name in (("malgrupper", "malgrupp"), ("aktorer", "aktor")):
        select = re.search(rf'<select class="vi-input" id="vi-filter-{name}" name="{name}".*?</select>', page, re.S).group(0)
        assert re.findall(r'<option value="([^"]+)">', select) == [t.id for t in handbook.terms(taxonomy)]
    assert '<label for="vi-filter-typ">Typ</label>' in page


def test_a_method_page_shows_the_derived_criteria_and_modules(real_site, handbook):
    for method in lib.methods(handbook):
        page = read(real_site, f"metoder/{method.id}/")
        for criterion in lib.criteria_helped_by(handbook, method.id):
            assert f'href="../../kvalitetsmodell/{criterion.get("area")}/#{criterion.id}"' in page
        for module in lib.modules_teaching(handbook, method.id):
            assert f'href="../../handledarutbildning/{module.id}/"' in page
        for other in method.get("related", ()):
            assert f'href="../{other}/"' in page
        related = page.split('id="hanger-ihop-med"')[1]
        assert related.count("kvalitetsmodell/") == len(lib.criteria_helped_by(handbook, method.id))
        assert related.count("handledarutbildning/") == len(lib.modules_teaching(handbook, method.id))


def test_a_method_page_has_every_part_of_the_record(real_site, handbook):
    method = handbook.get("method", "ips")
    page = read(real_site, "metoder/ips/")
    for heading in ("Vad och varför", "Steg och principer", "Vad metoden kräver av er verksamhet", "Tid och personer",
                    "Vad vet vi?", "Hänger ihop med", "Källor"):
        assert f">{heading}</h2>" in page
    steps = page.split('<ol class="vi-steps">')[1].split("</ol>")[0]
    assert steps.count("<li><strong>") == len(method.get("steps"))
    assert page.count('<span class="vi-cite">Källa:') == len(method.get("evidence"))
    checklist = page.split('<ul class="vi-checklist">')[1].split("</ul>")[0]
    assert checklist.count("<li>") == len(method.get("fidelity")["items"])
    assert 'href="../jamforelse/#ips-snabb-jobbsokning"' in page


def test_the_crosswalk_has_a_real_table_per_framework_derived_from_the_records(real_site, handbook):
    page = read(real_site, "metoder/jamforelse/")
    assert page.count("<table") == 4
    assert page.count("<caption>") == 4 and page.count('<th scope="col">') >= 13
    for key, taxonomy, _heading in lib.FRAMEWORKS:
        for term in handbook.terms(taxonomy):
            assert f'id="{key}-{term.id}"' in page
            row = page.split(f'id="{key}-{term.id}"')[1].split("</tr>")[0]
            steps = lib.steps_for_term(handbook, key, term.id)
            assert row.count(": steg ") == len(steps), (key, term.id)
            for criterion in lib.criteria_for_term(handbook, key, term.id):
                assert f'kvalitetsmodell/{criterion.get("area")}/#{criterion.id}' in row
    for area in handbook.all("area"):
        row = page.split(f'id="omrade-{area.id}"')[1].split("</tr>")[0]
        for method in lib.methods_for_area(handbook, area.id):
            assert f'href="../{method.id}/"' in row
        assert row.count("#") >= len(lib.criteria_in_area(handbook, area.id))


def test_only_the_socio_economic_page_has_the_calculator(real_site, handbook):
    for method in lib.methods(handbook):
        page = read(real_site, f"metoder/{method.id}/")
        assert ('id="vi-calculator"' in page) == (method.id == lib.CALCULATOR_METHOD)
    page = read(real_site, f"metoder/{lib.CALCULATOR_METHOD}/")
    assert '<form class="vi-calc" id="vi-calculator" novalidate hidden>' in page
    assert "Så räknar du för hand" in page  # what a reader without JavaScript gets
    assert 'role="status" aria-live="polite">Totalt: 0 kr.</p>' in page
    assert re.search(r"<input[^>]*\svalue=", page) is None


def test_the_scripts_and_styles_come_from_the_site_itself(real_site):
    page = read(real_site, "metoder/")
    assert re.search(r'<script src="(\.\./)?assets/methods\.js', page)
    assert re.search(r'<link rel="stylesheet" href="(\.\./)?assets/methods\.css', page)
    assert "innerHTML" not in (real_site / "assets" / "methods.js").read_text(encoding="utf-8")
    assert re.search(r"https?://", (real_site / "assets" / "methods.js").read_text(encoding="utf-8")) is None


HOSTILE = """title: {sv: "<script>alert('x')</script> & Co"}
kind: princip
summary: {sv: "<b>fet</b> & \\"citat\\""}
what_and_why: {sv: "Text med <img src=x onerror=alert(1)> och **fetstil**."}
target_groups: [unga]
actors: [civilsamhallet]
steps:
  - title: {sv: "Steg <i>ett</i>"}
    text: {sv: "</li></ol><script>alert(2)</script>"}
asks_of_organiser: {sv: "[länk](javascript:alert(3))"}
resources: {sv: "{{ config }}"}
sources:
  - {title: "Källa <em>A</em>", url: "https://kallor.test/?a=1&b=2"}
review_by: 2027-11-30
"""


def test_hostile_text_in_a_record_is_escaped_in_a_built_site(tmp_path):
    from conftest import make_project, run_build
    from fixture_cases import VALID

    docs = tmp_path / "docs"
    (docs / "metoder").mkdir(parents=True)
    (docs / "index.md").write_text("# Start\n", encoding="utf-8")
    shutil.copy(ROOT / "docs" / "metoder" / "index.md", docs / "metoder" / "index.md")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0].replace("  - handbook\n", "")
    (tmp_path / "mkdocs.yml").write_text(config + "\nnav:\n  - Start: index.md\n  - Metoder: metoder/index.md\n", encoding="utf-8")
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    (content / "methods" / "farlig.yml").write_text(HOSTILE, encoding="utf-8")
    project = make_project(tmp_path / "project", content, docs, tmp_path / "mkdocs.yml")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    for path in ("metoder/", "metoder/farlig/", "metoder/farlig/kort/", "metoder/jamforelse/"):
        page = read(project / "site", path)
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page and "<b>fet</b>" not in page and "<i>ett</i>" not in page, path
        assert "javascript:" not in page, path
    page = read(project / "site", "metoder/farlig/")
    assert "<title>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co - " in page
    assert '<meta name="description" content="&lt;b&gt;fet&lt;/b&gt; &amp; &quot;citat&quot;">' in page
    assert "{{ config }}" in page  # data is never evaluated as a template
    assert "<strong>fetstil</strong>" in page
    cards = read(project / "site", "metoder/")
    assert 'data-typ="princip"' in cards and '<option value="princip">Princip</option>' in cards
