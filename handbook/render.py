"""Turn records into HTML fragments. Every data string is escaped on the way out.

Fragments are HTML blocks, so Markdown never reads data as syntax; fields
declared as Markdown are rendered here and then sanitised against an allowlist.
"""
from __future__ import annotations

import html
import json
import re

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .model import localise

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "blockquote", "h3", "h4", "table",
                "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
# The only classes a text may carry: those the checklist extension below sets.
ALLOWED_CLASSES = {"ul": {"vi-checklist"}, "li": {"vi-task", "vi-task-done"}}


LINK_SCHEMES = {"https", "http", "mailto"}

FALLBACK_NOTICE = {"en": "This text is not yet available in English; it is shown in Swedish."}


def esc(value) -> str:
    """HTML-escape any value as text."""
    return html.escape("" if value is None else str(value), quote=True)


def md_text(value: str) -> str:
    """Escape text for a Markdown heading or line: HTML first, then Markdown punctuation. A line break
    becomes a space (a heading is one line). `~` is left alone: Python-Markdown has no escape for it
    and would show the backslash, and without the tilde extension it means nothing."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>])", r"\\\1", re.sub(r"\s*[\r\n]+\s*", " ", esc(value)))


def text(value, lang: str = "sv") -> str:
    """Localised plain text, escaped; a fallback to Swedish is marked for the reader."""
    shown, fell_back = localise(value, lang)
    if fell_back:
        return f'<span lang="sv">{esc(shown)}</span> <small class="vi-fallback">({esc(FALLBACK_NOTICE.get(lang, ""))})</small>'
    return esc(shown)


class _Checklist(Treeprocessor):
    """A list item that starts with "[ ]" or "[x]" becomes a checklist item: the marker goes, the item
    gets the class vi-task (vi-task-done for [x]) and its list the class vi-checklist, which the CSS
    draws as empty boxes on screen and on paper. It stays a plain list for a screen reader."""
    MARK = re.compile(r"^\[( |x|X)\]\s+")

    def run(self, root):
        for ul in root.iter("ul"):
            for li in ul.findall("li"):
                holder = li if (li.text or "").strip() or not len(li) or li[0].tag != "p" else li[0]
                found = self.MARK.match(holder.text or "")
                if found:
                    holder.text = holder.text[found.end():]
                    li.set("class", "vi-task vi-task-done" if found.group(1) != " " else "vi-task")
                    ul.set("class", "vi-checklist")  # a list still: its marker is invisible, not none (CSS)


class _ChecklistExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_Checklist(md), "vi_checklist", 5)  # after the inline patterns (20)


def _converter() -> _markdown.Markdown:
    """One Markdown converter, reset before each text (setting one up costs more than most texts)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        _MARKDOWN = _markdown.Markdown(extensions=["sane_lists", _ChecklistExtension()], output_format="html")
    return _MARKDOWN


_MARKDOWN: _markdown.Markdown | None = None


def markdown(value, lang: str = "sv") -> str:
    """Localised Markdown rendered to HTML, then sanitised: tags outside the allowlist are removed."""
    source, fell_back = localise(value, lang)
    rendered = _converter().reset().convert(source)
    clean = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, allowed_classes=ALLOWED_CLASSES,
                      url_schemes=LINK_SCHEMES, link_rel="noopener noreferrer")
    if fell_back:
        clean = f'<div lang="sv">{clean}</div><p class="vi-fallback">{esc(FALLBACK_NOTICE.get(lang, ""))}</p>'
    return clean


def link(url: str, label: str) -> str:
    """A link to a checked URL (https:, http: or mailto: only; the schema checked it)."""
    if not re.match(r"^(https?:|mailto:)", url or "", re.IGNORECASE):
        return esc(label)
    return f'<a href="{esc(url)}">{esc(label)}</a>'


def cite(source, lang: str = "sv") -> str:
    """One source: its title (a link only where the text can be read), who made it, when, and what it is."""
    parts = [link(source.get("url") or "", source["title"])]
    parts += [text(source["publisher"], lang)] if source.get("publisher") else []
    parts += [esc(source["date"])] if source.get("date") else []
    note = f" ({text(source['note'], lang)})" if source.get("note") else ""
    return ", ".join(parts) + note


def cite_text(source) -> str:
    """One source as plain text, for the downloads: title, who made it, when, what it is, <address>."""
    shown = ", ".join(localise(source[key], "sv")[0] if key == "publisher" else str(source[key])
                      for key in ("title", "publisher", "date") if source.get(key))
    shown += f" ({localise(source['note'], 'sv')[0]})" if source.get("note") else ""
    return shown + (f" <{source['url']}>" if source.get("url") else "")


def sources(items, lang: str = "sv") -> str:
    if not items:
        return ""
    heading = "Källor" if lang == "sv" else "Sources"
    rows = "".join(f"<li>{cite(s, lang)}</li>" for s in items)
    return f'<div class="vi-sources"><h2>{heading}</h2><ul>{rows}</ul></div>'


