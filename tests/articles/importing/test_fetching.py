import gzip
import threading
import time

import pytest

from articles.importing import FetchError, FetchPolicy, fetch_url, read_url
from tests.localserver import QuietHandler, serving

ARTICLE = b"""<!doctype html><html><head><title>Local news</title></head><body><article>
<h1>Local news</h1>
<p>The harbour authority said on Monday that the north pier will close for repairs in June, and that
ferries will use the south terminal for at least six weeks while the work is done.</p>
<p>Fishermen said the closure comes at the worst time of the year for them.</p>
<script>document.write("SECRET-SCRIPT-TEXT")</script>
</article></body></html>"""


# Longest a deliberately slow answer holds a request: far beyond any timeout the tests configure.
SAFETY_BOUND = 30.0
RELEASE_SLOW = threading.Event()


class Handler(QuietHandler):
    def do_GET(self):
        path = self.path
        if path == "/article":
            self.send(200, ARTICLE)
        elif path == "/plain":
            self.send(200, "Plain title\n\nPlain – “body”.".encode(), "text/plain; charset=utf-8")
        elif path == "/to-article":
            self.send(302, headers=[("Location", "/article")])
        elif path == "/to-private":
            self.send(302, headers=[("Location", "http://10.0.0.1/admin")])
        elif path == "/to-metadata":
            self.send(301, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        elif path == "/to-file":
            self.send(302, headers=[("Location", "file:///etc/passwd")])
        elif path == "/loop":
            self.send(302, headers=[("Location", "/loop")])
        elif path == "/png":
            self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        elif path == "/big-declared":
            self.send(200, b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/big-streamed":
            # No Content-Length: the reader must count while streaming.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"<p>" + b"y" * 1000 + b"</p>")
            self.close_connection = True
        elif path == "/gzip-bomb":
            self.send(200, gzip.compress(b" " * 2_000_000), headers=[("Content-Encoding", "gzip")])
        elif path == "/gzip":
            self.send(200, gzip.compress(ARTICLE), headers=[("Content-Encoding", "gzip")])
        elif path == "/slow":
            # Answers only when the test is over (or after a generous bound, so a fetch that
            # ignored its timeout would end with a page and fail the test instead of hanging).
            RELEASE_SLOW.wait(SAFETY_BOUND)
            self.send(200, ARTICLE)
        elif path == "/trickle":
            # A byte every 50 ms: never quiet long enough for the per-read timeout, and the whole
            # page (SAFETY_BOUND seconds) would arrive, and the fetch succeed, if nothing enforced the deadline.
            size = int(SAFETY_BOUND / 0.05)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            try:
                for _ in range(size):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the client gave up, as it should
                self.close_connection = True
        elif path == "/missing":
            self.send(404, b"not here")
        elif path == "/empty-page":
            self.send(200, b"<html><body><nav>Home</nav></body></html>")
        else:
            self.send(500, b"unexpected path")


@pytest.fixture(scope="module")
def server():
    with serving(Handler) as base_url:
        yield base_url


LOCAL = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout=5, deadline=10)


def test_allowed_local_page_is_fetched_and_extracted(server):
    item = read_url(f"{server}/article", policy=LOCAL)
    assert item.ok, item.error
    assert item.kind == "url" and item.raw == ARTICLE
    assert item.article.title == "Local news"
    assert item.article.body.startswith("The harbour authority said on Monday")
    assert "SECRET-SCRIPT-TEXT" not in item.article.body
    assert item.source_url == f"{server}/article"


def test_redirect_inside_allowed_host_is_followed(server):
    page = fetch_url(f"{server}/to-article", policy=LOCAL)
    assert (page.status, page.final_url, page.content_type) == (200, f"{server}/article", "text/html")


def test_gzip_page_is_decoded(server):
    assert fetch_url(f"{server}/gzip", policy=LOCAL).body == ARTICLE


def test_plain_text_page(server):
    item = read_url(f"{server}/plain", policy=LOCAL)
    assert (item.article.title, item.article.body) == ("Plain title", "Plain – “body”.")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-private", "Refused: 10.0.0.1 is a private address (10.0.0.1)"),
        ("/to-metadata", "Refused: 169.254.169.254 is a cloud metadata address"),
        ("/to-file", "Refused: file: addresses"),
        ("/loop", "redirects more than 5 times"),
        ("/png", "it is image/png"),
        ("/missing", "404"),
    ],
)
def test_refusals_from_the_allowed_server(server, path, message):
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}{path}", policy=LOCAL)
    assert message in str(info.value)


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed", "/gzip-bomb"])
def test_oversized_bodies_are_refused(server, path):
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), max_bytes=4000, timeout=5)
    with pytest.raises(FetchError, match="too large"):
        fetch_url(f"{server}{path}", policy=policy)


@pytest.fixture
def slow_server(server):
    RELEASE_SLOW.clear()
    yield server
    RELEASE_SLOW.set()  # let the handler thread finish


def test_silent_server_fails_with_the_configured_timeout(slow_server):
    # No clock here: the server only answers after SAFETY_BOUND, so the error itself (naming the
    # configured 0.3 s, not the 10 s default) shows the timeout was applied.
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout=0.3)
    with pytest.raises(FetchError, match=r"did not answer within 0\.3 seconds"):
        fetch_url(f"{slow_server}/slow", policy=policy)


def test_trickling_server_fails_on_the_total_deadline(server):
    # Each byte comes well within the 5 s per-read timeout, so only the 0.5 s deadline can stop it.
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), timeout=5, deadline=0.5)
    with pytest.raises(FetchError, match="took too long|stopped sending data") as info:
        fetch_url(f"{server}/trickle", policy=policy)
    assert "too slow" in str(info.value)


def test_page_without_article_text_is_a_failed_item(server):
    item = read_url(f"{server}/empty-page", policy=LOCAL)
    assert not item.ok and "No article text" in item.error


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/", "loopback address"),
        ("http://localhost:8000/", "loopback address"),
        ("http://[::1]/", "loopback address"),
        ("http://10.0.0.5/", "private address (10.0.0.5)"),
        ("http://192.168.1.1/", "private address"),
        ("http://172.16.0.1/", "private address"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata address"),
        ("http://[fd00:ec2::254]/", "cloud metadata address"),
        ("http://169.254.1.1/", "link-local address"),
        ("http://0.0.0.0/", "unspecified address"),
        ("http://224.0.0.1/", "multicast address"),
        ("http://100.64.0.1/", "non-public address"),
        ("http://[::ffff:10.0.0.1]/", "private address (10.0.0.1)"),
        ("http://2130706433/", "loopback address"),  # 127.0.0.1 written as a number
        ("file:///etc/passwd", "file: addresses"),
        ("ftp://example.com/x", "ftp: addresses"),
        ("gopher://example.com/", "gopher: addresses"),
        ("example.com/page", "without http"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http:///nohost", "no host name"),
    ],
)
def test_default_policy_refuses_unsafe_urls(url, message):
    with pytest.raises(FetchError) as info:
        fetch_url(url)
    assert message in str(info.value)
    item = read_url(url)
    assert not item.ok and message in item.error


def test_allowing_one_host_does_not_allow_another():
    with pytest.raises(FetchError, match="private address"):
        fetch_url("http://10.0.0.1/", policy=LOCAL)
