"""The methods library: /metoder/, one page and one printable card per method,
the framework crosswalk /metoder/jamforelse/ and the socio-economic calculator.

Related modules and quality criteria are derived by reverse lookup (modules list
`methods`, criteria list `helped_by.methods`): a method record never repeats them.
"""
from __future__ import annotations

from .. import registry
from ..check import rule
from ..load import Loaded, field_path
from ..model import Handbook, Record, localise
from ..problems import problem
from ..urls import area_url, criterion_url, method_url, module_url
from ..render import block, esc, front_matter, link, markdown, md_text, relative_url, sources, table, text


SECTION = "metoder"
CROSSWALK = "jamforelse"
RESERVED_IDS = (CROSSWALK,)
KIND_LABELS = {"metod": "Metod", "verktyg": "Verktyg", "princip": "Princip"}
FRAMEWORKS = (  # (key in `frameworks`, taxonomy, heading on the crosswalk)
    ("euse", "euse-steg", "EUSE:s fem steg i Supported Employment"),
    ("ips", "ips-principer", "IPS åtta principer"),
    ("equass", "equass-principer", "EQUASS tio principer"),
)
FRAMEWORK_NAMES = {"euse": "EUSE", "ips": "IPS", "equass": "EQUASS"}

# The calculator on the socio-economic accounting page. The categories are those of
# Nilsson & Wadeskog's method (NUTEK R 2006:26, foreword; vikanmittsverige.se); the reader
# supplies every figure: nothing here is a default amount.
CALCULATOR_METHOD = "socioekonomiskt-bokslut"
COST_CATEGORIES = (
    ("produktionsbortfall", "Produktionsbortfall", "Det personen hade kunnat producera i ett arbete."),
    ("ersattningar", "Ersättningar", "Till exempel försörjningsstöd, sjukersättning och aktivitetsersättning."),
    ("vard", "Vård", "Hälso- och sjukvård, psykiatri och beroendevård."),
    ("rehabilitering", "Rehabilitering och omsorg", "Insatser för rehabilitering, stöd och omsorg."),
    ("rattsvasende", "Rättsväsende", "Polis, domstolar och kriminalvård."),
    ("skatteintakter", "Lägre skatteintäkter", "Skatt som inte betalas in när personen inte har en lön."),
)
COST_ACTORS = (("staten", "Staten"), ("regionen", "Regionen"), ("kommunen", "Kommunen"), ("individen", "Individen"))


# URLs (site paths without a leading slash; link between them with relative_url)

def card_url(method_id: str) -> str:
    return f"{SECTION}/{method_id}/kort/"


def crosswalk_url(anchor: str = "") -> str:
    return f"{SECTION}/{CROSSWALK}/" + (f"#{anchor}" if anchor else "")


def term_anchor(framework: str, term_id: str) -> str:
    return f"{framework}-{term_id}"


# Named queries

def methods(handbook: Handbook) -> list[Record]:
    """Every method, in reading order."""
    return handbook.all("method")


def modules_teaching(handbook: Handbook, method_id: str) -> list[Record]:
    """Curriculum modules that list the method under `methods`."""
    return [m for m in handbook.all("module") if method_id in (m.get("methods") or ())]


def criteria_helped_by(handbook: Handbook, method_id: str) -> list[Record]:
    """Quality criteria that list the method under `helped_by.methods`, by area, then order."""
    found = [c for c in handbook.all("criterion") if method_id in ((c.get("helped_by") or {}).get("methods") or ())]
    return sorted(found, key=lambda c: (_area_order(handbook, c.get("area")), c.order))


def _area_order(handbook: Handbook, area_id: str) -> tuple:
    area = handbook.get("area", area_id)
    return area.order if area else (0, area_id)


def steps_for_term(handbook: Handbook, framework: str, term_id: str) -> list[tuple[Record, int, object]]:
    """(method, step number from 1, step) for every method step that maps to a framework term."""
    return [(m, n, step) for m in methods(handbook) for n, step in enumerate(m.get("steps", ()), 1)
            if term_id in ((step.get("frameworks") or {}).get(framework) or ())]


