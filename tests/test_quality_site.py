"""The quality model in the built site: pages at the promised URLs, anchors, derived listings, escaping."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from handbook.areas import quality
from handbook.content import load_content
from handbook.model import Handbook, Record

HANDBOOK = load_content(ROOT).handbook
AREAS = HANDBOOK.all("area")


class Tags(HTMLParser):
    """Every start tag as (tag, attributes)."""

    def __init__(self, source: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.found if t == tag and all(a.get(k) == v for k, v in wanted.items())]


def read(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def main_part(page: str) -> str:
    return page[page.index('<article'):page.index("</article>")]


def test_overview_lists_every_area_and_criterion_with_its_anchor(real_site):
    page = main_part(read(real_site, "kvalitetsmodell"))
    hrefs = [a.get("href") for a in Tags(page).all("a")]
    for area in AREAS:
        assert f"{area.id}/" in hrefs
        for criterion in quality.criteria_of(HANDBOOK, area.id):
            assert f"{area.id}/#{criterion.id}" in hrefs
    assert "sjalvskattning/" in hrefs
    assert f"{HANDBOOK.count('area')} områden och {HANDBOOK.count('criterion')} kriterier" in page
    for _n, name in quality.LEVELS:
        assert f"<strong>{name['sv']}.</strong>" in page


@pytest.mark.parametrize("area", AREAS, ids=[a.id for a in AREAS])
def test_area_page_has_an_anchored_section_per_criterion(real_site, area):
    page = main_part(read(real_site, f"kvalitetsmodell/{area.id}"))
    tags = Tags(page)
    criteria = quality.criteria_of(HANDBOOK, area.id)
    anchors = [a["id"] for a in tags.all("h2") if a.get("id") in {c.id for c in criteria}]
    assert anchors == [c.id for c in criteria]
    assert len(tags.all("table", **{"class": "vi-levels"})) == len(criteria)
    for criterion in criteria:
        caption = f"Nivåerna för kriteriet {quality.number(HANDBOOK, criterion)} {html.escape(criterion.text('title'), quote=False)}"
        assert caption in page
        for what, title, url in quality.helpers(HANDBOOK, criterion):
            target = "../../" + url
            assert f'<a href="{target}">{html.escape(title)}</a>' in page, (criterion.id, url)
    assert len(tags.all("th", scope="col")) == 2 * len(criteria)
    assert page.count("<h1") == 1


def test_area_page_shows_levels_roles_frameworks_and_sources(real_site):
    page = main_part(read(real_site, "kvalitetsmodell/handledning"))
    criterion = HANDBOOK.get("criterion", "utsedd-handledare")
    section = page[page.index('id="utsedd-handledare"'):page.index('id="handledarutbildning"')]
    for n, name in quality.LEVELS:
        assert f"<strong>{n} {name['sv']}</strong>" in section
    for level in criterion.get("levels"):
        assert html.escape(level["sv"], quote=True) in section
    assert "<dt>Gäller</dt><dd>Handledare, Deltagare</dd>" in section
    assert "<dt>Målgrupper</dt><dd>Alla målgrupper</dd>" in section
    assert "<dt>EQUASS-principer</dt>" in section
    assert '<a href="https://finsamroslagen.se/vart-arbete-med-bip/">' in section
    assert '<a href="../../handledarutbildning/handledarens-roll/">Handledarens roll och värdegrund</a>' in section


def test_area_pages_lead_to_the_area_before_and_after():
    first, second, last = AREAS[0], AREAS[1], AREAS[-1]
    pager = quality._pager(HANDBOOK, second)
    assert f'Föregående område: <a href="../{first.id}/">' in pager and "Nästa område" in pager
    assert "Föregående" not in quality._pager(HANDBOOK, first)
    assert "Nästa" not in quality._pager(HANDBOOK, last)


def test_self_assessment_is_a_complete_form_without_javascript(real_site):
    page = read(real_site, "kvalitetsmodell/sjalvskattning")
    tags = Tags(page)
    criteria = HANDBOOK.all("criterion")
    assert len(tags.all("fieldset")) == len(criteria)
    assert page.count("<legend>") == len(criteria)
    labels = {a.get("for") for a in tags.all("label")}
    for criterion in criteria:
        fieldset = re.search(rf'<fieldset id="skatta-{criterion.id}">(.*?)</fieldset>', page, re.S).group(1)
        number = re.search(r"<legend>(\d+\.\d+) ", fieldset).group(1)
        radios = tags.all("input", type="radio", name=number)  # a group per criterion, named by its number
        assert [r["value"] for r in radios] == ["1", "2", "3", "4", "na"]
        # Every field sits inside its own label, which names it: one label per radio button, and the note.
        assert re.findall(r'<label[^>]*><input type="radio" name="([^"]+)" value="([^"]+)"> <b>[^<]+</b>', fieldset) \
            == [(number, value) for value in ("1", "2", "3", "4", "na")]
        assert re.search(r"<label>Belägg och anteckningar<textarea></textarea></label>", fieldset)
    assert {"vi-sa-org", "vi-sa-date", "vi-sa-import"} <= labels
    # What needs JavaScript waits, hidden, until the script shows it.
    assert "hidden" in tags.all("div", id="vi-sa-tools")[0]
    assert "hidden" in tags.all("section", id="sammanfattning")[0]
    assert tags.all("p", id="vi-sa-status", role="status")


def test_self_assessment_data_is_safe_json_with_relative_links(real_site):
    page = read(real_site, "kvalitetsmodell/sjalvskattning")
    raw = re.search(r'<script type="application/json" id="vi-sa-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw.replace("\\u0026", "")
    data = json.loads(raw)
    assert [a["id"] for a in data["areas"]] == [a.id for a in AREAS]
    assert [c["id"] for a in data["areas"] for c in a["criteria"]] == \
        [c.id for a in AREAS for c in quality.criteria_of(HANDBOOK, a.id)]
    first = data["areas"][0]["criteria"][0]
    # The number, title and link are in the criterion's fieldset, where the script reads them.
    assert re.search(rf'<fieldset id="skatta-{first["id"]}"><legend>1\.1 [^<]+</legend><p>.*?'
                     rf'<a href="\.\./{AREAS[0].id}/#{first["id"]}">Läs mer om kriteriet</a></p>', page)
    # Every helper is listed once; criteria point into the list.
    helpers = data["helpers"]
    assert len({json.dumps(h, sort_keys=True) for h in helpers}) == len(helpers)
    assert all(h["url"].startswith(("../../handledarutbildning/", "../../metoder/")) for h in helpers)
    for area in AREAS:
        for criterion in quality.criteria_of(HANDBOOK, area.id):
            entry = next(c for a in data["areas"] for c in a["criteria"] if c["id"] == criterion.id)
            assert [helpers[i]["title"] for i in entry["helps"]] == [t for _w, t, _u in quality.helpers(HANDBOOK, criterion)]
    assert page.count('src="../../assets/quality.js"') == 1


def test_the_model_is_published_as_json_and_csv(real_site):
    model = json.loads((real_site / "data/kvalitetsmodell.json").read_text(encoding="utf-8"))
    assert len(model["areas"]) == len(AREAS)
    rows = list(csv.DictReader(io.StringIO((real_site / "data/kvalitetsmodell.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == HANDBOOK.count("criterion")
    assert (real_site / "data/kvalitetsmodell-kriterier.csv").exists()


def test_navigation_has_the_section_but_not_one_entry_per_area(real_site):
    page = read(real_site, "kvalitetsmodell")
    nav = _element(page, '<nav class="md-nav md-nav--primary"', "nav")
    assert "Självskattning" in nav
    assert not any(f'href="{a.id}/"' in nav for a in AREAS)


def _element(page: str, start: str, tag: str) -> str:
    """The element that begins at `start`, up to its own closing tag (elements of the same name nest)."""
    import re

    at = page.index(start)
    depth = 0
    for match in re.compile(rf"<(/?){tag}\b").finditer(page, at):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[at:match.end()]
    raise AssertionError(f"no end to {start}")


def _hostile_handbook() -> Handbook:
    evil = '<script>alert("x")</script> & {#id} [a](b)'
    area = Record.of("area", "omrade", "a.yml", {
        "order": 1, "title": {"sv": evil}, "summary": {"sv": evil}, "intro": {"sv": evil + "\n\n<img src=x onerror=alert(1)>"},
        "review_by": "2027-01-01"})
    criterion = Record.of("criterion", "krit", "k.yml", {
        "area": "omrade", "order": 1, "title": {"sv": evil + "</script>"}, "summary": {"sv": evil},
        "requirement": {"sv": evil}, "in_return": {"sv": evil}, "indicators": [{"sv": evil}], "evidence": [{"sv": evil}],
        "levels": [{"sv": evil}] * 4, "roles": ["x"], "review_by": "2027-01-01"})
    return Handbook({"area": {"omrade": area}, "criterion": {"krit": criterion}, "taxonomy": {}})


def test_data_is_escaped_on_every_quality_page():
    handbook = _hostile_handbook()
    outputs = [quality.area_page(handbook, handbook.get("area", "omrade")), quality.self_assessment(handbook),
               quality.quality_model_overview(handbook)]
    for out in outputs:
        assert "<script>alert" not in out and "<img" not in out and "</script></legend>" not in out
        assert "&lt;script&gt;alert" in out or "\\u003cscript\\u003e" in out
    assert '\\u003c/script\\u003e' in quality.self_assessment(handbook)
