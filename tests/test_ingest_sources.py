"""Tests of the network, feed, archive and corpus sources of the ingest layer.

Web sources are exercised against a local HTTP server on 127.0.0.1 that
plays every kind of bad server (slow, dripping, huge, wrong type, looping,
failing): each must give a one-line logged skip, never an exception, and
the good pages around them must still come through.  Timeouts are shortened
through ``IngestOptions`` so the whole module runs in a few seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import io
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tidings.ingest import IngestOptions, IngestProblem, iter_articles
from tidings.model import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
FAST = IngestOptions(
    connect_timeout=2.0,
    read_timeout=0.5,
    timeout=1.0,
    max_bytes=60_000,
    max_redirects=3,
    politeness_delay=0.0,
    allow_private_addresses=True,  # the test server is on loopback
)
#: The limits for pages that should be read: a loaded 2-core machine can take more than
#: FAST's one second to serve a good page, and a good page must not fail on time.
ROOMY = dataclasses.replace(FAST, read_timeout=5.0, timeout=10.0)


def page(title: str, paragraphs: list[str], *, date: str | None = None) -> bytes:
    """A minimal news page trafilatura extracts reliably."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{meta}</head><body><nav><a href='/'>Home</a></nav><main><article><h1>{title}</h1>"
        f"{body}</article></main><footer><p>Example footer.</p></footer></body></html>"
    ).encode()


ASTANA = page(
    "Talks in Astana",
    [
        "Russia, Turkey and Iran met in Astana on Tuesday to discuss the ceasefire in Syria.",
        "The three countries pledged to guarantee the truce between the government and rebels.",
        "Diplomats said a second round of talks would follow in February.",
    ],
    date="2017-01-24",
)
UNDATED = page(
    "Ministers agree on monitoring",
    [
        "The defence ministers agreed on Wednesday to set up a joint monitoring group.",
        "The group will report violations of the ceasefire to the three governments.",
        "Officials said the first meeting of the group would be held next week in Ankara.",
    ],
)
RUSSIAN = page(
    "Лавров встретился с Чавушоглу",
    [
        "Министр иностранных дел России Сергей Лавров встретился в Москве со своим турецким "
        "коллегой Мевлютом Чавушоглу.",
        "Стороны обсудили урегулирование в Сирии и расследование убийства посла Андрея Карлова.",
    ],
)


