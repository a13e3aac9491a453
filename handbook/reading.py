"""Reading long pages: the headings of a page's HTML as a table of contents, and the pages of a
section in their order (previous / next).

The table of contents of a page is made from its Markdown, but the headings of generated pages sit
in HTML blocks that Markdown never reads. `headings` reads them from the finished HTML: every
`<h1>`-`<h3>` outside an aria-hidden element, with an id (one is made where a heading has none; ids are
unique on the page and never start with a digit, which HTML allows but CSS selectors and some
checkers do not). No MkDocs import here: the hook turns the tokens into the theme's TOC.
"""
from __future__ import annotations

import html as _html
import re
import unicodedata
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HEADING = re.compile(r"h([1-6])")
_ID = re.compile(r'\sid="([^"]*)"')


def slug(text: str) -> str:
    """An ASCII id from a heading's text, as Markdown's toc extension makes them ("Vad och varför"
    -> "vad-och-varfor")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", ascii_text).strip().lower())


def valid_id(value: str, prefix: str = "avsnitt") -> str:
    """An id that does not start with a digit (or is empty): "1-arbete" -> "avsnitt-1-arbete"."""
    return value if value and not value[0].isdigit() and not value.startswith("-") else f"{prefix}-{value}".rstrip("-")


class _Headings(HTMLParser):
    """The h1-h3 of a page with where their start tags are, and whether a hidden element holds them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.found: list[dict] = []
        self.ids: set[str] = set()
        self._open: dict | None = None
        self._skip = 0  # inside a heading's permalink

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values and values["id"]:
            self.ids.add(values["id"])
        if self._open is not None and tag == "a" and "headerlink" in (values.get("class") or ""):
            self._skip += 1
        # Left out: what is hidden from everyone (aria-hidden). A part with the hidden attribute stays in:
        # the page's script shows it (the self-assessment's summary), and the theme's TOC needs that script too.
        # Left out too: what a closed <details> holds (a link from the TOC would lead to nothing visible).
        hidden = self._hidden() or values.get("aria-hidden") == "true" or (tag == "details" and "open" not in values)
        match = _HEADING.fullmatch(tag)
        if match and int(match.group(1)) <= 3 and self._open is None:
            self._open = {"level": int(match.group(1)), "id": values.get("id") or "", "text": [],
                          "pos": self.getpos(), "tag": self.get_starttag_text(), "hidden": hidden}
        if tag not in _VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self._skip and tag == "a":
            self._skip -= 1
        # close up to the matching start tag (HTML may leave p and li open)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if self._open is not None and tag == f"h{self._open['level']}":
            self.found.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is not None and not self._skip:
            self._open["text"].append(data)


def _offsets(text: str) -> list[int]:
    starts, at = [0], 0
    for line in text.split("\n"):
        at += len(line) + 1
        starts.append(at)
    return starts


def headings(page_html: str) -> tuple[str, list[dict]]:
    """(the HTML with an id on every heading, the headings as MkDocs' TOC tokens: level, id, name,
    children, nested by level). Headings in aria-hidden elements and closed <details> are left out of the tokens."""
    parser = _Headings()
    parser.feed(page_html)
    parser.close()
    lines = _offsets(page_html)
    taken = set(parser.ids)
    edits: list[tuple[int, int, str]] = []  # (start, end, new start tag)
    renamed: dict[str, str] = {}
    flat = []
    for found in parser.found:
        name = re.sub(r"\s+", " ", "".join(found["text"])).strip()
        if not name:
            continue
        old = found["id"]
        new = old if old and valid_id(old) == old else ""
        if not new:
            base = valid_id(slug(old or name) or "avsnitt")
            new, n = base, 1
            while new in taken:
                n += 1
                new = f"{base}-{n}"
            taken.add(new)
            start = lines[found["pos"][0] - 1] + found["pos"][1]
            tag = found["tag"]
            rewritten = _ID.sub(f' id="{new}"', tag, count=1) if old else tag[:-1].rstrip("/") + f' id="{new}">'
            edits.append((start, start + len(tag), rewritten))
            if old:
                renamed[old] = new
        if not found["hidden"]:
            flat.append({"level": found["level"], "id": new, "name": _html.escape(name, quote=False), "children": []})
    for start, end, tag in sorted(edits, reverse=True):
        page_html = page_html[:start] + tag + page_html[end:]
    for old, new in renamed.items():
        page_html = page_html.replace(f'href="#{old}"', f'href="#{new}"')
    return page_html, _nest(flat)


def _nest(flat: list[dict]) -> list[dict]:
    top: list[dict] = []
    path: list[dict] = []
    for token in flat:
        while path and path[-1]["level"] >= token["level"]:
            path.pop()
        (path[-1]["children"] if path else top).append(token)
        path.append(token)
    return top


