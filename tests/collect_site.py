"""A news site on 127.0.0.1 for the collect tests: two outlets, feeds, pages and traps.

Articles are the real ones in ../shared/articles when present (read through our own ingest:
headline and paragraphs), else the fictional ones below. Each page wraps one article in the
furniture of an Arabic news site (nav, cookie notice with its "موافق" button, byline,
timestamp, share buttons, an in-text "read also" link, a photo caption, tags, related links,
reader comments, newsletter box, footer, scripts). `sentences` of an article are the real
sentences a collector must keep; everything else on the page is furniture.

Outlets: "al-ain" (RSS 2.0 at /al-ain/rss.xml) and "sky" (Atom at /sky/atom.xml), plus
"broken" (a feed cut off mid-entry) and "dead" (its feed answers 500). The hostile outlet of
issue 28 (Site.add_hostile) aims its links and redirects at bad URLs, at another port of
127.0.0.1 and at private addresses; /charsets/ serves a page in ISO-8859-6, /dated/ pages
that carry their own dates under a feed that dates them all the same day, and
/modified/rss.xml a feed with Last-Modified only.
"""

import contextlib
import functools
import gzip
import hashlib
import json
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.ingest import ingest_file
from toolkit.ingest.debris import ends_like_sentence

SHARED_ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "articles"

# Fictional events, written for these tests (used when ../shared/articles is absent).
FICTIONAL = [
    (
        "مجلس مدينة الواحة يقر خطة لحماية المياه الجوفية",
        [
            "أقر مجلس مدينة الواحة، مساء الثلاثاء، خطة من ثماني نقاط لحماية المياه الجوفية "
            "بعد تراجع منسوب الآبار للعام الثالث على التوالي.",
            "وتنص الخطة على تركيب عدادات ذكية في 1200 بئر زراعية قبل نهاية العام المقبل.",
            "وصوت الأعضاء بالإجماع.",
            "وقال رئيس المجلس سالم الدرعي إن «كل قطرة ماء باتت تحسب»، مضيفا أن الغرامات "
            "ستطبق على المخالفين بعد فترة سماح مدتها ستة أشهر.",
            "ورحب المزارعون بالقرار بحذر.",
            "وأشار تقرير هيئة المياه إلى أن الاستهلاك الزراعي يمثل نحو 70 في المئة من المياه "
            "المستخرجة في المنطقة.",
            "ويبدأ التنفيذ في مارس.",
        ],
    ),
    (
        "افتتاح أول خط قطار كهربائي بين ميناء الصخيرة والمنطقة الصناعية",
        [
            "افتتحت هيئة النقل في ميناء الصخيرة أول خط قطار كهربائي يربط الميناء بالمنطقة "
            "الصناعية الجديدة على مسافة 42 كيلومترا.",
            "ويتسع القطار لنقل 300 حاوية يوميا، وفق بيان الهيئة.",
            "وبلغت تكلفة المشروع 850 مليون دينار.",
            "وقالت مديرة المشروع ليلى الحسيني إن الخط سيخفض عدد الشاحنات على الطريق الساحلي "
            "بنحو الثلث، ما يقلل الازدحام والانبعاثات.",
            "وتأخر الافتتاح عامين.",
            "ومن المتوقع أن يمتد الخط إلى مدينة القرين في مرحلة ثانية لم يحدد موعدها بعد.",
        ],
    ),
    (
        "مهرجان الكتاب في مدينة النخيل يستقبل مئة ألف زائر",
        [
            "اختتم مهرجان الكتاب في مدينة النخيل دورته العاشرة بعد أن استقبل أكثر من مئة ألف "
            "زائر خلال عشرة أيام.",
            "وشاركت في المهرجان 240 دار نشر من 18 بلدا.",
            "وحلت الشعرية ضيف شرف.",
            "وقال مدير المهرجان نادر الشامي إن مبيعات كتب الأطفال تضاعفت مقارنة بالعام الماضي، "
            "وإن ورش القراءة امتلأت منذ اليوم الأول.",
            "وأعلن المنظمون جائزة جديدة للترجمة.",
            "وتقام الدورة المقبلة في الربيع.",
        ],
    ),
    (
        "انقطاع الكهرباء عن أحياء في مدينة الساحل بسبب عاصفة رملية",
        [
            "انقطعت الكهرباء عن سبعة أحياء في مدينة الساحل ليل الأحد بعد أن أسقطت عاصفة رملية "
            "عددا من أبراج الضغط العالي شمال المدينة.",
            "وعادت الخدمة إلى أربعة أحياء صباح الاثنين.",
            "وقالت شركة الكهرباء في بيان إن فرق الصيانة تعمل على مدار الساعة، وإنها تتوقع "
            "إعادة التيار إلى بقية الأحياء خلال يومين.",
            "ولم تسجل إصابات.",
            "وأغلقت المدارس في الأحياء المتضررة، فيما فتحت البلدية ثلاثة مراكز لشحن الهواتف "
            "وتوزيع المياه الباردة على السكان.",
        ],
    ),
    (
        "فريق الجامعة الوطنية يفوز بمسابقة الروبوتات الإقليمية",
        [
            "فاز فريق الجامعة الوطنية بالمركز الأول في مسابقة الروبوتات الإقليمية التي "
            "استضافتها مدينة الجبل بمشاركة 36 فريقا.",
            "وصمم الطلاب روبوتا قادرا على فرز النفايات القابلة لإعادة التدوير بدقة بلغت 94 "
            "في المئة.",
            "وحصل الفريق على منحة بحثية.",
            "وقالت قائدة الفريق رنا العطار إن العمل على المشروع استغرق ثمانية أشهر، وإن "
            "الفريق يسعى الآن إلى تجربة الروبوت في مصنع محلي.",
            "وتقام النهائيات الدولية في الصيف.",
        ],
    ),
]