def criteria_for_term(handbook: Handbook, framework: str, term_id: str) -> list[Record]:
    found = [c for c in handbook.all("criterion") if term_id in ((c.get("frameworks") or {}).get(framework) or ())]
    return sorted(found, key=lambda c: (_area_order(handbook, c.get("area")), c.order))


def criteria_in_area(handbook: Handbook, area_id: str) -> list[Record]:
    return [c for c in handbook.all("criterion") if c.get("area") == area_id]


def methods_for_area(handbook: Handbook, area_id: str) -> list[Record]:
    """Methods that help meet at least one criterion of the area, in reading order."""
    wanted = {m for c in criteria_in_area(handbook, area_id) for m in ((c.get("helped_by") or {}).get("methods") or ())}
    return [m for m in methods(handbook) if m.id in wanted]


def _terms(handbook: Handbook, taxonomy: str) -> list:
    return handbook.terms(taxonomy) if handbook.get("taxonomy", taxonomy) else []


def _term_label(handbook: Handbook, taxonomy: str, term_id: str) -> str:
    for term in _terms(handbook, taxonomy):
        if term.id == term_id:
            return term.text()
    return term_id


# Checks that the schema cannot say

@rule("method")
def evidence_sources_listed(handbook, record, loaded: Loaded):
    listed = {(s.get("title"), s.get("url")) for s in record.get("sources", ()) if hasattr(s, "get")}
    cited = [(("evidence", i, "source"), claim.get("source")) for i, claim in enumerate(record.get("evidence", ()))
             if hasattr(claim, "get")]
    fidelity = record.get("fidelity")
    if hasattr(fidelity, "get") and fidelity.get("source"):
        cited.append((("fidelity", "source"), fidelity.get("source")))
    for where, source in cited:
        if not hasattr(source, "get") or not source.get("title") or not source.get("url"):
            continue  # the schema reports a source without a title or link
        if (source.get("title"), source.get("url")) not in listed:
            line, column = loaded.place(where)
            yield problem(loaded.path, line, column, field_path(where), "evidence-source",
                          title=source.get("title"), url=source.get("url"))


@rule("method")
def not_related_to_itself(handbook, record, loaded: Loaded):
    for index, other in enumerate(record.get("related", ())):
        if other == record.id:
            line, column = loaded.place(("related", index))
            yield problem(loaded.path, line, column, field_path(("related", index)), "related-self", id=record.id)


@rule("method")
def id_not_reserved(handbook, record, loaded: Loaded):
    if record.id in RESERVED_IDS:
        yield problem(loaded.path, 1, 1, "", "reserved-method-id", id=record.id)


# Fragments

def _front_matter(title: str, description: str = "") -> str:
    """Front matter with a description when there is one (render.front_matter escapes both)."""
    meta = {"description": description} if description else {}
    return front_matter(title, **meta)


def _labels(handbook: Handbook, taxonomy: str, ids) -> str:
    return ", ".join(esc(_term_label(handbook, taxonomy, i)) for i in ids)


def _facts(handbook: Handbook, method: Record) -> str:
    """The quick facts of a method as a description list."""
    steps = len(method.get("steps", ()))
    fidelity = method.get("fidelity")
    rows = [
        ("Typ", esc(KIND_LABELS.get(method.get("kind"), method.get("kind")))),
        ("Målgrupper", _labels(handbook, "malgrupper", method.get("target_groups", ()))),
        ("Aktörer", _labels(handbook, "aktorer", method.get("actors", ()))),
        ("Steg eller principer", esc(steps)),
        ("Självkoll", f"{len(fidelity.get('items', ()))} frågor" if fidelity else "Nej"),
    ]
    # The counts repeat what a method card shows in full, so the card leaves them out in print.
    items = []
    for n, (key, value) in enumerate(rows):
        klass = ' class="vi-count"' if n > 2 else ""
        items.append(f"<dt{klass}>{key}</dt><dd{klass}>{value}</dd>")
    return '<dl class="vi-facts">' + "".join(items) + "</dl>"