def rss(base: str, title: str = "Example Wire") -> bytes:
    items = [
        ("Talks in Astana", f"{base}/astana", "Tue, 24 Jan 2017 10:00:00 GMT"),
        ("A dead link", f"{base}/missing", "Tue, 24 Jan 2017 11:00:00 GMT"),
        ("Monitoring group", "/undated", "Wed, 25 Jan 2017 09:00:00 GMT"),  # relative link
        ("A picture", f"{base}/image", "Wed, 25 Jan 2017 10:00:00 GMT"),
        ("No link at all", "", "Wed, 25 Jan 2017 11:00:00 GMT"),
    ]
    body = "".join(
        f"<item><title>{t}</title>{f'<link>{link}</link>' if link else ''}"
        f"<pubDate>{d}</pubDate></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link>{body}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    """Routes of the fake news server; each path plays one kind of server."""

    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.log.append((self.path, self.headers.get("User-Agent"), time.monotonic()))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path
        if path == "/astana":
            self._send(200, ASTANA)
        elif path == "/undated":
            self._send(200, UNDATED)
        elif path == "/russian":
            self._send(200, RUSSIAN)
        elif path == "/redirect":
            self._redirect("/astana")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/missing":
            self._send(404, b"<html><body>Not found</body></html>")
        elif path == "/broken":
            self._send(500, b"<html><body>Internal error</body></html>")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        elif path == "/plain":
            self._send(200, b"Just some text.", "text/plain")
        elif path == "/slow":
            time.sleep(2.0)
            self._send(200, ASTANA)
        elif path == "/drip":  # every chunk in time, the whole far too late
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b"<p>" + b"x" * 100 + b"</p>")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/huge":
            self._send(200, b"<html><body>" + b"<p>word</p>" * 20_000 + b"</body></html>")
        elif path == "/huge-unannounced":  # no Content-Length: the limit applies while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"<p>" + b"y" * 2000 + b"</p>")
        elif path == "/feed.xml":
            self._send(200, rss(base), "application/rss+xml")
        elif path == "/atom":
            atom = (
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>Atom Wire</title><entry><title>Talks</title>"
                f'<link href="{base}/astana"/><updated>2017-01-24T10:00:00Z</updated>'
                "</entry></feed>"
            ).encode()
            self._send(200, atom, "application/atom+xml")
        elif path == "/malformed-feed":
            self._send(200, b"<?xml version='1.0'?><rss><channel><title>Broken</ti", "text/xml")
        elif path == "/not-a-feed.xml":
            self._send(200, b"<?xml version='1.0'?><catalog><book/></catalog>", "text/xml")
        else:
            self._send(404, b"<html><body>Not found</body></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a sleeping handler must not block shutdown
    log: list[tuple[str, str | None, float]]

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up on slow or huge responses is the point of those tests."""


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.log = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def base_url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def read(inputs: list[str], options: IngestOptions = ROOMY) -> list[Article | IngestProblem]:
    return list(iter_articles(inputs, options=options))


def articles(results: list[Article | IngestProblem]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def problems(results: list[Article | IngestProblem]) -> list[IngestProblem]:
    return [r for r in results if isinstance(r, IngestProblem)]


def only_problem(results: list[Article | IngestProblem]) -> IngestProblem:
    assert len(results) == 1, results
    (result,) = results
    assert isinstance(result, IngestProblem), result
    assert result.level == "error"
    assert result.message and "\n" not in result.message
    return result


# --------------------------------------------------------------------- URLs


def test_good_page(server: _Server) -> None:
    url = base_url(server) + "/astana"
    (article,) = read([url])
    assert isinstance(article, Article)
    assert article.title == "Talks in Astana"
    assert article.date == dt.date(2017, 1, 24)
    assert article.url == url
    assert article.source == url
    assert article.language == "en"
    assert "guarantee the truce" in article.text


def test_private_addresses_are_refused_by_default(server: _Server, tmp_path: Path) -> None:
    strict = IngestOptions(politeness_delay=0, timeout=1.0)
    for url in (
        base_url(server) + "/astana",
        "http://localhost:9/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:9/x",
        "http://224.0.0.1/x",
    ):
        (bad,) = read([url], strict)
        assert isinstance(bad, IngestProblem), url
        assert "non-public address" in bad.message, (url, bad.message)
    # and a feed's item links too (the feed is a local file, its links point at loopback)
    path = tmp_path / "wire.rss"
    path.write_bytes(rss(base_url(server), title="Local Wire"))
    results = read([str(path)], strict)
    assert not articles(results)
    linked = [p for p in problems(results) if "no usable link" not in p.message]
    assert linked and all("non-public address" in p.message for p in linked)


def test_a_redirect_to_a_private_address_is_refused() -> None:
    from tidings.ingest._fetch import FetchError, _check_public

    public = IngestOptions()
    with pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"):
        _check_public("http://127.0.0.1:8080/", public)  # what _fetch checks on each hop
    _check_public("http://127.0.0.1:8080/", IngestOptions(allow_private_addresses=True))


def test_every_redirect_hop_is_checked(server: _Server, monkeypatch) -> None:
    import tidings.ingest._fetch as fetch

    checked: list[str] = []
    real = fetch._check_public
    monkeypatch.setattr(
        fetch, "_check_public", lambda url, opts: (checked.append(url), real(url, opts))
    )
    (article,) = read([base_url(server) + "/redirect"])
    assert isinstance(article, Article)
    assert checked == [base_url(server) + "/redirect", base_url(server) + "/astana"]


def test_redirect_gives_the_final_url(server: _Server) -> None:
    (article,) = read([base_url(server) + "/redirect"])
    assert isinstance(article, Article)
    assert article.url == base_url(server) + "/astana"
    assert article.source == base_url(server) + "/redirect"


def test_user_agent_names_tidings(server: _Server) -> None:
    read([base_url(server) + "/astana?ua"])
    agent = next(a for p, a, _ in server.log if p == "/astana?ua")
    assert agent is not None
    assert agent.startswith("Tidings/")
    assert "+https://" in agent
    custom = IngestOptions(user_agent="MyBot/1.0", politeness_delay=0, allow_private_addresses=True)
    read([base_url(server) + "/astana?custom"], custom)
    assert next(a for p, a, _ in server.log if p == "/astana?custom") == "MyBot/1.0"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/broken", "HTTP 500"),
        ("/slow", "timed out"),
        ("/drip", "overall deadline"),
        ("/huge", "too large"),
        ("/huge-unannounced", "too large"),
        ("/image", "image/png"),
        ("/plain", "text/plain"),
        ("/loop", "too many redirects"),
        ("/malformed-feed", "malformed feed"),
        ("/not-a-feed.xml", "not an RSS or Atom feed"),
    ],
)
def test_bad_urls_are_logged_skips(server: _Server, path: str, reason: str) -> None:
    url = base_url(server) + path
    started = time.monotonic()
    skip = only_problem(read([url], FAST))
    assert skip.source == url
    assert reason in skip.message
    # bounded by the shortened limits, not by the server's 2 s stall; generous for
    # loaded machines (load and speed are measured by benchmarks, not here)
    assert time.monotonic() - started < 15


