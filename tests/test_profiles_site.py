"""Quality profiles in a built site of fictional organisations: the organisation page's section and its
text equivalent, the national and county picture, katalog.json and the open data.

Expected figures are counted here from the YAML files themselves (yaml.safe_load), not with the
handbook's own queries, so a wrong query shows up as a difference."""
from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re

import pytest
import yaml

from profile_site import CONTENT, PROFILE_TODAY, profile_site  # noqa: F401  (a fixture)

TODAY = datetime.date.fromisoformat(PROFILE_TODAY)
DATA = CONTENT / "data"


def _yaml(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # every value as text


AREAS = sorted((_yaml(p) | {"id": p.stem} for p in (DATA / "kvalitetsmodell" / "omraden").glob("*.yml")),
               key=lambda a: int(a["order"]))
CRITERIA = {p.stem: _yaml(p) for p in (DATA / "kvalitetsmodell" / "kriterier").glob("*.yml")}
ORGANISATIONS = {p.stem: _yaml(p) for p in (DATA / "organisationer").glob("*.yml")}
PROFILES = {p.stem: _yaml(p) for p in (DATA / "kvalitetsprofiler").glob("*.yml")}


def _level(value: str):
    return int(value) if value.isdigit() else value


def _latest_current() -> dict[str, dict]:
    """Organisation -> its newest profile, when that is at most 12 months old on TODAY."""
    newest: dict[str, dict] = {}
    for profile in PROFILES.values():
        if profile["organisation"] not in newest or profile["date"] > newest[profile["organisation"]]["date"]:
            newest[profile["organisation"]] = profile
    year_ago = TODAY.replace(year=TODAY.year - 1)
    return {org: p for org, p in newest.items() if datetime.date.fromisoformat(p["date"]) >= year_ago}


def _reached(profile: dict, area_id: str):
    levels = [_level(entry["level"]) for cid, entry in profile["criteria"].items()
              if CRITERIA[cid]["area"] == area_id and _level(entry["level"]) in (1, 2, 3, 4)]
    return min(levels) if levels else None


def read(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def section(page: str, start: str, end: str | None = None) -> str:
    """From `start` to `end` (or to the end of the page)."""
    at = page.index(start)
    return page[at:page.index(end, at)] if end else page[at:]


def cells(table_html: str) -> list[list[str]]:
    """The body rows of a table, each cell's text."""
    body = table_html[table_html.index("<tbody>"):table_html.index("</tbody>")]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


# The organisation page


def test_the_latest_profile_is_shown_per_area_as_a_chart_and_a_table(profile_site):
    page = article(read(profile_site, "organisationer/butiken-i-norrby"))
    profile = PROFILES["butiken-i-norrby-2026-10-20"]
    part = section(page, 'id="kvalitetsprofil"')
    assert "<strong>Kollegial granskning</strong>, 2026-10-20, bedömd av Verkstan i Sta, två handledare." in part
    assert "ingen certifiering och ingen kvalitetsstämpel" in part and "Inaktuell" not in part
    chart = section(part, 'class="vi-pchart"', "</figure>")
    assert 'role="img"' in chart and "Samma uppgifter finns i tabellen" in chart
    values = re.findall(r'<span class="vi-pbar__value">([^<]*)</span>', chart)
    steps = [int(n) for n in re.findall(r'vi-pbar__fill--(\d)', chart)]
    expected = [_reached(profile, a["id"]) for a in AREAS]
    assert values == [f"{n} av 4" if n else "ingen nivå" for n in expected]
    assert steps == [n or 0 for n in expected]  # the bar's filled steps say the same as the figure
    table = cells(section(part, "<caption>Kvalitetsprofilen per område</caption>", "</table>"))
    for area, row, level in zip(AREAS, table, expected):
        in_area = [cid for cid, c in CRITERIA.items() if c["area"] == area["id"]]
        rated = [cid for cid in in_area if cid in profile["criteria"]]
        not_relevant = [cid for cid in rated if profile["criteria"][cid]["level"] == "ej relevant"]
        assert row == [f"{area['order']}. {area['title']['sv']}", f"{level} av 4" if level else "ingen nivå",
                       str(len(rated) - len(not_relevant)), str(len(not_relevant)), str(len(in_area) - len(rated))]
    assert "Profilen täcker alla kriterier i dagens kvalitetsmodell." in part


def test_earlier_profiles_are_listed_with_date_kind_and_levels(profile_site):
    part = section(article(read(profile_site, "organisationer/butiken-i-norrby")), 'id="tidigare-kvalitetsprofiler"')
    old = PROFILES["butiken-i-norrby-2025-06-10"]
    rows = cells(part[part.index("<table"):])
    assert rows == [["2025-06-10", "Självskattning"] + [str(_reached(old, a["id"]) or "–") for a in AREAS]]


def test_a_profile_says_which_criteria_of_todays_model_it_does_not_cover(profile_site):
    part = section(article(read(profile_site, "organisationer/verkstan-i-sta")), 'id="kvalitetsprofil"')
    missing = sorted(set(CRITERIA) - set(PROFILES["verkstan-i-sta-2026-03-01"]["criteria"]))
    listed = section(part, "Profilen täcker inte de här kriterierna", "</ul>")
    for cid in missing:
        assert f'#{cid}">{CRITERIA[cid]["title"]["sv"]}</a>' in listed
    assert listed.count("<li>") == len(missing) and "tidigare-kvalitetsprofiler" not in part
    assert "<strong>Självskattning</strong>, 2026-03-01." in part
    assert "En självskattning är organisationens egen bedömning" in part


def test_an_out_of_date_profile_says_so(profile_site):
    part = section(article(read(profile_site, "organisationer/ateranvandarna")), 'id="kvalitetsprofil"')
    assert "<strong>Extern bedömning</strong>, 2025-09-01, bedömd av En påhittad extern bedömare" in part
    assert "<strong>Inaktuell:</strong> profilen är äldre än 12 månader." in part


def test_an_organisation_without_a_profile_says_only_that(profile_site):
    part = section(article(read(profile_site, "organisationer/sortera-mera")), 'id="kvalitetsprofil"')
    assert "Organisationen har inte publicerat någon kvalitetsprofil." in part
    assert "vi-pchart" not in part and "<table" not in part


def test_the_assessor_is_text_never_markup_and_notes_stay_in_the_open_data(profile_site):
    page = read(profile_site, "organisationer/ateranvandarna")
    assert "bedömd av En påhittad extern bedömare &lt;i&gt;AB&lt;/i&gt; &amp; Co." in page and "<i>AB</i>" not in page
    lyftet = read(profile_site, "organisationer/kooperativet-lyftet")
    assert "lyftet')" not in html.unescape(lyftet)  # a note is evidence in the record, not on the page


def test_the_english_page_uses_honest_english_labels(profile_site):
    part = section(article(read(profile_site, "en/organisationer/butiken-i-norrby")), 'id="kvalitetsprofil"')
    assert "<strong>Peer review</strong>, 2026-10-20, assessed by Verkstan i Sta, två handledare." in part
    assert "not a certification and not a quality mark" in part and "3 of 4" in part
    assert "Earlier profiles" in part and "Self-assessment" in part
    for swedish in ("Kvalitetsprofil", "Självskattning", "Nivå som nåtts", " av 4", "ingen nivå", "Bedömda"):
        assert swedish not in part
    old = section(article(read(profile_site, "en/organisationer/ateranvandarna")), 'id="kvalitetsprofil"')
    assert "<strong>External assessment</strong>" in old and "<strong>Out of date:</strong>" in old


def test_organisation_pages_with_profiles_stay_light(profile_site):
    for org in ORGANISATIONS:
        for prefix in ("", "en/"):
            assert len((profile_site / prefix / "organisationer" / org / "index.html").read_bytes()) < 100_000


# The national and county picture


def _expected_picture(organisations=None) -> tuple[dict, dict, list]:
    counted = {org: p for org, p in _latest_current().items() if organisations is None or org in organisations}
    per_area = {a["id"]: {n: 0 for n in (1, 2, 3, 4, None)} for a in AREAS}
    per_criterion = {cid: {n: 0 for n in (1, 2, 3, 4, "ej relevant", None)} for cid in CRITERIA}
    for profile in counted.values():
        for area in AREAS:
            per_area[area["id"]][_reached(profile, area["id"])] += 1
        for cid in CRITERIA:
            entry = profile["criteria"].get(cid)
            per_criterion[cid][_level(entry["level"]) if entry else None] += 1
    return counted, per_area, per_criterion


def _criterion_rows() -> list[str]:
    """The criteria in reading order: area order, then order in the area."""
    order = {a["id"]: int(a["order"]) for a in AREAS}
    return sorted(CRITERIA, key=lambda cid: (order[CRITERIA[cid]["area"]], int(CRITERIA[cid]["order"])))


def _check_picture(part: str, organisations=None):
    counted, per_area, per_criterion = _expected_picture(organisations)
    assert f"Antal organisationer med en aktuell kvalitetsprofil: {len(counted)}." in part
    kinds = [p["assessed_by"] for p in counted.values()]
    assert (f"Självskattning: {kinds.count('self')}. Kollegial granskning: {kinds.count('peer')}. "
            f"Extern bedömning: {kinds.count('external')}.") in part
    areas = cells(section(part, "<caption>Antal organisationer per område och nivå som nåtts</caption>", "</table>"))
    assert areas == [[f"{a['order']}. {a['title']['sv']}"] + [str(per_area[a["id"]][n]) for n in (1, 2, 3, 4, None)]
                     for a in AREAS]
    chart = section(part, 'class="vi-pchart"', "</figure>")
    assert re.findall(r'<span class="vi-pbar__value">(\d+)</span>', chart) == [
        str(per_area[a["id"]][n]) for a in AREAS for n in (1, 2, 3, 4)]
    # a bar's width is a class (vi-w-N, whole per cent), no inline style
    assert "style=" not in chart and len(re.findall(r'class="vi-pcount__fill vi-w-\d+"', chart)) == 4 * len(AREAS)
    criteria = cells(section(part, "<caption>Antal organisationer per kriterium och nivå</caption>", "</table>"))
    assert criteria == [[CRITERIA[cid]["title"]["sv"]] + [str(per_criterion[cid][n]) for n in (1, 2, 3, 4, "ej relevant", None)]
                        for cid in _criterion_rows()]
    low = {cid: per_criterion[cid][1] + per_criterion[cid][2] for cid in CRITERIA}
    support = section(part, 'class="vi-psupport"', "</ul>")
    shown = re.findall(r'<li><a href="[^"]*#([a-z-]+)">[^<]*</a>: (\d+) på nivå 1 eller 2\.', support)
    assert [int(n) for _cid, n in shown] == sorted((n for n in low.values() if n), reverse=True)[:5]
    assert all(low[cid] == int(n) for cid, n in shown)
    return shown


def test_the_national_picture_counts_each_organisations_latest_current_profile(profile_site):
    page = article(read(profile_site, "kvalitetsmodell"))
    part = section(page, 'id="var-organisationerna-star"', 'id="omraden-och-kriterier"')
    shown = _check_picture(part)
    # What helps: the criterion's helped_by, as links to the modules and methods.
    first = section(part, 'class="vi-psupport"', "</li>")
    helped = CRITERIA[shown[0][0]].get("helped_by", {})
    for module in helped.get("modules", ()):
        assert f'href="../handledarutbildning/{module}/"' in first
    for method in helped.get("methods", ()):
        assert f'href="../metoder/{method}/"' in first


def test_the_picture_names_no_organisation(profile_site):
    part = section(article(read(profile_site, "kvalitetsmodell")), 'id="var-organisationerna-star"',
                   'id="omraden-och-kriterier"')
    for org in ORGANISATIONS.values():
        assert html.escape(org["name"], quote=False) not in part


def test_each_county_page_has_the_picture_of_its_own_organisations(profile_site):
    for code in ("14", "01", "23"):
        page = article(read(profile_site, f"organisationer/lan/{code}"))
        part = section(page, 'id="kvalitetsprofiler-i-lanet"')
        in_county = {org for org, o in ORGANISATIONS.items() if o.get("county") == code}
        _check_picture(part, in_county)


def test_with_no_current_profile_the_picture_says_so_in_one_sentence(profile_site, tmp_path):
    from profile_site import build_profile_site, make_profile_project

    site = build_profile_site(make_profile_project(tmp_path / "project"), today="2028-01-01")
    part = section(article(read(site, "kvalitetsmodell")), 'id="var-organisationerna-star"', 'id="omraden-och-kriterier"')
    assert re.sub(r"<[^>]+>", "", part.split("</h2>", 1)[1].rsplit("<h2", 1)[0]).strip() == \
        "Ingen organisation har publicerat en aktuell kvalitetsprofil ännu."
    catalogue = json.loads((site / "organisationer" / "katalog.json").read_text(encoding="utf-8"))
    assert {row[-1][0] for row in catalogue["rows"] if row[-1]} == {0}


def test_the_english_picture_is_in_english(profile_site):
    part = section(article(read(profile_site, "en/kvalitetsmodell")), 'id="var-organisationerna-star"',
                   'id="omraden-och-kriterier"')
    assert "Organisations with a current quality profile: 3." in part and "Where most need support" in part
    assert "Self-assessment: 2. Peer review: 1. External assessment: 0." in part
    text = re.sub(r"<[^>]+>", " ", part.split(">", 1)[1])
    for swedish in ("Nivå", "Antal", "organisationer", "Ej relevant", "Inte bedömt", "på nivå"):
        assert swedish not in text


# katalog.json and the open data


def test_katalog_json_has_the_profile_column_for_every_organisation(profile_site):
    data = json.loads((profile_site / "organisationer" / "katalog.json").read_text(encoding="utf-8"))
    assert data["profile_areas"] == [a["id"] for a in AREAS]
    at = data["columns"].index("profile")
    assert at == len(data["columns"]) - 1
    current = _latest_current()
    for row in data["rows"]:
        mine = sorted((p for p in PROFILES.values() if p["organisation"] == row[0]), key=lambda p: p["date"])
        if not mine:
            assert row[at] is None
            continue
        assert row[at] == [1 if row[0] in current else 0, [_reached(mine[-1], a["id"]) or 0 for a in AREAS]]


def test_open_data_has_every_profile_as_json_and_csv(profile_site):
    records = json.loads((profile_site / "data" / "kvalitetsprofiler.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in records} == set(PROFILES)
    for record in records:
        source = PROFILES[record["id"]]
        assert record["organisation"] == source["organisation"] and record["date"] == source["date"]
        assert {cid: str(e["level"]) for cid, e in record["criteria"].items()} == \
            {cid: e["level"] for cid, e in source["criteria"].items()}
    text = (profile_site / "data" / "kvalitetsprofiler.csv").read_text(encoding="utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == set(PROFILES)
    assert rows["butiken-i-norrby-2026-10-20"]["criteria.utsedd-handledare.level"] == "4"
    assert rows["butiken-i-norrby-2026-10-20"]["criteria.intyg-vid-avslut.level"] == "ej relevant"
    lyftet = next(r for r in records if r["id"] == "kooperativet-lyftet-2026-11-15")
    assert lyftet["criteria"]["utsedd-handledare"]["note"] == "<script>alert('lyftet')</script> {{ 7*7 }} =1+1"
    # A note that starts like a formula gets an apostrophe first (safe_cell).
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows.values() for value in row.values() if value)
    downloads = article(read(profile_site, "data"))
    assert 'href="kvalitetsprofiler.json"' in downloads and 'href="kvalitetsprofiler.csv"' in downloads