def _filter_select(name: str, label: str, everyone: str, options: list[tuple[str, str]]) -> str:
    items = f'<option value="">{esc(everyone)}</option>' + "".join(
        f'<option value="{esc(value)}">{esc(shown)}</option>' for value, shown in options)
    return (f'<div class="vi-filter-field"><label for="vi-filter-{esc(name)}">{esc(label)}</label>'
            f'<select class="vi-input" id="vi-filter-{esc(name)}" name="{esc(name)}" data-filter="{esc(name)}">{items}</select></div>')


def _count_text(n: int) -> str:
    return f"{n} metod" if n == 1 else f"{n} metoder"


@registry.macro
def method_library(handbook: Handbook) -> str:
    """The cards on /metoder/, with a filter that JavaScript switches on (without it: the plain list)."""
    all_methods = methods(handbook)
    used_kinds = [k for k in KIND_LABELS if any(m.get("kind") == k for m in all_methods)]
    form = (
        '<form class="vi-filter vi-no-print" id="vi-method-filter" role="search" aria-label="Filtrera metoderna" hidden>'
        + _filter_select("malgrupp", "Målgrupp", "Alla målgrupper", [(t.id, t.text()) for t in _terms(handbook, "malgrupper")])
        + _filter_select("typ", "Typ", "Alla typer", [(k, KIND_LABELS[k]) for k in used_kinds])
        + _filter_select("aktor", "Aktör", "Alla aktörer", [(t.id, t.text()) for t in _terms(handbook, "aktorer")])
        + '<div class="vi-filter-field vi-filter-actions"><button type="button" class="md-button" id="vi-filter-reset">Visa alla</button></div>'
        + "</form>"
    )
    status = (f'<p class="vi-filter-count" id="vi-filter-count" role="status" aria-live="polite" '
              f'data-total="{len(all_methods)}">{_count_text(len(all_methods))}</p>')
    cards = []
    for m in all_methods:
        cards.append(
            f'<li class="vi-method-card" id="metod-{esc(m.id)}" data-malgrupp="{esc(" ".join(m.get("target_groups", ())))}" '
            f'data-typ="{esc(m.get("kind"))}" data-aktor="{esc(" ".join(m.get("actors", ())))}">'
            f'<h2><a href="{esc(relative_url(SECTION + "/", method_url(m.id)))}">{text(m.get("title"))}</a></h2>'
            f'<p>{text(m.get("summary"))}</p>{_facts(handbook, m)}</li>'
        )
    empty = ('<p class="vi-filter-empty" id="vi-filter-empty" hidden>Ingen metod passar alla valen. '
             'Välj ”Alla” i något av fälten eller tryck på Visa alla.</p>')
    return block(form + status + f'<ul class="vi-method-cards" id="vi-method-cards">{"".join(cards)}</ul>' + empty)


@registry.macro
def method_count(handbook: Handbook) -> str:
    return esc(len(methods(handbook)))


def _framework_badges(handbook: Handbook, page_url: str, step) -> str:
    frameworks = step.get("frameworks") or {}
    parts = []
    for key, taxonomy, _heading in FRAMEWORKS:
        for term_id in frameworks.get(key) or ():
            href = relative_url(page_url, crosswalk_url(term_anchor(key, term_id)))
            parts.append(f'<li><a href="{esc(href)}">{FRAMEWORK_NAMES[key]}: {esc(_term_label(handbook, taxonomy, term_id))}</a></li>')
    if not parts:
        return ""
    return f'<ul class="vi-badges" aria-label="Motsvarar i ramverken">{"".join(parts)}</ul>'


def _steps(handbook: Handbook, method: Record, page_url: str, with_frameworks: bool = True) -> str:
    items = []
    for step in method.get("steps", ()):
        badges = _framework_badges(handbook, page_url, step) if with_frameworks else ""
        items.append(f"<li><strong>{text(step.get('title'))}</strong><br>{text(step.get('text'))}{badges}</li>")
    return f'<ol class="vi-steps">{"".join(items)}</ol>'