def closed_port() -> int:
    """A local port with nothing listening (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_host_and_bad_url_are_logged_skips() -> None:
    skip = only_problem(read([f"http://127.0.0.1:{closed_port()}/x"]))
    assert "request failed" in skip.message
    assert only_problem(read(["http://[::1/bad"])).level == "error"


def test_good_pages_survive_bad_ones(server: _Server) -> None:
    base = base_url(server)
    urls = [f"{base}{p}" for p in ("/missing", "/astana", "/loop", "/image", "/undated")]
    results = read(urls)
    assert [a.title for a in articles(results)] == [
        "Talks in Astana",
        "Ministers agree on monitoring",
    ]
    assert len(problems(results)) == 3


def test_politeness_delay_between_requests_to_one_host(server: _Server) -> None:
    base = base_url(server)
    polite = IngestOptions(
        politeness_delay=0.4, read_timeout=2, timeout=3, allow_private_addresses=True
    )
    read([f"{base}/astana?p1", f"{base}/undated?p2"], polite)
    times = {p: t for p, _, t in server.log}
    assert times["/undated?p2"] - times["/astana?p1"] >= 0.35


def test_language_of_a_fetched_page_is_detected(server: _Server) -> None:
    (article,) = read([base_url(server) + "/russian"])
    assert isinstance(article, Article)
    assert article.language == "ru"


# -------------------------------------------------------------------- feeds


def test_feed_items_are_fetched_good_and_bad(server: _Server) -> None:
    base = base_url(server)
    results = read([f"{base}/feed.xml"])
    good = articles(results)
    assert [a.title for a in good] == ["Talks in Astana", "Ministers agree on monitoring"]
    assert all(a.outlet == "Example Wire" for a in good)
    astana, undated = good
    assert astana.date == dt.date(2017, 1, 24)  # from the page
    assert undated.date == dt.date(2017, 1, 25)  # the page has none: the item's date
    assert undated.url == f"{base}/undated"  # relative link resolved against the feed
    bad = problems(results)
    assert len(bad) == 3
    assert all(p.level == "error" and "\n" not in p.message for p in bad)
    messages = " | ".join(p.message for p in bad)
    assert "feed item 2: HTTP 404" in messages
    assert "feed item 4: not HTML or a feed (Content-Type image/png)" in messages
    assert "feed item 5: no usable link" in messages


def test_atom_feed(server: _Server) -> None:
    (article,) = read([base_url(server) + "/atom"])
    assert isinstance(article, Article)
    assert article.outlet == "Atom Wire"
    assert article.title == "Talks in Astana"


def test_local_feed_file_and_item_limit(server: _Server, tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_bytes(rss(base_url(server), title="Local Wire"))
    (article,) = read(
        [str(path)],
        IngestOptions(max_feed_items=1, politeness_delay=0, allow_private_addresses=True),
    )
    assert isinstance(article, Article)
    assert article.outlet == "Local Wire"
    assert article.source == base_url(server) + "/astana"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<?xml version='1.0'?><rss><channel><title>Broken</ti", "malformed feed"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", "no items"),
        (b"<html><body><p>A page, not a feed</p></body></html>", "not an RSS or Atom feed"),
        (b"", "empty file"),
    ],
)
def test_bad_local_feeds(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    skip = only_problem(read([str(path)]))
    assert reason in skip.message


# --------------------------------------------------------------------- WARC


def write_warc(path: Path, *, gzip_records: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records = [
        ("http://news.example.org/astana", "200 OK", "text/html; charset=utf-8", ASTANA),
        ("http://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG" + bytes(100)),
        ("http://news.example.org/undated", "200 OK", "text/html", UNDATED),
        ("http://news.example.org/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
        ("http://news.example.org/russian", "200 OK", "text/html", RUSSIAN),
    ]
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2017-02-01T08:00:00Z"},
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, gzip_records=name.endswith(".gz"))
    results = read([str(path)])
    assert problems(results) == []  # non-HTML and error captures are skipped silently
    astana, undated, russian = articles(results)
    assert astana.url == "http://news.example.org/astana"
    assert astana.date == dt.date(2017, 1, 24)  # the page's own date wins
    assert undated.date == dt.date(2017, 2, 1)  # no date on the page: the capture date
    assert undated.outlet == "news.example.org"
    assert russian.language == "ru"
    assert astana.source is not None and astana.source.startswith(f"{path}@")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path, name: str) -> None:
    full = tmp_path / ("full-" + name)
    write_warc(full, gzip_records=name.endswith(".gz"))
    data = full.read_bytes()
    cut = tmp_path / name
    cut.write_bytes(data[: int(len(data) * 0.75)])
    results = read([str(cut)])
    kept = articles(results)
    assert [a.url for a in kept][:2] == [
        "http://news.example.org/astana",
        "http://news.example.org/undated",
    ]
    assert len(kept) == 2
    (damage,) = problems(results)
    assert damage.level == "error"
    assert "truncated" in damage.message or "corrupt" in damage.message
    assert "2 articles read" in damage.message


def test_garbage_with_a_warc_extension(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(gzip.compress(b"this is not an archive at all\n" * 10))
    skip = only_problem(read([str(path)]))
    assert "archive" in skip.message


def test_arc_file_via_warcio(tmp_path: Path) -> None:
    """The older ARC format (Internet Archive crawls before 2008) reads the same way."""
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + ASTANA
    version = b"1 0 Tidings\nURL IP-address Archive-date Content-type Archive-length\n"
    head = b"filedesc://old.arc 0.0.0.0 20170201080000 text/plain %d\n" % len(version)
    record = b"http://news.example.org/astana 10.0.0.1 20170201080000 text/html %d\n" % len(body)
    path = tmp_path / "old.arc"
    path.write_bytes(head + version + b"\n" + record + body + b"\n")
    results = read([str(path)])
    assert problems(results) == []
    (article,) = articles(results)
    assert article.url == "http://news.example.org/astana"
    assert article.title == "Talks in Astana"


# ---------------------------------------------------------------------- CSV


def test_csv_with_a_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text(
        "ID,headline,content_original,published,link,outlet_name\n"
        'a1,Talks in Astana,"Russia, Turkey and Iran met in Astana.\n\nThey pledged a truce.",'
        "2017-01-24,https://example.org/a1,Example Wire\n"
        "a2,No text,,2017-01-25,,\n"
        "a3,Bad date,Some text about talks.,24/01/2017,,\n",
        encoding="utf-8",
    )
    columns = {
        "id": "ID",
        "title": "headline",
        "text": "content_original",
        "date": "published",
        "url": "link",
        "source": "outlet_name",
    }
    results = read([str(path)], IngestOptions(columns=columns))
    article, undated = articles(results)
    assert undated.doc_id == "a3" and undated.date is None  # the bad date costs the date only
    assert article.doc_id == "a1"
    assert article.title == "Talks in Astana"
    assert [p.text for p in article.paragraphs] == [
        "Russia, Turkey and Iran met in Astana.",
        "They pledged a truce.",
    ]
    assert article.date == dt.date(2017, 1, 24)
    assert article.url == "https://example.org/a1"
    assert article.outlet == "Example Wire"
    assert article.source == f"{path}:2"
    missing, bad_date = problems(results)
    assert missing.source == f"{path}:5"  # the quoted cell spans lines 2-4
    assert 'missing "content_original"' in missing.message
    assert "bad date" in bad_date.message
    assert bad_date.level == "warning"


def test_csv_unbalanced_quote_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text(
        "id,title,text\n"
        "1,A,Russia met China on Monday.\n"
        '2,B,"Iran threatened Israel.\n'
        "3,C,France praised Germany.\n"
        '4,D,"Egypt accused Sudan."\n',
        encoding="utf-8",
    )
    results = read([str(path)])
    assert [a.doc_id for a in articles(results)] == ["1"]  # no silently merged rows
    (bad,) = problems(results)
    assert bad.source == f"{path}:3"
    assert "line 3: unbalanced quote" in bad.message


def test_csv_default_columns_tsv_gzip_and_language(tmp_path: Path) -> None:
    path = tmp_path / "corpus.tsv.gz"
    rows = [
        "id\ttitle\tbody\tlanguage",
        "r1\tTalks\tRussia, Turkey and Iran met in Astana on Tuesday for talks.\t",
        "r2\tВстреча\tЛавров встретился с Чавушоглу в Москве во вторник.\t",
        "r3\tTagged\tThis row says it is in French, and the corpus is trusted.\tfr",
    ]
    path.write_bytes(gzip.compress("\n".join(rows).encode("utf-8")))
    results = read([str(path)])
    assert problems(results) == []
    assert [(a.doc_id, a.language) for a in articles(results)] == [
        ("r1", "en"),
        ("r2", "ru"),
        ("r3", "fr"),
    ]


def test_csv_without_a_text_column_is_rejected_once(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("name;value\nfoo;1\nbar;2\n", encoding="utf-8")
    skip = only_problem(read([str(path)]))
    assert "no text column" in skip.message
    assert "columns: name, value" in skip.message


def test_unknown_column_field_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown record field"):
        IngestOptions(columns={"body_text": "x"})


# -------------------------------------------------------------------- JSONL


def test_jsonl_gz_with_the_allsides_mapping(tmp_path: Path) -> None:
    path = tmp_path / "allsides.jsonl.gz"
    lines = [
        '{"ID": "x1", "title": "T", "content_original": "Lavrov met Cavusoglu in Moscow today.",'
        ' "source": "Wire", "date": ""}',
        '{"ID": "x2", "content": "ignored, because text is mapped"}',
    ]
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    options = IngestOptions(columns={"text": "content_original", "id": "ID"})
    results = read([str(path)], options)
    (article,) = articles(results)
    assert (article.doc_id, article.outlet, article.date) == ("x1", "Wire", None)
    (skip,) = problems(results)
    assert 'missing "content_original"' in skip.message


def test_jsonl_accepts_content_for_text_by_default(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "c1", "content": "Text under another name."}\n', encoding="utf-8")
    (article,) = read([str(path)])
    assert isinstance(article, Article)
    assert article.paragraphs[0].text == "Text under another name."


def test_truncated_gzip_keeps_earlier_records(tmp_path: Path) -> None:
    lines = "".join(
        f'{{"id": "g{i}", "text": "Record number {i} of many."}}\n' for i in range(2000)
    )
    data = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    results = read([str(path)])
    assert len(articles(results)) > 100
    (damage,) = problems(results)
    assert "corrupt or truncated gzip" in damage.message


# -------------------------------------------------------------------- globs


def test_glob_patterns_are_expanded_sorted(tmp_path: Path) -> None:
    (tmp_path / "data" / "b").mkdir(parents=True)
    (tmp_path / "data" / "b" / "two.html").write_bytes(UNDATED)
    (tmp_path / "data" / "one.html").write_bytes(ASTANA)
    (tmp_path / "data" / "notes.md").write_text("# Notes\n\nNot matched.", encoding="utf-8")
    (tmp_path / "data" / "b" / "ignored.png").write_bytes(b"\x89PNG")
    results = read([str(tmp_path / "data" / "**" / "*.html")])
    assert [a.title for a in articles(results)] == [
        "Ministers agree on monitoring",  # data/b/two.html sorts before data/one.html
        "Talks in Astana",
    ]
    everything = read([str(tmp_path / "data" / "**" / "*")])
    assert problems(everything) == []  # the PNG is ignored, like in a directory walk
    assert len(articles(everything)) == 3


def test_glob_without_matches(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.warc.gz")
    skip = only_problem(read([pattern]))
    assert skip.message == f"no files match {pattern}"


def test_corpus_files_are_not_picked_up_by_a_directory_walk(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\nText.", encoding="utf-8")
    (tmp_path / "table.csv").write_text("text\nA row.\n", encoding="utf-8")
    assert [a.title for a in articles(read([str(tmp_path)]))] == ["A"]
    assert len(articles(read([str(tmp_path / "table.csv")]))) == 1
