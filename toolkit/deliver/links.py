"""Links in an e-mail: absolute under TOOLKIT_PUBLIC_URL, or none that cannot open.

The briefing is composed with links relative to its day folder (`articles/<id>.html`,
`../<day>/articles/<id>.html`, `#article-2`), which work in digest.html and go nowhere in a
mail client. With TOOLKIT_PUBLIC_URL, the address where the outputs folder is served, each
becomes absolute (the day's digest.html is the page they are relative to); without it, each
is reduced to its text, and the message says so once (LINK_NOTE). Links that are absolute
already (an article's source, http or https) are kept either way.
"""

import re
from html import escape, unescape
from urllib.parse import urljoin

from toolkit.state.settings import setting

PUBLIC_URL_ENV = "TOOLKIT_PUBLIC_URL"
LINK_NOTE = (
    "This e-mail has no links to the article pages: no public address of the briefing is "
    f"set ({PUBLIC_URL_ENV})."
)
OPENS_ANYWHERE = re.compile(r"(?:https?:|mailto:)", re.IGNORECASE)
ANCHOR = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def public_url() -> str | None:
    """$TOOLKIT_PUBLIC_URL with a final slash, None when unset; not http(s) is exit 2."""
    value = setting(PUBLIC_URL_ENV)
    if not value:
        return None
    return value if value.endswith("/") else value + "/"


def link_base(date: str) -> str | None:
    """The address the day's links are relative to: its digest.html under the public URL."""
    base = public_url()
    return urljoin(base, f"{date}/digest.html") if base else None


def absolute_links(html: str, base: str | None) -> str:
    """Every <a href> of rendered HTML made absolute against `base`, or, without a base,
    reduced to its text unless it opens from anywhere (http, https, mailto)."""

    def rewrite(match: re.Match) -> str:
        href, rest, text = match.groups()
        if OPENS_ANYWHERE.match(unescape(href)):
            return match.group(0)
        if base is None:
            return text
        return f'<a href="{escape(urljoin(base, unescape(href)))}"{rest}>{text}</a>'

    return ANCHOR.sub(rewrite, html)


def page_url(date: str, path: str) -> str | None:
    """A day folder's file (articles/<id>.html) as an absolute address, None without a base."""
    base = link_base(date)
    return urljoin(base, path) if base else None