def count(tokens: list[dict]) -> int:
    return sum(1 + count(t["children"]) for t in tokens)


def sections(tokens: list[dict]) -> int:
    """How many sections a page has: its h2 (or its top level when it has no h1)."""
    if len(tokens) == 1 and tokens[0]["level"] == 1:
        return len(tokens[0]["children"])
    return len(tokens)


_MARKDOWN_ATTRIBUTE = re.compile(r'(<[a-zA-Z][^<>]*?)\smarkdown="(?:0|1|block|span)"')


def without_markdown_attributes(page_html: str) -> str:
    """The page without the `markdown` attributes md_in_html leaves in its output (no such attribute in
    HTML). Only inside tags: in text, code included, a "<" is escaped."""
    return _MARKDOWN_ATTRIBUTE.sub(r"\1", page_html)


_CODE_BLOCK = re.compile(r"<pre><code(?![^>]*\stabindex=)")


def focusable_code(page_html: str) -> str:
    """Code blocks scroll sideways when a line is long: each can be reached with the keyboard, so it can
    be scrolled without a mouse (axe scrollable-region-focusable)."""
    return _CODE_BLOCK.sub('<pre><code tabindex="0"', page_html)


# Sequences: generated pages that are read one after another, in the order their area makes them.
SEQUENCES = (
    re.compile(r"handledarutbildning/[^/]+\.md"),   # the training's modules
    re.compile(r"kvalitetsmodell/[^/]+\.md"),       # the quality model's areas
    re.compile(r"metoder/[^/]+/index\.md"),         # the methods
    re.compile(r"arbetspaket/[^/]+\.md"),           # the work packages
)


def sequences(paths: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Each path of a sequence with (previous, next) in its sequence, from the paths in build order."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for pattern in SEQUENCES:
        members = [p for p in paths if pattern.fullmatch(p)]
        for index, path in enumerate(members):
            found[path] = (members[index - 1] if index else None, members[index + 1] if index + 1 < len(members) else None)
    return found


# Content-Security-Policy: the site's own files, and the few inline scripts of the theme by the hash of
# their text (computed for each page: a script's text can differ by the page's depth). An injected
# script, inline or from elsewhere, is refused by the browser. Styles may be inline (the theme's script
# sets style attributes); nothing else is loaded from another origin.
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def script_hashes(page_html: str) -> list[str]:
    import base64
    import hashlib

    found = []
    for match in _INLINE_SCRIPT.finditer(page_html):
        attrs = match.group("attrs") or ""
        if re.search(r"\ssrc=", attrs) or any(kind in attrs for kind in _DATA_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode("ascii")
        if f"'sha256-{digest}'" not in found:
            found.append(f"'sha256-{digest}'")
    return found


def csp(page_html: str) -> str:
    # 'wasm-unsafe-eval' lets the site's own WebAssembly run (a search engine such as Pagefind's), and
    # nothing else: no inline script, no eval of strings.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'"] + script_hashes(page_html))
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


def with_csp(page_html: str, policy=None) -> str:
    """The page with its policy (`csp`, or the function `policy` of the page) as the first thing in its
    head after the character set (again if it had one: the policy follows the page's scripts as they are
    now)."""
    page_html = _CSP_META.sub("", page_html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{(policy or csp)(page_html)}">'
    charset = re.search(r"<meta charset=[^>]*>", page_html, re.I)
    if charset is not None:
        return page_html[:charset.end()] + tag + page_html[charset.end():]
    head = re.search(r"<head[^>]*>", page_html, re.I)
    return page_html[:head.end()] + tag + page_html[head.end():] if head is not None else page_html


# The page's date in the foot of every printed sheet (overrides/main.html writes the foot's @page rule
# with the handbook's name and the page's address; the date is known once the page has its facts).
_CHANGED = re.compile(r'<p class="vi-changed">([^<]*)<time datetime="(\d{4}-\d{2}-\d{2})">')
_FOOT = '@bottom-left{content:"'
_FOOT_END = '";font:7pt'


def dated_foot(page_html: str) -> str:
    """The page with its "last changed" line ("Senast ändrad 2026-12-02") after the address in the foot
    of its printed sheets; as it was when it has no such line or no foot."""
    changed = _CHANGED.search(page_html)
    at = page_html.find(_FOOT) if changed else -1
    end = page_html.find(_FOOT_END, at) if at >= 0 else -1
    if end < 0:
        return page_html
    said = f"{changed.group(1).strip()} {changed.group(2)}".replace("\\", "\\\\").replace('"', '\\"')
    return f"{page_html[:end]} · {said}{page_html[end:]}"

