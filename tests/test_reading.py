"""handbook.reading without a browser: headings to a table of contents, sequences, the policy."""
from __future__ import annotations

import base64
import hashlib
import re

from handbook import reading, render


def test_headings_get_ids_that_are_unique_and_start_with_a_letter():
    page = ('<h1 id="t">Titel<a class="headerlink" href="#t">¶</a></h1><div><h2>Vad och varför</h2><p>text'
            '<h3 id="1-steg">Steg ett</h3></div><h2>Vad och varför</h2><p id="vad-och-varfor-3">x</p>'
            '<h2>Vad &amp; hur</h2><a href="#1-steg">till steget</a>')
    html, tokens = reading.headings(page)
    ids = re.findall(r' id="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if i[0].isdigit()]
    assert '<h2 id="vad-och-varfor">' in html and '<h2 id="vad-och-varfor-2">' in html
    assert 'href="#avsnitt-1-steg"' in html and 'href="#1-steg"' not in html  # links follow a renamed id
    assert [t["id"] for t in tokens] == ["t"]
    titles = [(c["level"], c["id"], c["name"]) for c in tokens[0]["children"]]
    assert titles == [(2, "vad-och-varfor", "Vad och varför"), (2, "vad-och-varfor-2", "Vad och varför"),
                      (2, "vad-hur", "Vad &amp; hur")]
    assert tokens[0]["name"] == "Titel"  # the permalink's ¶ is no part of the title
    assert [c["id"] for c in tokens[0]["children"][0]["children"]] == ["avsnitt-1-steg"]


def test_headings_hidden_from_everyone_stay_out_of_the_table_of_contents():
    html, tokens = reading.headings('<div aria-hidden="true"><h2>Dold</h2></div><section hidden><h2>Visas av skriptet</h2></section>'
                                    '<h2>Synlig</h2>')
    assert [t["name"] for t in tokens] == ["Visas av skriptet", "Synlig"]
    assert '<h2 id="dold">' in html  # it still gets an id


def test_headings_in_a_closed_details_stay_out_of_the_table_of_contents():
    html, tokens = reading.headings('<details><summary>Mer</summary><div><h3>Inuti</h3></div></details>'
                                    '<details open><summary>Öppen</summary><h3>Syns</h3></details><h2>Efter</h2>')
    assert [t["name"] for t in tokens] == ["Syns", "Efter"]
    assert '<h3 id="inuti">' in html


def test_sections_follow_the_order_the_areas_make_their_pages_in():
    paths = ["handledarutbildning/b.md", "handledarutbildning/b/deltagarblad.md", "handledarutbildning/a.md",
             "metoder/x/index.md", "metoder/x/kort.md", "metoder/jamforelse.md", "metoder/y/index.md",
             "kvalitetsmodell/one.md", "arbetspaket/paket-2.md", "arbetspaket/paket-1.md"]
    found = reading.sequences(paths)
    assert found["handledarutbildning/b.md"] == (None, "handledarutbildning/a.md")
    assert found["handledarutbildning/a.md"] == ("handledarutbildning/b.md", None)
    assert found["metoder/x/index.md"] == (None, "metoder/y/index.md")
    assert "metoder/x/kort.md" not in found and "metoder/jamforelse.md" not in found
    assert "handledarutbildning/b/deltagarblad.md" not in found
    assert found["kvalitetsmodell/one.md"] == (None, None)
    assert found["arbetspaket/paket-2.md"] == (None, "arbetspaket/paket-1.md")


def test_the_policy_holds_the_hash_of_each_inline_script_and_no_unsafe_inline():
    script = 'var a = 1;\nconsole.log(a)'
    page = ('<html><head><meta charset="utf-8"><title>x</title><script>' + script + '</script>'
            '<script id="__config" type="application/json">{"a": 1}</script><script src="x.js"></script></head>'
            '<body></body></html>')
    out = reading.with_csp(page)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', out).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    script_src = re.search(r"script-src ([^;]*)", policy).group(1).split()
    assert f"'sha256-{digest}'" in script_src
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 1  # data blocks and files need no hash
    assert out.index("Content-Security-Policy") < out.index("<title>")
    assert reading.with_csp(out).count("Content-Security-Policy") == 1  # again: one policy, the same
    assert reading.with_csp(out) == out
    changed = reading.with_csp(out.replace("var a = 1", "var a = 2"))
    assert f"'sha256-{digest}'" not in changed  # the policy follows the scripts as they are


def test_markdown_attributes_go_but_code_that_shows_them_stays():
    page = '<div class="vi-block" markdown="0"><p markdown="1">x</p></div><pre><code>&lt;div markdown="1"&gt;</code></pre>'
    assert reading.without_markdown_attributes(page) == \
        '<div class="vi-block"><p>x</p></div><pre><code>&lt;div markdown="1"&gt;</code></pre>'


def test_code_blocks_take_the_keyboard_once():
    once = reading.focusable_code('<pre><code class="language-text">a</code></pre>')
    assert once == '<pre><code tabindex="0" class="language-text">a</code></pre>'
    assert reading.focusable_code(once) == once


def test_bar_widths_are_classes_in_whole_per_cent():
    assert [render.width_class(v) for v in ("0", "0.0", "0.4", "12.5", "99.6", "100.0", "130")] == \
        ["vi-w-0", "vi-w-0", "vi-w-1", "vi-w-12", "vi-w-100", "vi-w-100", "vi-w-100"]


def test_every_width_class_has_its_rule():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "docs" / "assets" / "handbook.css").read_text(encoding="utf-8")
    for n in range(101):
        assert f".vi-w-{n}{{width:{n}%}}" in css