# Only letters ISO-8859-6 has (no «», no Persian letters): served in that charset too.
PARK = (
    "بلدية الميناء تفتتح حديقة عامة جديدة على الواجهة البحرية",
    [
        "افتتحت بلدية مدينة الميناء، صباح الخميس، حديقة عامة جديدة على الواجهة البحرية بمساحة "
        "تبلغ عشرين ألف متر مربع.",
        "وتضم الحديقة ملاعب للأطفال ومسارا للدراجات وممشى بطول ثلاثة كيلومترات.",
        "وقال رئيس البلدية كمال النجار إن المشروع استغرق عامين، وإن الحديقة ستفتح أبوابها مجانا "
        "طوال أيام الأسبوع.",
        "وزرعت البلدية أكثر من ألف شجرة محلية تتحمل الحرارة والملوحة.",
    ],
)

NAV = ["الرئيسية", "سياسة", "اقتصاد", "رياضة", "العالم", "تكنولوجيا", "منوعات"]
COOKIE = (
    "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك، وباستمرارك في التصفح فإنك توافق على ذلك."
)
BYLINE = "بقلم: سلمى عبد الرحمن"
DATELINE = "أبوظبي - العين الإخبارية"
SHARE = ["شارك", "فيسبوك", "تويتر", "واتساب", "نسخ الرابط"]
READ_ALSO = "اقرأ أيضاً: الأمم المتحدة تدعو إلى وقف التصعيد في المنطقة"
CAPTION = "صورة أرشيفية من اجتماع سابق (رويترز)"
TAGS = ["الوسوم", "أمن", "أوروبا"]
RELATED = [
    "ارتفاع أسعار الذهب في الأسواق العالمية",
    "وزير الخارجية يستقبل نظيره الأردني في العاصمة",
    "انطلاق بطولة الخليج للشباب بمشاركة ثماني دول",
]
COMMENTS = [
    ("خالد من القاهرة", "مقال مهم جدا، ونتمنى أن تتحرك الحكومات بسرعة قبل فوات الأوان."),
    ("منى", "شكرا على هذا التقرير المفصل والواضح، ننتظر المزيد من هذه التحقيقات."),
]
NEWSLETTER = "اشترك في النشرة البريدية لتصلك أهم الأخبار يومياً"
FOOTER = ["من نحن", "اتصل بنا", "سياسة الخصوصية", "جميع الحقوق محفوظة © 2026 العين الإخبارية"]
FURNITURE = [
    *NAV,
    COOKIE,
    "موافق",
    BYLINE,
    DATELINE,
    *SHARE,
    READ_ALSO,
    CAPTION,
    *TAGS,
    "الأكثر قراءة",
    *RELATED,
    "التعليقات (2)",
    *(text for pair in COMMENTS for text in pair),
    NEWSLETTER,
    *FOOTER,
]

