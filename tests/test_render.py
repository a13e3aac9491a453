"""Rendering: data is escaped, Markdown is sanitised, fallbacks are visible."""
from __future__ import annotations

from handbook import render
from handbook.render import esc, front_matter, link, markdown, md_text, relative_url, table, text


def test_text_is_escaped():
    assert text({"sv": '<script>alert("x")</script> & {{ 7*7 }}'}) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {{ 7*7 }}"


def test_missing_english_falls_back_to_swedish_with_a_notice():
    assert text({"sv": "Målgrupper"}, "en") == (
        '<span lang="sv">Målgrupper</span> <small class="vi-fallback">(This text is not yet available in English; it is shown in Swedish.)</small>'
    )
    assert text({"sv": "Målgrupper", "en": "Target groups"}, "en") == "Target groups"


def test_markdown_keeps_lists_and_links_but_drops_scripts_and_javascript_links():
    html = markdown({"sv": "Hej **du**\n\n- ett\n- två\n\n[bra](https://example.org) [dålig](javascript:alert(1))\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"})
    assert "<strong>du</strong>" in html
    assert "<li>ett</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">bra</a>' in html
    assert "javascript:" not in html
    assert "<script" not in html and "<img" not in html and "onerror" not in html


def test_link_refuses_other_schemes():
    assert link("javascript:alert(1)", "x") == "x"
    assert link("mailto:info@example.org", "Mejla") == '<a href="mailto:info@example.org">Mejla</a>'
    assert link('https://example.org/?a=1&b="2"', "<b>") == '<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">&lt;b&gt;</a>'


def test_markdown_text_cannot_become_markup():
    assert md_text("*Röda* [Korset](javascript:x) <b>") == r"\*Röda\* \[Korset\]\(javascript:x\) &lt;b&gt;"


def test_front_matter_values_are_escaped_json_strings():
    assert front_matter('Titel: "x"\nrender_macros: true') == '---\ntitle: "Titel: &quot;x&quot;\\nrender_macros: true"\n---\n'
    assert front_matter("</title><script>", description="a & b") == (
        '---\ntitle: "&lt;/title&gt;&lt;script&gt;"\ndescription: "a &amp; b"\n---\n')


def test_table_is_a_named_keyboard_reachable_region_with_header_scopes():
    html = table("Län &amp; koder", ["Kod", "Län"], [["01", "Stockholms län"]])
    assert html.startswith('<section class="vi-scroll" aria-label="Län &amp; koder" tabindex="0"><table>')
    assert '<th scope="col">Kod</th>' in html and "<caption>Län &amp; koder</caption>" in html


def test_relative_urls_between_pages():
    assert relative_url("kvalitetsmodell/handledning/", "metoder/ips/") == "../../metoder/ips/"
    assert relative_url("", "om/") == "om/"
    assert relative_url("metoder/ips/", "metoder/") == "../"
    assert relative_url("metoder/", "metoder/") == "./"


def test_esc_handles_none_and_numbers():
    assert esc(None) == "" and esc(5) == "5"


def test_trim_indentation_keeps_what_shows_and_where_white_space_counts():
    page = ('<ul>\n    <li>A</li>\n\n    <li>B <em>c</em>\n      d</li>\n</ul>\n'
            '<pre><code>def f():\n    return 1\n</code></pre>\n  <textarea>\n  två\n</textarea>\n'
            '<script>\n  var x = "  y";\n</script>\n  <STYLE>\n  a { }\n</STYLE>\n  <p>Ett  två</p>')
    assert render.trim_indentation(page) == (
        '<ul>\n<li>A</li>\n<li>B <em>c</em>\nd</li>\n</ul>\n'
        '<pre><code>def f():\n    return 1\n</code></pre>\n<textarea>\n  två\n</textarea>\n'
        '<script>\n  var x = "  y";\n</script>\n<STYLE>\n  a { }\n</STYLE>\n<p>Ett  två</p>')


def test_blocks_kept_out_of_markdown_during_a_build_come_back_whole_and_nested():
    from handbook import render as r

    outside = r.block("<p>a</p>")
    expected = r.block("<section>" + outside + "<p>&lt;!--vi-block:0--&gt;</p></section>")
    r.stash_blocks()
    try:
        inner = r.block("<p>a</p>")
        outer = r.block(f"<section>{inner}<p>{r.esc('<!--vi-block:0-->')}</p></section>")
        assert "<p>a</p>" not in outer and "<!--vi-block:" in outer
        filled = r.fill_blocks(outer)
        # the same markup as without stashing; escaped text that looks like a placeholder stays text
        assert filled == expected
        assert r.fill_blocks("<!--vi-block:99-->") == "<!--vi-block:99-->"  # not a block of this build: left as it is
    finally:
        r.stash_blocks(False)
    assert r.block("<p>a</p>") == outside  # outside a build, blocks hold their HTML


def test_no_page_of_the_built_site_holds_a_block_placeholder(real_site):
    for page in real_site.rglob("*.html"):
        assert "<!--vi-block:" not in page.read_text(encoding="utf-8"), page
