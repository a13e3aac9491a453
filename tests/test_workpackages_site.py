"""The work-package pages in the built site: addresses, derived tables, links, escaping, and a second project."""
from __future__ import annotations

import csv
import html
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_build
from handbook.areas import workpackages as wp
from handbook.content import load_content

NBSP = "\u00a0"


class Tables(HTMLParser):
    """Every table of a page: caption, and rows of (tag, attributes, text) cells, tbody and tfoot alike."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "class": dict(attrs).get("class", "")})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = [tag, dict(attrs), ""]
            self.tables[-1]["rows"][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th"):
            if self._cell:
                self._cell[2] = re.sub(r"[ \t\r\n]+", " ", self._cell[2]).strip()  # keeps no-break spaces
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell[2] += data


def tables(page: str) -> list[dict]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def table(page: str, caption_start: str) -> dict:
    found = [t for t in tables(page) if t["caption"].startswith(caption_start)]
    assert len(found) == 1, [t["caption"] for t in tables(page)]
    return found[0]


def read(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def handbook():
    return load_content(ROOT).handbook


# Addresses


def test_every_promised_page_exists(real_site, handbook):
    for url in ("arbetspaket/", "arbetspaket/tidsplan/", "arbetspaket/budget/"):
        assert (real_site / url / "index.html").is_file(), url
    for package in handbook.all("package"):
        assert (real_site / "arbetspaket" / package.id / "index.html").is_file(), package.id
    for project in wp.projects(handbook):
        assert (real_site / wp.csv_path(project)).is_file()


def test_index_lists_every_package_with_its_cost(real_site, handbook):
    page = read(real_site, "arbetspaket/")
    packages = table(page, "Arbetspaketen i ")
    body = [r for r in packages["rows"][1:]]
    names = [r[0][2] for r in body]
    expected = [f"{wp.package_label(p)} {p.text('summary')}" for p in wp.packages_of(handbook, "forstudie")] + [
        f"{wp.WHOLE_GROUP} Aktiviteter som inte hör till ett visst paket (10 st).", "Totalt"]
    assert names == expected
    assert [r[1][2] for r in body[:5]] == ["Planerad"] * 5
    assert [r[-1][2] for r in body] == [f"12{NBSP}500{NBSP}kr"] * 3 + [f"10{NBSP}000{NBSP}kr", f"1{NBSP}000{NBSP}kr",
                                                                      f"35{NBSP}000{NBSP}kr", f"83{NBSP}500{NBSP}kr"]
    for package in wp.packages_of(handbook, "forstudie"):
        assert f'href="{package.id}/"' in page


def test_index_shows_purpose_target_groups_and_principles(real_site):
    page = read(real_site, "arbetspaket/")
    for heading in ('id="forstudie"', 'id="forstudie-syfte"', 'id="forstudie-malgrupper"',
                    'id="forstudie-horisontella-principer"', 'id="forstudie-paket"', 'id="forstudie-utvecklingsgruppen"'):
        assert heading in page, heading
    for group in ("Långtidsarbetslösa", "Sjukskrivna", "Unga", "Personer med funktionsnedsättning", "Nyanlända"):
        assert f"<li>{group}</li>" in page
    assert "ESI-support" in page


def test_development_group_lists_the_organisations_with_roles_and_links(real_site, handbook):
    page = read(real_site, "arbetspaket/")
    members = re.search(r'<ul class="vi-members">(.*?)</ul>', page, re.S).group(1)
    links = re.findall(r'<a href="\.\./organisationer/([a-z0-9-]+)/">', members)
    assert len(links) == 14
    assert sorted(links) == sorted(o.id for o, _ in wp.group_members(handbook, "utvecklingsgruppen-second-hand"))
    assert "Sveriges Kommuner och Landsting</a>: Tillfrågad om att delta" in html.unescape(members)
    assert "mailto:" not in page and "@" not in members


# Package pages


def test_package_page_has_questions_deliverables_activities_partners_and_cost(real_site, handbook):
    package = handbook.get("package", "paket-1")
    page = read(real_site, "arbetspaket/paket-1/")
    assert "<h1" in page and "Paket 1: Verksamheter, arbetsintegration och roller" in page
    for question in package.get("questions"):
        assert html.escape(question["sv"], quote=True) in page
    for topic in package.get("deliverables")[0]["topics"]:
        assert f"<li>{html.escape(topic['sv'], quote=True)}</li>" in page
    items = table(page, "Poster: Beställning av rapporter från partner i paket 1")
    assert [[c[2] for c in r] for r in items["rows"][1:]] == [
        ["Översiktlig genomgång av hur arbetsintegrerande verksamheter – med second hand som exempel – drivs i dag",
         "5.000", f"5{NBSP}000{NBSP}kr"],
        ["Utmaningar och förbättringsförslag när det gäller arbetsintegration", "2.500", f"2{NBSP}500{NBSP}kr"],
        ["Utmaningar och förbättringsförslag för kvalitetssäkring", "2.500", f"2{NBSP}500{NBSP}kr"],
        ["Utmaningar och förbättringsförslag om roller och struktur", "2.500", f"2{NBSP}500{NBSP}kr"],
        ["Summa", "", f"12{NBSP}500{NBSP}kr"],
    ]
    assert f"kostar <strong>12{NBSP}500{NBSP}kr</strong>" in page
    assert "Underlaget anger inte vilka partner som ansvarar för paketet." in page
    assert len(re.findall(r'href="\.\./\.\./organisationer/[a-z0-9-]+/"', page)) == 14
    assert 'href="../#forstudie-utvecklingsgruppen"' in page
    assert 'href="../budget/#forstudie"' in page and 'href="../tidsplan/#forstudie"' in page


def test_every_scrolling_table_of_a_package_has_a_name_of_its_own(real_site, handbook):
    """Two activities may share a title (two check-ins with the same group): their tables' regions are
    told apart by the period (a landmark's name must be unique on its page)."""
    for package in handbook.all("package"):
        if package.id in wp.RESERVED:
            continue
        page = read(real_site, f"arbetspaket/{package.id}/")
        names = re.findall(r'<section class="vi-scroll vi-region" aria-label="([^"]+)"', page)
        assert len(names) == len(set(names)), package.id


def test_package_without_deliverables_says_so(real_site):
    page = read(real_site, "arbetspaket/paket-5/")
    assert "Underlaget anger inga rapporter eller andra leveranser för det här paketet." in page
    assert page.count('class="vi-activity"') == 2


# Timeline


def test_timeline_is_a_table_of_months_by_packages(real_site, handbook):
    page = read(real_site, "arbetspaket/tidsplan/")
    timeline = table(page, "Tidsplan mars–augusti")
    head = timeline["rows"][0]
    assert [(c[0], c[1].get("scope"), c[2]) for c in head] == [
        ("th", "col", "Paket"), ("th", "col", "Mars"), ("th", "col", "April"), ("th", "col", "Maj"),
        ("th", "col", "Juni"), ("th", "col", "Juli"), ("th", "col", "Augusti"), ("th", "col", "Kostnad")]
    body = timeline["rows"][1:]
    assert [(r[0][0], r[0][1].get("scope")) for r in body] == [("th", "row")] * 6
    assert [r[0][2] for r in body] == [wp.package_label(p) for p in wp.packages_of(handbook, "forstudie")] + [
        "Hela arbetsgruppen (aktiviteter som inte hör till ett paket)"]
    # Every cell says something in words: an activity, or "Inget planerat".
    for row in body:
        for cell in row[1:]:
            assert cell[2].strip(), row[0][2]
    assert body[0][1][2].startswith("Rapporter: Beställning av rapporter")
    assert body[0][2][2] == "–Inget planerat"
    assert [r[5][2] for r in body] == ["–Inget planerat"] * 6  # juli


def test_an_activity_over_two_months_shows_in_both_with_its_span(real_site):
    page = read(real_site, "arbetspaket/tidsplan/")
    group_row = table(page, "Tidsplan mars–augusti")["rows"][-1]
    may, june = group_row[3][2], group_row[4][2]
    for cell in (may, june):
        assert "Teknikstöd: Teknikstöd under skrivandet (maj–juni)" in cell
        assert "Skrivande: Arbetsgruppen skriver redovisningsunderlaget inför en genomförandeansökan (maj–juni)" in cell
    assert "handboken delar inte upp den per månad" in page


def test_timeline_prints_landscape(real_site):
    css = (real_site / "assets" / "workpackages.css").read_text()
    assert re.search(r"@page vi-landscape\s*\{\s*size: A4 landscape;", css)
    assert re.search(r"body:not\(\.vi-pdf-document\):has\(\.vi-timeline\)[^{]*\{ page: vi-landscape; \}", css)
    assert "assets/workpackages.css" in read(real_site, "arbetspaket/tidsplan/")


# Budget


def test_budget_shows_the_mismatch_in_words_with_both_figures(real_site):
    page = read(real_site, "arbetspaket/budget/")
    notice = re.search(r'<div class="vi-mismatch" role="note">(.*?)</div>', page, re.S).group(1)
    assert "Obs! Summorna stämmer inte." in notice
    assert f"Underlaget anger en total kostnad på 86{NBSP}000{NBSP}kr." in notice
    assert f"posterna blir tillsammans 83{NBSP}500{NBSP}kr" in notice
    assert f"2{NBSP}500{NBSP}kr mer än summan av posterna" in notice
    totals = table(page, "Total kostnad: räknad och angiven")
    assert [[c[2] for c in r] for r in totals["rows"][1:]] == [
        ["Summan av alla poster", f"83{NBSP}500{NBSP}kr"],
        ["Total kostnad enligt underlaget (tryckt som 86.000)", f"86{NBSP}000{NBSP}kr"],
        ["Skillnad", f"2{NBSP}500{NBSP}kr"]]


def test_budget_per_package_month_and_kind_add_up(real_site, handbook):
    page = read(real_site, "arbetspaket/budget/")
    per_month = table(page, "Kostnad per månad")
    assert [[c[2] for c in r] for r in per_month["rows"][1:]] == [
        ["Mars", "5", f"51{NBSP}500{NBSP}kr"], ["April", "3", f"11{NBSP}500{NBSP}kr"], ["Maj", "2", f"2{NBSP}000{NBSP}kr"],
        ["Maj–juni", "2", f"4{NBSP}000{NBSP}kr"], ["Juni", "2", f"1{NBSP}500{NBSP}kr"], ["Juli", "0", f"0{NBSP}kr"],
        ["Augusti", "2", f"13{NBSP}000{NBSP}kr"], ["Totalt", "16", f"83{NBSP}500{NBSP}kr"]]
    per_kind = {r[0][2]: r[2][2] for r in table(page, "Kostnad per typ av aktivitet")["rows"][1:]}
    assert per_kind == {"Möte per telefon": f"8{NBSP}000{NBSP}kr", "Fysiskt möte": f"20{NBSP}000{NBSP}kr",
                        "Rapporter": f"47{NBSP}500{NBSP}kr", "Avstämning": f"1{NBSP}000{NBSP}kr",
                        "Skrivande": f"0{NBSP}kr", "Teknikstöd": f"4{NBSP}000{NBSP}kr",
                        "Granskning": f"3{NBSP}000{NBSP}kr", "Totalt": f"83{NBSP}500{NBSP}kr"}
    matrix = table(page, "Kostnad per paket och månad, i kronor")
    assert [c[2] for c in matrix["rows"][0]] == ["Paket", "Mars", "April", "Maj", "Maj–juni", "Juni", "Juli", "Augusti", "Totalt"]
    assert [c[2] for c in matrix["rows"][-1]] == ["Totalt", f"51{NBSP}500", f"11{NBSP}500", f"2{NBSP}000", f"4{NBSP}000",
                                                 f"1{NBSP}500", f"0", f"13{NBSP}000", f"83{NBSP}500"]
    assert "Därför har perioden en egen rad, i stället för att handboken gissar en fördelning." in page


def test_budget_chart_has_its_figures_as_text(real_site):
    page = read(real_site, "arbetspaket/budget/")
    charts = re.findall(r'<figure class="vi-wp-bars">(.*?)</figure>', page, re.S)
    assert len(charts) == 2
    assert "Samma siffror står i tabellen ovan." in charts[0]
    labels = re.findall(r'<span class="vi-wp-bar-label">(.*?)</span>', charts[0])
    values = re.findall(r'<span class="vi-wp-bar-value">(.*?)</span>', charts[0])
    assert labels[-1] == "Hela arbetsgruppen" and values[-1] == f"35{NBSP}000{NBSP}kr"
    assert 'aria-hidden="true"' in charts[0]  # the bar itself repeats the figure
    assert "<script" not in charts[0]


def test_budget_lists_every_line_item_and_links_the_csv(real_site, handbook):
    page = read(real_site, "arbetspaket/budget/")
    items = table(page, "Alla 27 poster")
    groups = [r[0][2] for r in items["rows"] if r[0][1].get("scope") == "rowgroup"]
    assert len(groups) == 16 and groups[0].startswith("Mars · Hela arbetsgruppen · Arbetsgruppsmöte per telefon")
    assert items["rows"][-1][-1][2] == f"83{NBSP}500{NBSP}kr"
    assert 'href="forstudie-poster.csv" download' in page


def test_csv_of_line_items_sums_to_the_computed_total(real_site):
    data = (real_site / "arbetspaket" / "budget" / "forstudie-poster.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 28  # 27 line items, and one row for the activity without a cost
    assert sum(int(r["belopp_kr"]) for r in rows if r["belopp_kr"]) == 83500
    assert [r["belopp_i_underlaget"] for r in rows[:2]] == ["1.000", "3.000"]
    assert rows[10]["aktivitet"] == "forstudie-04-rapporter-paket-3"


# A second project, and escaping, in a tiny site built from the valid fixtures

MKDOCS = """site_name: Prov
docs_dir: docs
strict: true
theme:
  name: material
  language: sv
  font: false
extra_css:
  - assets/workpackages.css
hooks:
  - hooks/handbook_site.py
plugins:
  - macros:
      module_name: macros
      render_by_default: false
      on_error_fail: true
      on_undefined: strict
markdown_extensions:
  - attr_list
  - md_in_html
  - toc
nav:
  - Start: index.md
  - Bidra: bidra/index.md
  - Arbetspaket:
      - arbetspaket/index.md
      - Tidsplan: arbetspaket/tidsplan.md
      - Budget: arbetspaket/budget.md
"""


@pytest.fixture(scope="module")
def two_projects(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("workpackages")
    docs = base / "docs"
    shutil.copytree(ROOT / "docs" / "arbetspaket", docs / "arbetspaket")
    (docs / "assets").mkdir()
    shutil.copy(ROOT / "docs" / "assets" / "workpackages.css", docs / "assets")
    (docs / "index.md").write_text("# Prov\n", encoding="utf-8")
    (docs / "bidra").mkdir()
    (docs / "bidra" / "index.md").write_text("# Bidra\n", encoding="utf-8")  # the section links here
    (base / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    project = make_project(base / "project", Path(__file__).parent / "fixtures" / "valid", docs, base / "mkdocs.yml")
    result = run_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_each_project_gets_its_own_sections_pages_and_csv(two_projects):
    index = read(two_projects, "arbetspaket/")
    assert 'id="provprojekt"' in index and 'id="provgenomforande"' in index
    assert index.index('id="provprojekt"') < index.index('id="provgenomforande"')  # the pre-study first
    for url in ("arbetspaket/tidsplan/", "arbetspaket/budget/"):
        page = read(two_projects, url)
        assert 'id="provprojekt"' in page and 'id="provgenomforande"' in page, url
    timeline = read(two_projects, "arbetspaket/tidsplan/")
    assert [t["caption"] for t in tables(timeline)] == ["Tidsplan mars–maj: vad som händer varje månad, per paket",
                                                        "Tidsplan september–oktober: vad som händer varje månad, per paket"]
    assert (two_projects / "arbetspaket" / "prov-paket-a" / "index.html").is_file()
    assert (two_projects / "arbetspaket" / "budget" / "provgenomforande-poster.csv").is_file()
    budget = read(two_projects, "arbetspaket/budget/")
    assert f"Summan av posterna, 1{NBSP}500{NBSP}kr, stämmer med den totala kostnad som underlaget anger." in budget
    assert f"Underlaget anger ingen total kostnad. Summan av posterna är 2{NBSP}000{NBSP}kr." in budget
    assert 'class="vi-mismatch"' not in budget


def test_data_is_escaped_everywhere(two_projects):
    index = read(two_projects, "arbetspaket/")
    assert "Provprojekt &lt;i&gt;förstudie&lt;/i&gt; &amp; co" in index
    assert "<i>förstudie</i>" not in index
    assert "<script>alert(1)</script>" not in index
    assert "<strong>pröva</strong>" in index  # Markdown in purpose is rendered, then sanitised
    package = read(two_projects, "arbetspaket/prov-paket-1/")
    assert "<title>Paket 1: Paket &lt;b&gt;ett&lt;/b&gt; - Prov</title>" in package  # the theme prints titles raw
    assert "Paket &lt;b&gt;ett&lt;/b&gt;</h1>" in package and "<b>ett</b>" not in package
    assert "{{ 7*7 }}" in package and "49" not in package
