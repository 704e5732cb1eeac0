"""digest.md → digest.html: markdown-it-py (CommonMark + tables), self-contained and safe.

Raw HTML is off, so `<script>` in article text renders as text; a Content-Security-Policy
that allows no script is a second wall. Runs of Arabic script are wrapped in
<span dir="rtl" lang="ar"> so that headlines read right to left inside the English page.
"""

import re
from html import escape
from importlib import resources

from markdown_it import MarkdownIt

from toolkit.text.arabic import SCRIPT

ARABIC_RUN = re.compile(rf"[{SCRIPT}]+(?:[\s\d«»\"“”().,،؛:\-]+[{SCRIPT}]+)*[»”)]?")
ARTICLE_HEADING = re.compile(r"^(\d+)\. ")

CSS = (resources.files("toolkit") / "data" / "digest.css").read_text(encoding="utf-8")
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>{head}
<style>{css}</style>
</head>
<body>
<main>
{body}</main>
</body>
</html>
"""


def _text_with_rtl_spans(renderer, tokens, index, options, env) -> str:
    text = escape(tokens[index].content, quote=False)
    return ARABIC_RUN.sub(lambda m: f'<span dir="rtl" lang="ar">{m.group()}</span>', text)


def _heading_open(renderer, tokens, index, options, env) -> str:
    token = tokens[index]
    inline = tokens[index + 1]
    number = ARTICLE_HEADING.match(inline.content) if token.tag == "h2" else None
    if number:
        token.attrSet("id", f"article-{number.group(1)}")
    return f"<{token.tag}{_attributes(token)}>"


def _attributes(token) -> str:
    return "".join(f' {name}="{escape(str(value))}"' for name, value in (token.attrs or {}).items())


def markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )
    md.add_render_rule("text", _text_with_rtl_spans)
    md.add_render_rule("heading_open", _heading_open)
    return md


def render_html(markdown_text: str, title: str, feed: str | None = None) -> str:
    """A whole page; `feed` is the href of an Atom feed that readers' tools should discover."""
    body = markdown_renderer().render(markdown_text)
    head = (
        f'\n<link rel="alternate" type="application/atom+xml" title="{escape(title)}" '
        f'href="{escape(feed)}">'
        if feed
        else ""
    )
    return PAGE.format(title=escape(title), head=head, css=CSS.strip(), body=body)