def _fidelity(method: Record, heading: str = "h2") -> str:
    fidelity = method.get("fidelity")
    if not fidelity:
        return ""
    items = "".join(f"<li>{text(item)}</li>" for item in fidelity.get("items", ()))
    source = fidelity.get("source")
    cite = f'<p class="vi-cite">Källa: {link(source["url"], source["title"])}</p>' if source else ""
    return (f'<section class="vi-fidelity" aria-labelledby="vi-fidelity-heading"><{heading} id="vi-fidelity-heading">'
            f"{text(fidelity.get('title'))}</{heading}>"
            f'<p class="vi-hint">Svara ja eller nej på varje fråga. Ett nej visar var ni kan börja.</p>'
            f'<ul class="vi-checklist">{items}</ul>{cite}</section>')


def _evidence(method: Record) -> str:
    claims = method.get("evidence", ())
    if not claims:
        return ""
    items = "".join(f'<li>{text(c.get("claim"))} <span class="vi-cite">Källa: {link(c["source"]["url"], c["source"]["title"])}</span></li>'
                    for c in claims)
    return f'<h2 id="vad-vet-vi">Vad vet vi?</h2><ul class="vi-evidence">{items}</ul>'


def _related(handbook: Handbook, method: Record, page_url: str) -> str:
    others = [handbook.get("method", i) for i in method.get("related", ())]
    modules = modules_teaching(handbook, method.id)
    criteria = criteria_helped_by(handbook, method.id)
    parts = ['<h2 id="hanger-ihop-med">Hänger ihop med</h2>']
    if others:
        items = "".join(f'<li><a href="{esc(relative_url(page_url, method_url(o.id)))}">{text(o.get("title"))}</a></li>' for o in others if o)
        parts.append(f'<h3>Andra metoder</h3><ul class="vi-related-methods">{items}</ul>')
    if criteria:
        items = []
        for c in criteria:
            area = handbook.get("area", c.get("area"))
            where = f' <span class="vi-muted">(området {text(area.get("title"))})</span>' if area else ""
            items.append(f'<li><a href="{esc(relative_url(page_url, criterion_url(c.get("area"), c.id)))}">{text(c.get("title"))}</a>{where}</li>')
        parts.append('<h3>Kvalitetskriterier som metoden hjälper er att uppfylla</h3>'
                     f'<ul class="vi-related-criteria">{"".join(items)}</ul>')
    else:
        parts.append('<h3>Kvalitetskriterier</h3><p>Inget kriterium i kvalitetsmodellen hänvisar ännu till metoden.</p>')
    if modules:
        items = "".join(f'<li><a href="{esc(relative_url(page_url, module_url(m.id)))}">{text(m.get("title"))}</a></li>' for m in modules)
        parts.append(f'<h3>Moduler i handledarutbildningen</h3><ul class="vi-related-modules">{items}</ul>')
    else:
        parts.append('<h3>Moduler i handledarutbildningen</h3><p>Ingen modul i handledarutbildningen tar ännu upp metoden.</p>')
    return "".join(parts)


def method_page(handbook: Handbook, method: Record) -> str:
    url = method_url(method.id)
    title = method.text("title")
    card = relative_url(url, card_url(method.id))
    body = (
        f'<p class="vi-lead">{text(method.get("summary"))}</p>'
        + _facts(handbook, method)
        + f'<p class="vi-no-print"><a href="{esc(card)}">Metodkort att skriva ut (en sida)</a> · '
          f'<a href="{esc(relative_url(url, crosswalk_url()))}">Jämför ramverken</a></p>'
        + '<h2 id="vad-och-varfor">Vad och varför</h2>' + markdown(method.get("what_and_why"))
        + '<h2 id="steg">Steg och principer</h2>' + _steps(handbook, method, url)
        + '<h2 id="vad-kravs-av-er">Vad metoden kräver av er verksamhet</h2>' + markdown(method.get("asks_of_organiser"))
        + '<h2 id="tid-och-personer">Tid och personer</h2>' + f'<p>{text(method.get("resources"))}</p>'
        + _evidence(method)
        + _fidelity(method)
        + _related(handbook, method, url)
        + sources(method.get("sources"))
        + f'<p class="vi-file">Posten finns i filen <code>{esc(method.path)}</code> och ska ses över senast '
          f'{esc(method.get("review_by"))}.</p>'
    )
    page = _front_matter(title, method.text("summary")) + f"# {md_text(title)}\n" + block(f'<div class="vi-method">{body}</div>')
    if method.id == CALCULATOR_METHOD:
        page += block(calculator())
    return page


