from datetime import UTC, datetime

import pytest

from articles.importing import FeedError, parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Desk feed</title><link>https://news.example/</link>
<item><title>First &amp; foremost</title><link>https://news.example/a</link>
<guid isPermaLink="false">id-a</guid><pubDate>Fri, 01 Mar 2019 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Summary “one”.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;
&lt;p&gt;Two.&lt;/p&gt;</description></item>
<item><title>No guid</title><link>https://news.example/b</link></item>
<item><title>Nothing but a title</title></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:feed</id>
<updated>2020-05-01T12:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:entry:1</id><link href="https://atom.example/1"/>
<updated>2020-05-01T12:00:00+02:00</updated><summary>Plain summary</summary></entry>
</feed>"""


def test_rss_entries():
    first, second, third = parse_feed(RSS)
    assert first.guid == "id-a" and first.link == "https://news.example/a"
    assert first.title == "First & foremost"
    assert first.published == datetime(2019, 3, 1, 10, 0, tzinfo=UTC)
    assert second.guid == "https://news.example/b" and second.published is None
    assert third.guid.startswith("sha256:") and third.link == ""


def test_atom_entries():
    (entry,) = parse_feed(ATOM)
    assert (entry.guid, entry.link, entry.title) == ("urn:entry:1", "https://atom.example/1", "Atom entry")
    assert entry.published == datetime(2020, 5, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<html><body><p>A web page</p></body></html>",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"/etc/passwd",
        b"http://127.0.0.1/feed",
    ],
)
def test_non_feeds_raise_a_clear_error(data):
    with pytest.raises(FeedError, match="empty|not an RSS or Atom feed"):
        parse_feed(data)
