"""Invariants over the real methods library: sources, references, derived links and traceable numbers."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from handbook.areas import methods as lib
from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent
# The checked facts and the seed documents live beside the repository, not in it.
FACTS = Path(os.environ.get("HANDBOOK_FACTS", "/work/shared/domain-facts.md"))
SEEDS = FACTS.parent / "seeds"
needs_facts = pytest.mark.skipif(not FACTS.exists(), reason=f"{FACTS} is not on this machine (set HANDBOOK_FACTS)")

REQUIRED = {"supported-employment", "ips", "supported-education", "case-management", "bip", "matchning-fran-dag-1",
            "socioekonomiskt-bokslut", "uppfoljningsintervjuer", "tjanstedesign", "arbetsgivarkontakter", "validering"}


@pytest.fixture(scope="module")
def handbook():
    result = load_content(ROOT)
    assert result.ok, [str(p) for p in result.errors]
    return result.handbook


def method_ids():
    return sorted(p.stem for p in (ROOT / "methods").glob("*.yml") if not p.name.startswith("_"))


def test_the_library_has_every_method_the_issue_names(handbook):
    assert REQUIRED <= {m.id for m in lib.methods(handbook)}


@pytest.mark.parametrize("method_id", method_ids())
def test_every_source_has_a_title_and_a_link(handbook, method_id):
    method = handbook.get("method", method_id)
    cited = list(method.get("sources", ()))
    cited += [c["source"] for c in method.get("evidence", ())]
    if method.get("fidelity") and method.get("fidelity").get("source"):
        cited.append(method.get("fidelity")["source"])
    assert cited, "a method needs at least one source"
    for source in cited:
        assert source.get("title", "").strip(), source
        if source.get("url"):
            assert re.match(r"^https?://[^\s/]+\.[^\s]+$", source["url"]), source
        else:  # a document that cannot be read on the web says what it is instead
            assert (source.get("publisher") and source.get("date")) or source.get("note"), source


@pytest.mark.parametrize("method_id", method_ids())
def test_every_evidence_source_is_among_the_record_sources(handbook, method_id):
    method = handbook.get("method", method_id)
    listed = {(s["title"], s.get("url")) for s in method.get("sources", ())}
    for claim in method.get("evidence", ()):
        assert (claim["source"]["title"], claim["source"].get("url")) in listed, claim["source"]
    fidelity = method.get("fidelity")
    if fidelity and fidelity.get("source"):
        assert (fidelity["source"]["title"], fidelity["source"].get("url")) in listed


@pytest.mark.parametrize("method_id", method_ids())
def test_related_methods_exist_and_are_not_the_method_itself(handbook, method_id):
    method = handbook.get("method", method_id)
    for other in method.get("related", ()):
        assert other != method_id
        assert handbook.get("method", other) is not None, other


def test_every_method_is_reached_from_the_quality_model_or_the_curriculum(handbook):
    unreached = [m.id for m in lib.methods(handbook)
                 if not lib.criteria_helped_by(handbook, m.id) and not lib.modules_teaching(handbook, m.id)]
    assert unreached == []


def test_derived_links_agree_with_the_records_that_make_them(handbook):
    for method in lib.methods(handbook):
        for criterion in lib.criteria_helped_by(handbook, method.id):
            assert method.id in criterion.get("helped_by")["methods"]
            assert handbook.get("area", criterion.get("area")) is not None
        for module in lib.modules_teaching(handbook, method.id):
            assert method.id in module.get("methods")
    pairs = {(c.id, m) for c in handbook.all("criterion") for m in (c.get("helped_by") or {}).get("methods", ())}
    derived = {(c.id, m.id) for m in lib.methods(handbook) for c in lib.criteria_helped_by(handbook, m.id)}
    assert derived == pairs


def test_the_calculator_page_exists(handbook):
    assert handbook.get("method", lib.CALCULATOR_METHOD) is not None


# Numbers: every figure in a method's text must be one that a checked fact ([S]) in
# domain-facts.md or a seed document states. [M] facts are left out of the records.

def _numbers_in_facts() -> set[str]:
    found: set[str] = set()
    lines = [line for line in FACTS.read_text(encoding="utf-8").splitlines() if "[S]" in line and "[M]" not in line]
    lines += [line for seed in sorted(SEEDS.glob("*.txt")) for line in seed.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        for low, high in re.findall(r"(\d+)–(\d+)k\b", line):  # "150–300k"
            found |= {str(int(low) * 1000), str(int(high) * 1000)}
        line = re.sub(r"(\d),(\d{3})\b", r"\1\2", line)  # "4,000" -> "4000"
        line = re.sub(r"(\d)[ \u00a0](\d{3})\b", r"\1\2", line)  # "15 148" -> "15148"
        for token in re.findall(r"\d*\.\d+|\d+", line):
            found.add(_canonical(token))
    return found


def _canonical(token: str) -> str:
    if "." in token:
        return str(float(token))
    return str(int(token))


def _numbers_in_text(value: str, lang: str = "sv") -> list[str]:
    value = re.sub(r"(?m)^\s*\d+\.\s", "", value)  # numbered-list markers are not figures
    if lang == "en":
        value = re.sub(r"(\d),(\d{3})\b", r"\1\2", value)  # "4,000" -> "4000"; "0.88" stays
    else:
        value = re.sub(r"(\d)[ \u00a0](\d{3})\b", r"\1\2", value)  # "4 000" -> "4000"
        value = re.sub(r"(\d),(\d+)", r"\1.\2", value)  # "0,88" -> "0.88"
    return [_canonical(t) for t in re.findall(r"\d*\.\d+|\d+", value)]


def _texts(value, where=""):
    if hasattr(value, "items"):
        for key, sub in value.items():
            if key in ("sources", "source", "review_by", "url"):
                continue
            yield from _texts(sub, f"{where}.{key}" if where else key)
    elif isinstance(value, (list, tuple)):
        for index, sub in enumerate(value):
            yield from _texts(sub, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


@needs_facts
@pytest.mark.parametrize("method_id", method_ids())
def test_every_figure_is_traceable_to_a_checked_fact_or_a_seed(handbook, method_id):
    known = _numbers_in_facts()
    untraced = [f"{where}: {number}" for where, value in _texts(handbook.get("method", method_id).data)
                for number in _numbers_in_text(value, "en" if where.endswith(".en") else "sv") if number not in known]
    assert untraced == []


def test_unverified_figures_are_left_out():
    # [M] in domain-facts.md: the exemplary band from 115, Organization = 8 and Services = 14 items.
    for path in (ROOT / "methods").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert "115" not in text and "114" not in text, path.name
        assert not re.search(r"\b14 punkter|\b8 punkter under organisation", text), path.name


def test_the_template_for_contributors_is_a_valid_method(tmp_path):
    import shutil

    for folder in ("data", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "methods", tmp_path / "methods")  # the data refers to the real methods
    from filling import filled_text

    (tmp_path / "methods" / "ny-metod.yml").write_text(filled_text((ROOT / "methods" / "_template.yml").read_text(encoding="utf-8")),
                                                       encoding="utf-8")
    result = load_content(tmp_path)
    assert [str(p) for p in result.errors] == []
    assert result.handbook.get("method", "ny-metod") is not None