def card_page(handbook: Handbook, method: Record) -> str:
    """A one-page method card for printing: the essentials, no framework badges or long texts."""
    url = card_url(method.id)
    title = method.text("title")
    fidelity = _fidelity(method, heading="h2")
    body = (
        f'<p class="vi-no-print vi-card-actions"><a href="{esc(relative_url(url, method_url(method.id)))}">Tillbaka till hela beskrivningen</a> '
        '<button type="button" class="md-button vi-print-button" data-print hidden>Skriv ut kortet</button></p>'
        + f'<p class="vi-lead">{text(method.get("summary"))}</p>'
        + _facts(handbook, method)
        + '<h2>Steg</h2>' + _steps(handbook, method, url, with_frameworks=False)
        + '<h2>Det här kräver metoden av er</h2>' + markdown(method.get("asks_of_organiser"))
        + '<h2>Tid och personer</h2>' + f'<p>{text(method.get("resources"))}</p>'
        + fidelity
        + f'<p class="vi-card-foot">Metodkort ur handboken Vägar in. Hela beskrivningen med källor: '
          f'<a href="{esc(relative_url(url, method_url(method.id)))}">/{esc(method_url(method.id))}</a></p>'
    )
    card_title = f"Metodkort: {title}"
    return _front_matter(card_title, method.text("summary")) + f"# {md_text(card_title)}\n" + block(f'<div class="vi-card">{body}</div>')


def _step_list(handbook: Handbook, page_url: str, found) -> str:
    if not found:
        return '<span class="vi-muted">Inget steg ännu</span>'
    items = "".join(
        f'<li><a href="{esc(relative_url(page_url, method_url(m.id)) + "#steg")}">{text(m.get("title"))}</a>: '
        f'steg {n}, {text(step.get("title"))}</li>' for m, n, step in found)
    return f'<ul class="vi-cell-list">{items}</ul>'


def _criterion_list(handbook: Handbook, page_url: str, criteria) -> str:
    if not criteria:
        return '<span class="vi-muted">Inget kriterium ännu</span>'
    items = "".join(f'<li><a href="{esc(relative_url(page_url, criterion_url(c.get("area"), c.id)))}">{text(c.get("title"))}</a></li>' for c in criteria)
    return f'<ul class="vi-cell-list">{items}</ul>'