ENGLISH_PAGE = """<!doctype html><html lang="en"><head><title>Markets close higher</title>
</head><body><nav><a href="/">Home</a></nav><article><h1>Markets close higher</h1>
<p>Stocks in the region closed higher on Thursday as oil prices rose for a third day.</p>
<p>Traders said the gains were broad, with banks and energy firms leading.</p>
<p>The central bank is expected to hold rates at its meeting next week.</p>
</article></body></html>"""


@dataclass
class SiteArticle:
    slug: str
    title: str
    paragraphs: list[str]
    date: str  # YYYY-MM-DD
    sentences: list[str] = field(default_factory=list)  # normalized, what must come through


def load_articles() -> list[SiteArticle]:
    """The real articles (every article of every shared file) or the fictional ones."""
    found: list[tuple[str, list[str], list[str]]] = []
    if SHARED_ARTICLES.is_dir():
        for path in sorted(SHARED_ARTICLES.glob("*.txt")):
            for article in ingest_file(str(path)).articles:
                paragraphs = [
                    " ".join(s.original for s in paragraph) for paragraph in article.paragraphs
                ]
                if len(paragraphs) >= 3:
                    found.append(
                        (article.headline.original, paragraphs, [s.ar for s in article.sentences])
                    )
    if not found:
        for title, paragraphs in FICTIONAL:
            found.append((title, paragraphs, []))
    articles = []
    for number, (title, paragraphs, sentences) in enumerate(found):
        article = SiteArticle(f"story-{number + 1}", title, paragraphs, f"2026-11-{10 + number}")
        article.sentences = sentences or real_sentences(paragraphs)
        articles.append(article)
    return articles


def real_sentences(paragraphs: list[str]) -> list[str]:
    from toolkit.ingest.sentences import split_sentences
    from toolkit.text.arabic import normalize

    return [normalize(s) for p in paragraphs for s in split_sentences(p)]


def article_page(article: SiteArticle, outlet: str) -> str:
    """One article in the furniture of an Arabic news site (Al Ain-like)."""
    title = escape(article.title)
    body: list[str] = []
    # the shortest sentence paragraph after the lead is all link (a line linked to a topic)
    sentences = [i for i, p in enumerate(article.paragraphs) if i and ends_like_sentence(p)]
    linked = min(sentences, key=lambda i: len(article.paragraphs[i]), default=None)
    for number, paragraph in enumerate(article.paragraphs):
        text = escape(paragraph)
        body.append(
            f'<p><a href="/topic/{number}">{text}</a></p>' if number == linked else f"<p>{text}</p>"
        )
        if number == 1:
            body.append(
                f'<div class="read-also"><a href="/al-ain/other.html">{escape(READ_ALSO)}</a></div>'
            )
        if number == 2:
            body.append(
                '<figure><img src="/img/1.jpg" alt=""><figcaption>'
                f"{escape(CAPTION)}</figcaption></figure>"
            )
    nav = "".join(f'<li><a href="/{n}">{escape(n)}</a></li>' for n in NAV)
    share = "".join(f'<a href="#" class="share">{escape(s)}</a>' for s in SHARE)
    tags = f"<span>{TAGS[0]}:</span>" + "".join(f'<a href="/tag">{t}</a>' for t in TAGS[1:])
    related = "".join(
        f'<li><a href="/r{i}.html">{escape(r)}</a></li>' for i, r in enumerate(RELATED)
    )
    comments = "".join(
        f'<div class="comment"><p class="comment-author">{escape(who)}</p>'
        f"<p>{escape(text)}</p></div>"
        for who, text in COMMENTS
    )
    footer = "".join(f"<li>{escape(f)}</li>" for f in FOOTER)
    return f"""<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{article.date}T08:30:00+04:00">
<meta name="author" content="سلمى عبد الرحمن">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
<style>.cookie{{position:fixed}}</style>
</head><body>
<header><div class="logo"><a href="/">{outlet}</a></div><nav><ul>{nav}</ul></nav></header>
<div class="cookie" id="cookie-consent"><p>{escape(COOKIE)}</p><button>موافق</button></div>
<main><div class="container"><article class="article">
<h1 class="title">{title}</h1>
<div class="meta"><span class="author">{escape(BYLINE)}</span>
<span class="dateline">{escape(DATELINE)}</span>
<time datetime="{article.date}T08:30:00+04:00">{article.date} 08:30</time></div>
<div class="share-bar">{share}</div>
<div class="article-body">
{"".join(body)}
</div>
<div class="tags">{tags}</div>
</article>
<aside class="most-read"><h3>الأكثر قراءة</h3><ul>{related}</ul></aside>
<section class="comments"><h3>التعليقات (2)</h3>{comments}</section>
<div class="newsletter"><p>{escape(NEWSLETTER)}</p><form><input type="email"></form></div>
</div></main>
<footer><ul>{footer}</ul></footer>
<script src="/js/app.js"></script><script>trackPageView();</script>
</body></html>
"""