def table(caption: str, headers: list[str], rows: list[list[str]], css: str = "") -> str:
    """A real table: caption, header cells with scope. Cells are HTML already escaped by the caller."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{esc(css)}"' if css else ""
    label = esc(html.unescape(re.sub(r"<[^>]+>", "", caption)))
    # A wide table scrolls inside its own region, which keyboard users can reach and screen readers name.
    return (f'<section class="vi-scroll" aria-label="{label}" tabindex="0">'
            f"<table{klass}><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>")


def width_class(percent) -> str:
    """The class that sets a bar's width in whole per cent (`vi-w-0` ... `vi-w-100`, in handbook.css): a
    bar's width is no inline style, which a Content-Security-Policy for styles and checkers refuse.
    A bar with any amount is at least 1 % wide."""
    value = float(percent)
    return f"vi-w-{0 if value <= 0 else min(100, max(1, round(value)))}"


def block(inner: str) -> str:
    """Wrap a fragment as an HTML block that Markdown leaves alone.

    During a build (`stash_blocks`) the fragment waits outside the Markdown: Markdown passes the
    block through unchanged, but its HTML parser reads every tag of it first, which cost a build
    more than the rest of converting the pages. The block holds a placeholder, and `fill_blocks`
    puts the fragment back once Markdown has run: the page is the same, byte for byte."""
    if _stash is not None:
        _stash.append(inner)
        inner = f"<!--vi-block:{len(_stash) - 1}-->"
    return f'\n<div class="vi-block" markdown="0">\n{inner}\n</div>\n'


_stash: list[str] | None = None
_PLACEHOLDER = re.compile(r"<!--vi-block:(\d+)-->")


def keep_blocks(html: str) -> tuple:
    """A text of this build with its blocks taken along, for a later build (`put_blocks`): a
    placeholder is a number in this build's fragments, which the next build does not have."""
    stash = _stash
    if not stash or "<!--vi-block:" not in html:
        return html, ()
    fragments: list = []

    def local(match: re.Match) -> str:
        index = int(match.group(1))
        if index >= len(stash):
            return match.group(0)
        fragments.append(keep_blocks(stash[index]))
        return f"<!--vi-block:{len(fragments) - 1}-->"

    return _PLACEHOLDER.sub(local, html), tuple(fragments)


def put_blocks(kept: tuple) -> str:
    """A text kept by `keep_blocks`, its fragments stashed again in this build (or put in place)."""
    html, fragments = kept
    if not fragments:
        return html

    def place(match: re.Match) -> str:
        inner = put_blocks(fragments[int(match.group(1))])
        if _stash is None:
            return inner
        _stash.append(inner)
        return f"<!--vi-block:{len(_stash) - 1}-->"

    return _PLACEHOLDER.sub(place, html)


def kept_blocks() -> list[str] | None:
    """The fragments of the build under way (the list itself: it stays whole when the build ends)."""
    return _stash


def stash_blocks(on: bool = True) -> None:
    """Start (or end) keeping the fragments of `block` out of the Markdown, for one build."""
    global _stash
    _stash = [] if on else None


def fill_blocks(html: str, stash: list[str] | None = None) -> str:
    """The HTML with every block's fragment in place of its placeholder (fragments can hold blocks);
    the fragments of this build, or of `stash` (`kept_blocks`, for a build that has ended).

    Placeholders are comments, so text from content can never be one: it is escaped, and Markdown
    fields are sanitised, which drops comments."""
    stash = _stash if stash is None else stash
    if not stash or "<!--vi-block:" not in html:
        return html

    def fragment(match: re.Match) -> str:
        index = int(match.group(1))
        return fill_blocks(stash[index], stash) if index < len(stash) else match.group(0)

    return _PLACEHOLDER.sub(fragment, html)


def front_matter(title: str, **meta) -> str:
    """Front matter for a generated page, from plain text.

    The theme writes the title and description into <title>, the header and <meta> without
    escaping them, so text values are HTML-escaped here; they are JSON strings, which YAML reads
    as plain text (never as another key or a template).
    """
    def value(item):
        return json.dumps(esc(item) if isinstance(item, str) else item, ensure_ascii=False)

    lines = [f"title: {value(title)}"] + [f"{key}: {value(item)}" for key, item in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page to another, both given as site paths such as "metoder/ips/".

    Links stay relative, so the site works under any base path and offline from files.
    """
    import posixpath

    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url, "/" + from_dir)
    if to_url.endswith("/") and not target.endswith("/"):
        target += "/"
    return "./" if target in (".", "./") else target


_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t\r\n]+")


def trim_indentation(page: str) -> str:
    """The page without the indentation and blank lines between its lines (the theme indents its
    templates: a fifth of a page's bytes). A run of white space with a line break in it shows as
    one space wherever it shows at all, and a line break is kept; the insides of pre, textarea,
    script and style, where white space counts, are left as they are."""
    parts = _KEEP_WHITESPACE.split(page)
    # split gives text, kept element, its tag name, text, ...: trim every third piece from the first.
    for index in range(0, len(parts), 3):
        parts[index] = _INDENT.sub("\n", parts[index])
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)