def crosswalk_page(handbook: Handbook) -> str:
    url = crosswalk_url()
    title = "Jämförelse mellan ramverken"
    parts = [
        "<p>Tabellerna visar hur metodernas steg och kvalitetsmodellens kriterier motsvarar tre ramverk: "
        "EUSE:s fem steg i Supported Employment, IPS åtta principer och EQUASS tio principer för kvalitet i sociala tjänster. "
        "Den sista tabellen visar kvalitetsmodellens områden och vilka metoder som hjälper er att uppfylla kriterierna i varje område.</p>"
        "<p>Allt räknas fram ur posterna i handboken. När en metod eller ett kriterium ändras, ändras tabellerna också.</p>",
        '<nav aria-label="Ramverken på sidan"><ul>'
        + "".join(f'<li><a href="#{key}">{esc(heading)}</a></li>' for key, _t, heading in FRAMEWORKS)
        + '<li><a href="#omraden">Kvalitetsmodellens områden</a></li></ul></nav>',
    ]
    for key, taxonomy, heading in FRAMEWORKS:
        record = handbook.get("taxonomy", taxonomy)
        rows = []
        for term in _terms(handbook, taxonomy):
            steps = steps_for_term(handbook, key, term.id)
            criteria = criteria_for_term(handbook, key, term.id)
            rows.append([f'<span id="{esc(term_anchor(key, term.id))}"><strong>{text(term.label)}</strong></span>'
                         + (f'<br><span class="vi-muted" lang="en">{esc(localise(term.label, "en")[0])}</span>' if "en" in term.label else ""),
                         _step_list(handbook, url, steps), _criterion_list(handbook, url, criteria)])
        intro = f"<p>{text(record.get('description'))}</p>" if record and record.get("description") else ""
        parts.append(f'<h2 id="{esc(key)}">{esc(heading)}</h2>{intro}'
                     + table(f"{esc(heading)}: metodernas steg och kvalitetskriterierna",
                             ["Steg eller princip", "Metodernas steg", "Kvalitetskriterier"], rows, "vi-crosswalk"))
    rows = []
    for area in handbook.all("area"):
        criteria = sorted(criteria_in_area(handbook, area.id), key=lambda c: c.order)
        helping = methods_for_area(handbook, area.id)
        framework_terms = []
        for key, taxonomy, _h in FRAMEWORKS:
            ids = []
            for c in criteria:
                ids += [t for t in ((c.get("frameworks") or {}).get(key) or ()) if t not in ids]
            framework_terms += [f'<li><a href="#{esc(term_anchor(key, t))}">{FRAMEWORK_NAMES[key]}: {esc(_term_label(handbook, taxonomy, t))}</a></li>'
                                for t in ids]
        methods_cell = ('<ul class="vi-cell-list">' + "".join(
            f'<li><a href="{esc(relative_url(url, method_url(m.id)))}">{text(m.get("title"))}</a></li>' for m in helping) + "</ul>"
        ) if helping else '<span class="vi-muted">Ingen metod ännu</span>'
        frameworks_cell = (f'<ul class="vi-cell-list">{"".join(framework_terms)}</ul>' if framework_terms
                           else '<span class="vi-muted">Inget ännu</span>')
        rows.append([f'<span id="omrade-{esc(area.id)}"><a href="{esc(relative_url(url, area_url(area.id)))}"><strong>{text(area.get("title"))}</strong></a></span>',
                     _criterion_list(handbook, url, criteria), methods_cell, frameworks_cell])
    parts.append('<h2 id="omraden">Kvalitetsmodellens områden</h2>'
                 "<p>Metoderna i tabellen är de som kriterierna i området hänvisar till. Ramverken är de som kriterierna motsvarar.</p>"
                 + table("Kvalitetsmodellens områden: kriterier, metoder och ramverk",
                         ["Område", "Kriterier", "Metoder som hjälper", "Motsvarar i ramverken"], rows, "vi-crosswalk"))
    return _front_matter(title) + f"# {md_text(title)}\n" + block(f'<div class="vi-crosswalk-page">{"".join(parts)}</div>')