def rss_feed(base: str, items: list[tuple[str, str, str]]) -> str:
    """RSS 2.0: (title, link, date) items."""
    import datetime as dt

    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{format_datetime(dt.datetime.fromisoformat(d + 'T05:30:00+00:00'))}</pubDate>"
        "</item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>al-ain</title><link>{base}/</link>{entries}</channel></rss>"
    )


def atom_feed(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/>'
        f"<id>{escape(link)}</id><published>{d}T05:30:00Z</published>"
        f"<updated>{d}T05:30:00Z</updated></entry>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>sky</title><id>urn:sky</id><updated>2026-11-20T00:00:00Z</updated>{entries}</feed>"
    )


@functools.cache
def gzip_bomb(size: int = 64 << 20) -> bytes:
    """size bytes of zeros, gzip-compressed (about a thousandth of that on the wire)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False  # send half of the body, then nothing until the site stops
    trickle: bool = False  # send the body a byte every 0.2 s
    retry_once: bool = False  # answer 429 with Retry-After: 1 the first time


class Site:
    """The loopback site. `requests` logs (method, path, status) of every request."""

    def __init__(self, articles: list[SiteArticle] | None = None) -> None:
        self.articles = articles or load_articles()
        self.routes: dict[str, Response] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.agents: set[str] = set()  # every User-Agent seen
        self.sources_toml = ""
        self._asked: set[str] = set()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Site":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                site._serve(self)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that gave up (timeouts, size caps) resets the connection

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._build()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._thread:
            self._thread.join(timeout=10)

    def __enter__(self) -> "Site":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- content -----------------------------------------------------------------------------
    def page_path(self, article: SiteArticle, outlet: str = "al-ain") -> str:
        return f"/{outlet}/{article.slug}.html"

    def _html(self, text: str) -> Response:
        return Response(body=text.encode(), headers={"Content-Type": "text/html; charset=utf-8"})

    def _build(self) -> None:
        base, arts = self.base, self.articles
        # al-ain's own pages, one page behind a 429, the broken feed's page, sky's own page
        ain, busy, cut_off, sky_own = arts[:-3], arts[-3], arts[-2], arts[-1]
        for article in ain:
            self.routes[self.page_path(article)] = self._html(article_page(article, "العين"))
        self.routes[self.page_path(sky_own, "sky")] = self._html(article_page(sky_own, "سكاي"))
        shared = ain[0]  # the same article, carried by the second outlet too
        self.routes["/sky/syndicated.html"] = self._html(article_page(shared, "سكاي"))
        self.routes["/al-ain/print/story-2.html"] = self._html(article_page(ain[1], "العين"))
        self.routes["/al-ain/english.html"] = self._html(ENGLISH_PAGE)
        self.routes["/private/secret.html"] = self._html(article_page(ain[0], "العين"))
        self.routes["/al-ain/gone.html"] = Response(status=404, body=b"not found")
        self.routes["/al-ain/broken.html"] = Response(status=500, body=b"oops")
        self.routes["/al-ain/busy.html"] = self._html(article_page(busy, "العين"))
        self.routes["/al-ain/busy.html"].retry_once = True
        self.routes["/al-ain/closed.html"] = Response(
            status=503, body=b"maintenance", headers={"Retry-After": "86400"}
        )
        stall = self._html(article_page(ain[1], "العين"))
        stall.stall = True
        self.routes["/al-ain/stall.html"] = stall
        self.routes["/slow.html"] = Response(body=b"<html>" + b" " * 100, trickle=True)
        self.routes["/al-ain/bomb.html"] = Response(
            body=gzip_bomb(),
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        )
        self.routes["/al-ain/loop-a.html"] = Response(
            302, headers={"Location": "/al-ain/loop-b.html"}
        )
        self.routes["/al-ain/loop-b.html"] = Response(
            302, headers={"Location": "/al-ain/loop-a.html"}
        )
        self.routes["/robots.txt"] = Response(
            body=b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
        )

        def link(path: str) -> str:
            return base + path

        rss_items = [(a.title, link(self.page_path(a)), a.date) for a in ain]
        first = ain[0]
        rss_items += [
            (
                first.title,
                link(self.page_path(first)) + "?utm_source=rss&utm_medium=feed#top",
                first.date,
            ),
            (ain[1].title, link("/al-ain/print/story-2.html"), ain[1].date),
            ("secret", link("/private/secret.html"), first.date),
            ("english", link("/al-ain/english.html"), first.date),
            ("gone", link("/al-ain/gone.html"), first.date),
            ("broken", link("/al-ain/broken.html"), first.date),
            (busy.title, link("/al-ain/busy.html"), busy.date),
            ("closed", link("/al-ain/closed.html"), first.date),
            ("stall", link("/al-ain/stall.html"), first.date),
            ("bomb", link("/al-ain/bomb.html"), first.date),
            ("loop", link("/al-ain/loop-a.html"), first.date),
        ]
        self.routes["/al-ain/rss.xml"] = self._feed(
            rss_feed(base, rss_items), "application/rss+xml"
        )
        atom_items = [(sky_own.title, link(self.page_path(sky_own, "sky")), sky_own.date)]
        atom_items.append((shared.title, link("/sky/syndicated.html"), shared.date))
        self.routes["/sky/atom.xml"] = self._feed(atom_feed(atom_items), "application/atom+xml")
        broken = rss_feed(
            base, [(a.title, link(f"/broken/{a.slug}.html"), a.date) for a in (cut_off, busy)]
        )
        cut = broken.index("</item>") + len("</item>")
        self.routes["/broken/rss.xml"] = self._feed(broken[:cut] + "<item><title>نصف", "text/xml")
        self.routes[f"/broken/{cut_off.slug}.html"] = self._html(article_page(cut_off, "مكسور"))
        self.routes["/dead/rss.xml"] = Response(status=500, body=b"down")
        news = "".join(
            f"<url><loc>{link(self.page_path(a))}</loc><news:news><news:publication_date>"
            f"{a.date}T08:30:00+04:00</news:publication_date><news:title>{escape(a.title)}"
            "</news:title></news:news></url>"
            for a in ain
        )
        self.routes["/sitemap-news.xml"] = self._feed(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{news}</urlset>',
            "application/xml",
        )
        self.routes["/sitemap-index.xml"] = self._feed(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{link('/sitemap-news.xml')}</loc></sitemap></sitemapindex>",
            "application/xml",
        )
        self.sources_toml = f"""user_agent = "toolkit-test/1.0 (+mailto:ops@example.org)"