def calculator() -> str:
    """The socio-economic calculator: inputs per cost category and actor, sums in the browser only."""
    fieldsets = []
    for cat_id, label, hint in COST_CATEGORIES:
        fields = "".join(
            f'<div class="vi-calc-field"><label for="vi-calc-{cat_id}-{actor_id}">{actor}</label>'
            f'<input class="vi-input" type="text" inputmode="numeric" autocomplete="off" id="vi-calc-{cat_id}-{actor_id}" '
            f'name="{cat_id}-{actor_id}" data-category="{cat_id}" data-actor="{actor_id}" '
            f'aria-describedby="vi-calc-{cat_id}-hint vi-calc-{cat_id}-{actor_id}-error">'
            f'<span class="vi-calc-error" id="vi-calc-{cat_id}-{actor_id}-error"></span></div>'
            for actor_id, actor in COST_ACTORS)
        fieldsets.append(f'<fieldset class="vi-calc-category"><legend>{esc(label)}</legend>'
                         f'<p class="vi-hint" id="vi-calc-{cat_id}-hint">{esc(hint)} Kronor per år.</p>'
                         f'<div class="vi-calc-fields">{fields}</div></fieldset>')
    head = "".join(f'<th scope="col">{a}</th>' for _i, a in COST_ACTORS) + '<th scope="col">Summa</th>'
    body = "".join(
        f'<tr><th scope="row">{esc(label)}</th>'
        + "".join(f'<td id="vi-calc-sum-{cat_id}-{a}">0 kr</td>' for a, _l in COST_ACTORS)
        + f'<td id="vi-calc-sum-{cat_id}">0 kr</td></tr>' for cat_id, label, _h in COST_CATEGORIES)
    foot = ('<tr><th scope="row">Summa per aktör</th>'
            + "".join(f'<td id="vi-calc-sum-{a}">0 kr</td>' for a, _l in COST_ACTORS)
            + '<td id="vi-calc-total">0 kr</td></tr>')
    result = (f'<div class="vi-scroll" role="region" aria-label="Resultat: kostnader per aktör" tabindex="0">'
              f'<table class="vi-calc-table"><caption>Resultat: kostnader per kategori och aktör, kronor per år</caption>'
              f'<thead><tr><th scope="col">Kostnad</th>{head}</tr></thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table></div>')
    manual_steps = "".join(f"<li>{esc(label)}: {esc(hint)}</li>" for _c, label, hint in COST_CATEGORIES)
    actors = ", ".join(a.lower() for _i, a in COST_ACTORS)
    return (
        '<section class="vi-calc-area" aria-labelledby="vi-calc-heading">'
        '<h2 id="vi-calc-heading">Räkna själv: kostnader per aktör</h2>'
        "<p>Här kan du göra en första, grov uppställning av vad utanförskap kostar och vem som bär kostnaden. "
        "Du skriver in dina egna siffror, till exempel från en utredning eller en uppskattning tillsammans med kommunen. "
        "Handboken fyller inte i några belopp åt dig: de siffror som finns i studier gäller de verksamheter som studerades.</p>"
        "<p><strong>Det du skriver stannar i din webbläsare.</strong> Inget skickas och inget sparas. "
        "Ett riktigt socioekonomiskt bokslut görs av en extern expert.</p>"
        '<form class="vi-calc" id="vi-calculator" novalidate hidden>'
        "<p>Skriv belopp i hela kronor, till exempel 12000 eller 12 000. Ett tomt fält räknas som 0.</p>"
        + "".join(fieldsets)
        + '<h3 id="vi-calc-result-heading">Resultat</h3>'
        '<p class="vi-calc-summary" id="vi-calc-summary" role="status" aria-live="polite">Totalt: 0 kr.</p>'
        + result
        + '<p class="vi-calc-note">Siffrorna är dina egna uppgifter, inte fakta från handboken.</p>'
        '<p class="vi-no-print vi-calc-buttons"><button type="button" class="md-button md-button--primary" id="vi-calc-print">Skriv ut resultatet</button> '
        '<button type="reset" class="md-button" id="vi-calc-reset">Töm alla fält</button></p>'
        "</form>"
        '<div class="vi-calc-manual"><h3>Så räknar du för hand</h3><ol>'
        f"<li>Gör en tabell med en rad för varje kostnad och en kolumn för varje aktör: {esc(actors)}.</li>"
        f"<li>Skriv in vad varje kostnad är värd för varje aktör under ett år, i hela kronor. Kostnaderna är:<ul>{manual_steps}</ul></li>"
        "<li>Lägg ihop varje kolumn. Då får du kostnaden för varje aktör.</li>"
        "<li>Lägg ihop aktörernas summor. Då får du den totala kostnaden.</li>"
        "<li>Gör gärna samma sak två gånger: en gång för situationen utan er insats och en gång med den. "
        "Skillnaden visar vad insatsen betyder för varje aktör.</li></ol></div>"
        "</section>"
    )


# Generated pages

@registry.pages
def method_pages(handbook: Handbook) -> list[tuple[str, str]]:
    found = []
    for method in methods(handbook):
        found.append((f"{SECTION}/{method.id}/index.md", method_page(handbook, method)))
        found.append((f"{SECTION}/{method.id}/kort.md", card_page(handbook, method)))
    if methods(handbook):
        found.append((f"{SECTION}/{CROSSWALK}.md", crosswalk_page(handbook)))
    return found