[[source]]
name = "al-ain"
feed = "{base}/al-ain/rss.xml"
delay = 0

[[source]]
name = "sky"
feed = "{base}/sky/atom.xml"
delay = 0

[[source]]
name = "broken"
feed = "{base}/broken/rss.xml"
delay = 0

[[source]]
name = "dead"
feed = "{base}/dead/rss.xml"
delay = 0
"""

    # -- issue 28: hostile links, charsets, dates, Last-Modified ------------------------------
    def add_hostile(self, internal: str) -> str:
        """The hostile outlet's routes; its [[source]] table. `internal` is another server on
        127.0.0.1 (another port) that must never be asked."""
        base = self.base
        park = SiteArticle("park", PARK[0], PARK[1], "2026-11-15")
        self.routes["/hostile/park.html"] = self._html(article_page(park, "معادية"))
        redirects = {
            "/hostile/to-internal.html": f"{internal}/al-ain/story-2.html",
            "/hostile/to-private.html": "http://10.1.2.3/admin",
            "/hostile/to-metadata.html": "http://169.254.169.254/latest/meta-data/",
            "/hostile/to-bad.html": "http://[::1/x",
        }
        for path, location in redirects.items():
            self.routes[path] = Response(302, headers={"Location": location})
        links = [
            f"{base}/hostile/park.html",
            "http://[::1/x",
            "http://127.0.0.1:abc/x",
            "http://a..b/x",
            f"{base}/outlet-a/../private/secret.html",
            f"{internal}/al-ain/story-2.html",
            "http://192.168.1.20/intranet.html",
            "http://localhost:1/x",
            *(base + path for path in redirects),
        ]
        items = "".join(
            f"<item><title>t{n}</title><link>{escape(link)}</link>"
            "<pubDate>Sun, 15 Nov 2026 05:30:00 +0000</pubDate></item>"
            for n, link in enumerate(links)
        )
        self.routes["/hostile/rss.xml"] = self._feed(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>hostile</title>{items}</channel></rss>",
            "application/rss+xml",
        )
        return f'[[source]]\nname = "hostile"\nfeed = "{base}/hostile/rss.xml"\ndelay = 0\n'

    def add_charsets(self) -> SiteArticle:
        """The same article in ISO-8859-6 twice: declared by the HTTP header only, and by the
        page's <meta http-equiv> only."""
        park = SiteArticle("park", PARK[0], PARK[1], "2026-11-15")
        page = article_page(park, "الميناء")
        by_header = page.replace('<meta charset="utf-8">', "")
        by_meta = page.replace(
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">',
        )
        self.routes["/charsets/header.html"] = Response(
            body=by_header.encode("iso-8859-6", errors="xmlcharrefreplace"),
            headers={"Content-Type": "text/html; charset=ISO-8859-6"},
        )
        self.routes["/charsets/meta.html"] = Response(
            body=by_meta.encode("iso-8859-6", errors="xmlcharrefreplace"),
            headers={"Content-Type": "text/html"},
        )
        return park

    def add_dated(self) -> dict[str, str]:
        """Four pages that give their own dates four ways (meta, <time>, JSON-LD, and an
        impossible meta date before a good <time>) in a feed that dates them all 2026-11-20.
        Slug → the page's own date."""
        ways = {}
        for number, article in enumerate(self.articles[:4]):
            day = f"2026-11-0{number + 1}"
            page = article_page(article, "مؤرخ").replace(article.date, day)
            meta = f'<meta property="article:published_time" content="{day}T08:30:00+04:00">'
            time_tag = f'<time datetime="{day}T08:30:00+04:00">'
            if number == 1:
                page = page.replace(meta, "")
            elif number == 2:
                ld = json.dumps({"@type": "NewsArticle", "datePublished": f"{day}T08:30:00+04:00"})
                page = page.replace(meta, f'<script type="application/ld+json">{ld}</script>')
                page = page.replace(time_tag, "<time>")
            elif number == 3:
                page = page.replace(
                    meta, meta.replace(f"{day}T08:30:00+04:00", "0001-01-01T00:00:00+01:00")
                )
            self.routes[f"/dated/{article.slug}.html"] = self._html(page)
            ways[article.slug] = day
        items = [
            (a.title, f"{self.base}/dated/{a.slug}.html", "2026-11-20") for a in self.articles[:4]
        ]
        self.routes["/dated/rss.xml"] = self._feed(
            rss_feed(self.base, items), "application/rss+xml"
        )
        return ways

    def add_last_modified(self) -> None:
        """/modified/rss.xml: sky's feed with a Last-Modified and no ETag."""
        feed = self.routes["/sky/atom.xml"]
        self.routes["/modified/rss.xml"] = Response(
            body=feed.body,
            headers={
                "Content-Type": "application/atom+xml",
                "Last-Modified": "Fri, 20 Nov 2026 05:30:00 GMT",
            },
        )

    def _feed(self, text: str, kind: str) -> Response:
        body = text.encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        return Response(body=body, headers={"Content-Type": kind, "ETag": etag})

    # -- serving -----------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        response = self.routes.get(path, Response(status=404, body=b"no such page"))
        status, headers, body = response.status, dict(response.headers), response.body
        with self._lock:
            first_time = path not in self._asked
            self._asked.add(path)
        if response.retry_once and first_time:
            status, headers, body = 429, {"Retry-After": "1"}, b"slow down"
        etag, modified = headers.get("ETag"), headers.get("Last-Modified")
        if (etag and handler.headers.get("If-None-Match") == etag) or (
            not etag and modified and handler.headers.get("If-Modified-Since") == modified
        ):  # a 304 repeats the ETag, and not Last-Modified (RFC 9110 15.4.5 does not ask it)
            status, body = 304, b""
            headers = {name: value for name, value in headers.items() if name == "ETag"}
        with self._lock:
            self.requests.append(("GET", handler.path, status))
            self.agents.add(handler.headers.get("User-Agent", ""))
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if response.stall:
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            self._release.wait(30)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if response.trickle:
                for byte in body:
                    if self._release.wait(0.2):
                        return
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
            handler.wfile.write(body)

    def page_requests(self) -> list[str]:
        """Requests that were neither a feed nor robots.txt."""
        return [path for _, path, _ in self.requests if not path.endswith((".xml", "robots.txt"))]
