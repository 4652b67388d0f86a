"""Tests for the ingest stage. Fixtures are written here; the only network use is 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.errors import Code, SitroomError
from sitroom.ingest import IngestOptions, iter_pages
from sitroom.ingest import files as ingest_files
from sitroom.ingest import web
from sitroom.ingest.decode import binary_kind, charset_from_content_type, decode_bytes, looks_like_feed, looks_like_html, repair_text
from sitroom.errors import human_size
from sitroom.model import RawPage

HTML = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Troops withdrew from the town.</p></body></html>"
ENGLISH_CP1252 = (
    "The minister\u2019s office said on Tuesday that talks in Zürich would resume \u2013 "
    "a \u201cdifficult but necessary\u201d step, according to the café owner René, 45."
)


def run(inputs: list[str], stdin: bytes | None = None, **options: object) -> list[RawPage | SitroomError]:
    return list(iter_pages(inputs, IngestOptions(**options), stdin=io.BytesIO(stdin) if stdin is not None else None))  # type: ignore[arg-type]


def codes(results: list[RawPage | SitroomError]) -> list[str]:
    return [r.code.value if isinstance(r, SitroomError) else r.kind for r in results]


def only(results: list[RawPage | SitroomError]) -> RawPage:
    assert len(results) == 1, results
    assert isinstance(results[0], RawPage), results[0]
    return results[0]


def pages(results: list[RawPage | SitroomError]) -> list[RawPage]:
    assert all(isinstance(r, RawPage) for r in results), results
    return results  # type: ignore[return-value]


def only_error(results: list[RawPage | SitroomError], code: Code) -> SitroomError:
    assert len(results) == 1, results
    assert isinstance(results[0], SitroomError), results[0]
    assert results[0].code is code, results[0]
    return results[0]


# ---- decode --------------------------------------------------------------------------------


_META_1252 = f'<html><head><meta charset="windows-1252"></head><body>{ENGLISH_CP1252}</body></html>'
_EQUIV_LATIN1 = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Größe Zürich</body></html>'
_XML_LATIN1 = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Größe</title></channel></rss>'
_RUSSIAN = "Москва и Киев объявили о прекращении огня в четверг вечером, сообщило агентство."


class TestDecode:
    @pytest.mark.parametrize(
        ("data", "declared", "expected"),
        [
            (ENGLISH_CP1252.encode("utf-8"), None, ENGLISH_CP1252),
            (ENGLISH_CP1252.encode("cp1252"), None, ENGLISH_CP1252),  # undeclared windows-1252
            (_META_1252.encode("cp1252"), None, _META_1252),
            (_EQUIV_LATIN1.encode("latin-1"), None, _EQUIV_LATIN1),
            (_XML_LATIN1.encode("latin-1"), None, _XML_LATIN1),
            ("\u201cquoted\u201d café".encode("cp1252"), "iso-8859-1", "\u201cquoted\u201d café"),  # latin-1 label read as cp1252
            ("Café – naïve".encode("utf-8"), "ISO-8859-1", "Café – naïve"),  # declared latin-1, really UTF-8
            (b"\xef\xbb\xbf" + "naïve".encode("utf-8"), None, "naïve"),
            ("Baku \u2014 talks".encode("utf-16"), None, "Baku \u2014 talks"),
            ("\ufeffBaku \u2014 talks".encode("utf-16-be"), None, "Baku \u2014 talks"),
            ("Plain text, no mark".encode("utf-16-le"), None, "Plain text, no mark"),
            (_RUSSIAN.encode("cp1251"), None, _RUSSIAN),
            (b"a\r\nb\rc\n", None, "a\nb\nc\n"),
        ],
    )
    def test_decode(self, data: bytes, declared: str | None, expected: str) -> None:
        assert decode_bytes(data, declared) == expected

    def test_mojibake_repaired(self) -> None:
        good = "The minister\u2019s caf\u00e9 visit \u2013 \u2018ok\u2019"
        broken = good.encode("utf-8").decode("cp1252")  # "ministerâ€™s cafÃ© ..."
        assert "â€™" in broken
        assert decode_bytes(broken.encode("utf-8")) == good

    def test_mojibake_only_on_broken_lines(self) -> None:
        text = "Clean line with \u201cquotes\u201d and &amp; entity\nBroken cafÃ© line"
        assert repair_text(text) == "Clean line with \u201cquotes\u201d and &amp; entity\nBroken caf\u00e9 line"

    @pytest.mark.parametrize("text", ["Zürich, São Paulo, naïve", "\u201cquoted\u201d \u2014 dash", "日本語のテキスト", "a £5 fee &amp; more", "Ωmega ﬁ ligature"])
    def test_correct_text_untouched(self, text: str) -> None:
        assert decode_bytes(text.encode("utf-8")) == text

    def test_charset_from_content_type(self) -> None:
        assert charset_from_content_type('text/html; charset="ISO-8859-1"') == "ISO-8859-1"
        assert charset_from_content_type("text/html") is None
        assert charset_from_content_type(None) is None


class TestSniff:
    @pytest.mark.parametrize(
        ("data", "what"),
        [(b"%PDF-1.7\n...", "PDF document"), (b"\x89PNG\r\n\x1a\n....", "PNG image"), (b"PK\x03\x04....", "ZIP archive or Office document"),
         (b"\xff\xd8\xff\xe0....", "JPEG image"), (b"text\x00with\x00nul bytes here", "contains NUL bytes"),
         (b"ab\x01\x02\x03\x04\x05\x06\x07" * 10, "78% control characters")],
    )  # fmt: skip
    def test_binary(self, data: bytes, what: str) -> None:
        assert binary_kind(data) == what

    @pytest.mark.parametrize("data", [b"plain text\n", "naïve".encode("utf-16"), "abcd text".encode("utf-16-le"), b"\x1b[1mbold\x1b[0m text"])
    def test_text(self, data: bytes) -> None:
        assert binary_kind(data) is None

    def test_html(self) -> None:
        assert looks_like_html(HTML)
        assert looks_like_html("<p>One</p><p>Two</p>")
        assert not looks_like_html("A plain report about 3 < 4 and a <b> tag.")

    def test_feed(self) -> None:
        assert looks_like_feed(b'<?xml version="1.0"?>\n<!-- c -->\n<rss version="2.0"><channel/></rss>')
        assert looks_like_feed(b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
        assert looks_like_feed(b'<rdf:RDF xmlns:rdf="x"></rdf:RDF>')
        assert not looks_like_feed(HTML.encode())

    def test_human_size(self) -> None:
        assert human_size(20 * 1024 * 1024) == "20 MB"
        assert human_size(int(31.2 * 1024 * 1024)) == "31.2 MB"
        assert human_size(512 * 1024) == "512 KB"
        assert human_size(900) == "900 bytes"


# ---- files, directories, stdin -------------------------------------------------------------


class TestFiles:
    def test_html_file(self, tmp_path) -> None:
        path = tmp_path / "page.html"
        path.write_text(HTML, encoding="utf-8")
        os.utime(path, (1_700_000_000, 1_700_000_000))
        page = only(run([str(path)]))
        assert page.kind == "html" and page.text == HTML
        assert page.input == page.path == str(path)
        assert page.fetched_at == dt.datetime.fromtimestamp(1_700_000_000, dt.timezone.utc)
        assert page.fetched_at.tzinfo is not None
        assert page.url is None

    def test_htm_and_uppercase(self, tmp_path) -> None:
        path = tmp_path / "PAGE.HTM"
        path.write_bytes(HTML.encode())
        assert only(run([str(path)])).kind == "html"

    def test_txt(self, tmp_path) -> None:
        path = tmp_path / "story.txt"
        path.write_bytes(ENGLISH_CP1252.encode("cp1252") + b"\r\nSecond line.")
        page = only(run([str(path)]))
        assert page.kind == "text"
        assert page.text == ENGLISH_CP1252 + "\nSecond line."

    def test_txt_holding_html(self, tmp_path) -> None:
        path = tmp_path / "saved.txt"
        path.write_text(HTML)
        assert only(run([str(path)])).kind == "html"

    def test_url_option_single_input(self, tmp_path) -> None:
        path = tmp_path / "page.html"
        path.write_text(HTML)
        assert only(run([str(path)], url="https://example.com/a")).url == "https://example.com/a"
        other = tmp_path / "other.txt"
        other.write_text("text")
        assert all(p.url is None for p in run([str(path), str(other)], url="https://example.com/a"))  # type: ignore[union-attr]

    def test_bad_url_option(self, tmp_path) -> None:
        path = tmp_path / "page.html"
        path.write_text(HTML)
        results = run([str(path)], url="ftp://example.com/a")
        assert codes(results) == ["E012", "html"]
        assert results[1].url is None  # type: ignore[union-attr]

    def test_html_gz(self, tmp_path) -> None:
        path = tmp_path / "page.html.gz"
        path.write_bytes(gzip.compress(HTML.encode()))
        page = only(run([str(path)]))
        assert page.kind == "html" and page.text == HTML

    def test_txt_gz(self, tmp_path) -> None:
        path = tmp_path / "story.txt.gz"
        path.write_bytes(gzip.compress(b"Plain story."))
        assert only(run([str(path)])).text == "Plain story."

    def test_truncated_gz(self, tmp_path) -> None:
        path = tmp_path / "page.html.gz"
        path.write_bytes(gzip.compress(HTML.encode() * 50)[:-30])
        only_error(run([str(path)]), Code.BAD_GZIP)

    def test_not_found(self, tmp_path) -> None:
        error = only_error(run([str(tmp_path / "missing.html")]), Code.NOT_FOUND)
        assert error.input == str(tmp_path / "missing.html")

    def test_empty(self, tmp_path) -> None:
        (tmp_path / "empty.txt").write_bytes(b"")
        (tmp_path / "bom.html").write_bytes(b"\xef\xbb\xbf  \n")
        assert codes(run([str(tmp_path / "empty.txt"), str(tmp_path / "bom.html")])) == ["E002", "E002"]

    def test_binary(self, tmp_path) -> None:
        (tmp_path / "report.html").write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj")
        (tmp_path / "nul.txt").write_bytes(b"abc\x00\x01\x02def\x00" * 20)
        results = run([str(tmp_path / "report.html"), str(tmp_path / "nul.txt")])
        assert codes(results) == ["E003", "E003"]
        assert results[0].details["what"] == "PDF document"  # type: ignore[union-attr]
        assert "PDF document" in str(results[0])

    def test_unsupported(self, tmp_path) -> None:
        (tmp_path / "report.pdf").write_bytes(b"%PDF-1.5")
        (tmp_path / "README").write_text("hi")
        results = run([str(tmp_path / "report.pdf"), str(tmp_path / "README")])
        assert codes(results) == ["E004", "E004"]
        assert results[0].details["what"] == ".pdf"  # type: ignore[union-attr]

    def test_binary_or_blank_feed_and_json(self, tmp_path) -> None:
        (tmp_path / "feed.xml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
        (tmp_path / "blank.json").write_bytes(b"  \n ")
        assert codes(run([str(tmp_path / "feed.xml"), str(tmp_path / "blank.json")])) == ["E003", "E002"]

    def test_too_large(self, tmp_path) -> None:
        path = tmp_path / "big.html"
        path.write_bytes(b"<p>" + b"x" * 3000 + b"</p>")
        error = only_error(run([str(path)], max_bytes=1024), Code.TOO_LARGE)
        assert error.details == {"size": "2.9 KB", "limit": "1 KB"}

    def test_too_large_checked_before_reading(self, tmp_path, monkeypatch) -> None:
        path = tmp_path / "big.html"
        path.write_bytes(b"x" * 5000)

        def no_open(*args: object, **kwargs: object) -> None:
            raise AssertionError("file was opened")

        monkeypatch.setattr(ingest_files, "open", no_open, raising=False)
        only_error(run([str(path)], max_bytes=1000), Code.TOO_LARGE)

    def test_gzip_bomb_capped(self, tmp_path) -> None:
        path = tmp_path / "bomb.html.gz"
        path.write_bytes(gzip.compress(b"<p>" + b"a" * 200_000))
        only_error(run([str(path)], max_bytes=50_000), Code.TOO_LARGE)

    def test_unreadable(self, tmp_path, monkeypatch) -> None:
        path = tmp_path / "locked.html"
        path.write_text(HTML)

        def denied(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(ingest_files, "open", denied, raising=False)
        error = only_error(run([str(path)]), Code.UNREADABLE)
        assert "Permission denied" in str(error)

    def test_directory_order_and_skips(self, tmp_path) -> None:
        for rel in ["b.html", "a.html", "a/z.txt", "a/b/c.htm", ".hidden.html", ".git/x.html", "notes.md", "img.png", "a/feed.xml"]:
            target = tmp_path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(RSS if rel.endswith(".xml") else HTML)
        results = run([str(tmp_path)])
        labels = [r.input for r in results]
        root = str(tmp_path)
        assert labels == [
            os.path.join(root, "a", "b", "c.htm"),
            os.path.join(root, "a", "feed.xml#1"),
            os.path.join(root, "a", "feed.xml#2"),
            os.path.join(root, "a", "z.txt"),
            os.path.join(root, "a.html"),
            os.path.join(root, "b.html"),
        ]
        assert all(isinstance(r, RawPage) for r in results)

    def test_inputs_in_order_with_errors(self, tmp_path) -> None:
        (tmp_path / "one.html").write_text(HTML)
        (tmp_path / "two.txt").write_text("Plain words only.")
        results = run([str(tmp_path / "two.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "one.html")])
        assert codes(results) == ["text", "E001", "html"]


class TestJson:
    def test_object(self, tmp_path) -> None:
        path = tmp_path / "page.json"
        path.write_text(json.dumps({"html": HTML, "url": "https://ex.com/a", "title": "T", "published": "2024-12-08", "site": "Ex"}))
        page = only(run([str(path)]))
        assert (page.kind, page.url, page.title, page.published, page.site, page.input) == ("html", "https://ex.com/a", "T", dt.date(2024, 12, 8), "Ex", str(path))

    def test_array_and_fields(self, tmp_path) -> None:
        path = tmp_path / "pages.json"
        path.write_text(json.dumps([{"text": "Plain."}, {"body": "<p>a</p><p>b</p><div>c</div>"}, {"content": "Words", "published": "2024-12-08T23:30:00-05:00"}]))
        results = run([str(path)])
        assert codes(results) == ["text", "html", "text"]
        assert [r.input for r in results] == [f"{path}#1", f"{path}#2", f"{path}#3"]
        assert results[2].published == dt.date(2024, 12, 8)  # type: ignore[union-attr]

    def test_json_lines(self, tmp_path) -> None:
        path = tmp_path / "pages.jsonl"
        path.write_text('{"text": "one"}\n\n{"html": "<p>two</p>"}\n')
        assert codes(run([str(path)])) == ["text", "html"]

    def test_bad_json(self, tmp_path) -> None:
        path = tmp_path / "bad.json"
        path.write_text('{"text": "unterminated')
        only_error(run([str(path)]), Code.BAD_JSON)
        path.write_text('{"text": "ok"}\n{"text": broken}\n')
        only_error(run([str(path)]), Code.BAD_JSON)

    def test_record_problems(self, tmp_path) -> None:
        path = tmp_path / "mixed.json"
        path.write_text(json.dumps([{"title": "no text"}, 7, {"text": "  "}, {"text": "ok", "published": "8 Dec 2024"}, {"text": "fine"}]))
        assert codes(run([str(path)])) == ["E019", "E019", "E002", "E011", "text"]

    def test_mojibake_in_json(self, tmp_path) -> None:
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"text": "The ministerâ€™s office"}))
        assert only(run([str(path)])).text == "The minister\u2019s office"


class TestStdin:
    def test_html(self) -> None:
        page = only(run(["-"], stdin=HTML.encode(), url="https://ex.com/p"))
        assert (page.input, page.kind, page.url, page.path) == ("-", "html", "https://ex.com/p", None)

    def test_text(self) -> None:
        assert only(run(["-"], stdin=ENGLISH_CP1252.encode("cp1252"))).text == ENGLISH_CP1252

    def test_feed(self) -> None:
        results = run(["-"], stdin=RSS.encode())
        assert [r.input for r in results] == ["-#1", "-#2"]

    def test_warc(self) -> None:
        results = run(["-"], stdin=build_warc(gz=True))
        assert [r.input for r in results] == ["-#2", "-#6"]

    def test_gzip_page(self) -> None:
        assert only(run(["-"], stdin=gzip.compress(HTML.encode()))).kind == "html"

    def test_errors(self) -> None:
        only_error(run(["-"], stdin=b""), Code.EMPTY)
        only_error(run(["-"], stdin=b"\x89PNG\r\n\x1a\n\x00\x00"), Code.BINARY)
        only_error(run(["-"], stdin=b"x" * 2000, max_bytes=1000), Code.TOO_LARGE)


# ---- feeds ---------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://news.example.com/</link>
<item><title>Talks &amp; truce</title><link>https://news.example.com/a</link>
  <pubDate>Sun, 08 Dec 2024 23:30:00 -0500</pubDate>
  <description>Short summary</description>
  <content:encoded><![CDATA[<p>Full text of the story.</p>]]></content:encoded></item>
<item><title>Only summary</title><link>https://news.example.com/b</link><dc:date>2024-12-07T10:00:00Z</dc:date>
  <description>Plain summary text.</description></item>
<item><title>No text</title><link>https://news.example.com/c</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><link href="https://wire.example.org/"/>
<entry><title type="html">&lt;b&gt;Ceasefire&lt;/b&gt; agreed</title><link href="https://wire.example.org/1"/>
  <id>urn:1</id><published>2024-12-08T09:00:00+03:00</published><updated>2024-12-09T09:00:00Z</updated>
  <content type="html">&lt;p&gt;Both sides signed.&lt;/p&gt;</content></entry>
<entry><title>Plain</title><link href="https://wire.example.org/2"/><id>urn:2</id><updated>2024-12-06T01:00:00Z</updated>
  <content type="text">Just words.</content></entry>
</feed>"""


class TestFeeds:
    def test_rss(self, tmp_path) -> None:
        path = tmp_path / "feed.rss"
        path.write_text(RSS)
        first, second = pages(run([str(path)]))
        assert (first.input, first.url, first.title, first.kind, first.text) == (f"{path}#1", "https://news.example.com/a", "Talks & truce", "html", "<p>Full text of the story.</p>")
        assert first.published == dt.date(2024, 12, 8)  # the publisher's date, not UTC's Dec 9
        assert first.site == second.site == "Example News"
        assert first.path == str(path)
        assert (second.kind, second.text, second.published) == ("text", "Plain summary text.", dt.date(2024, 12, 7))

    def test_atom(self, tmp_path) -> None:
        path = tmp_path / "wire.atom"
        path.write_text(ATOM)
        first, second = pages(run([str(path)]))
        assert (first.title, first.published, first.kind, first.url) == ("Ceasefire agreed", dt.date(2024, 12, 8), "html", "https://wire.example.org/1")
        assert (second.kind, second.text, second.published, second.site) == ("text", "Just words.", dt.date(2024, 12, 6), "Atom Wire")

    def test_xml_extension(self, tmp_path) -> None:
        path = tmp_path / "feed.xml"
        path.write_text(ATOM)
        assert len(run([str(path)])) == 2

    def test_bad_feed(self, tmp_path) -> None:
        path = tmp_path / "broken.xml"
        path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>cut off')
        only_error(run([str(path)]), Code.BAD_FEED)
        path.write_text('<?xml version="1.0"?><catalog><book/></catalog>')
        only_error(run([str(path)]), Code.BAD_FEED)

    def test_xhtml_saved_as_xml(self, tmp_path) -> None:
        path = tmp_path / "page.xml"
        path.write_text('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>')
        assert only(run([str(path)])).kind == "html"


# ---- WARC ----------------------------------------------------------------------------------


def build_warc(gz: bool, big_record: bool = False) -> bytes:
    """warcinfo, 200 HTML, 404 HTML, 200 PNG, request, resource text/html, (big 200 HTML)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "test"}))

    def response(url: str, status: str, ctype: str, body: bytes, date: str) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)

    response("https://ex.com/ok", "200 OK", "text/html; charset=windows-1252", f"<html><body><p>{ENGLISH_CP1252}</p></body></html>".encode("cp1252"), "2024-12-08T10:00:00Z")
    response("https://ex.com/missing", "404 Not Found", "text/html", b"<html><body>Not found</body></html>", "2024-12-08T10:00:01Z")
    response("https://ex.com/img.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "2024-12-08T10:00:02Z")
    writer.write_record(writer.create_warc_record("https://ex.com/ok", "request", payload=io.BytesIO(b"GET /ok HTTP/1.1\r\nHost: ex.com\r\n\r\n")))
    resource = writer.create_warc_record(
        "https://ex.com/res", "resource", payload=io.BytesIO(b"<html><body><p>resource page</p></body></html>"), warc_content_type="text/html", warc_headers_dict={"WARC-Date": "2024-12-09T00:00:00Z"}
    )
    writer.write_record(resource)
    if big_record:
        response("https://ex.com/big", "200 OK", "text/html", b"<p>" + b"x" * 5000 + b"</p>", "2024-12-08T10:00:05Z")
        response("https://ex.com/after", "200 OK", "text/html", b"<p>after</p>", "2024-12-08T10:00:06Z")
    return buf.getvalue()


class TestWarc:
    @pytest.mark.parametrize("gz", [True, False])
    def test_records(self, tmp_path, gz: bool) -> None:
        path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
        path.write_bytes(build_warc(gz))
        first, second = pages(run([str(path)]))
        assert (first.input, first.url, first.kind, first.path) == (f"{path}#2", "https://ex.com/ok", "html", str(path))
        assert ENGLISH_CP1252 in first.text
        assert first.fetched_at == dt.datetime(2024, 12, 8, 10, 0, tzinfo=dt.timezone.utc)
        assert (second.input, second.url, second.text) == (f"{path}#6", "https://ex.com/res", "<html><body><p>resource page</p></body></html>")

    def test_record_over_limit_skipped(self, tmp_path) -> None:
        path = tmp_path / "crawl.warc.gz"
        path.write_bytes(build_warc(True, big_record=True))
        results = run([str(path)], max_bytes=4000)
        assert codes(results) == ["html", "html", "E005", "html"]
        assert results[2].input == f"{path}#7"

    def test_truncated_gz_keeps_earlier_pages(self, tmp_path) -> None:
        data = build_warc(True, big_record=True)
        path = tmp_path / "cut.warc.gz"
        path.write_bytes(data[:-40])  # inside the last record's gzip member
        results = run([str(path)])
        assert codes(results) == ["html", "html", "html", "E007"]
        assert results[-1].input == str(path)

    @pytest.mark.parametrize("offset", [-30, 5, 3000])  # in the header, in the URI, in the payload
    def test_truncated_plain_warc(self, tmp_path, offset: int) -> None:
        data = build_warc(False, big_record=True)
        path = tmp_path / "cut.warc"
        path.write_bytes(data[: data.index(b"https://ex.com/big") + offset])
        assert codes(run([str(path)])) == ["html", "html", "E007"]

    def test_cut_after_content_length_name(self, tmp_path) -> None:
        data = build_warc(False, big_record=True)
        start = data.index(b"https://ex.com/big")
        path = tmp_path / "cut.warc"
        path.write_bytes(data[: data.index(b"Content-Length:", start) + len(b"Content-Length:")])
        assert codes(run([str(path)])) == ["html", "html", "E007"]

    def test_corrupt_gz(self, tmp_path) -> None:
        data = bytearray(build_warc(True, big_record=True))
        start = data.rindex(b"\x1f\x8b\x08")  # the last record's gzip member
        for i in range(start + 20, start + 40):
            data[i] ^= 0xFF
        path = tmp_path / "bad.warc.gz"
        path.write_bytes(bytes(data))
        results = run([str(path)])
        assert codes(results)[-1] == "E007"
        assert codes(results)[:2] == ["html", "html"]

    def test_not_a_warc(self, tmp_path) -> None:
        path = tmp_path / "fake.warc"
        path.write_text(HTML)
        error = only_error(run([str(path)]), Code.BAD_WARC)
        assert "not a WARC file" in str(error)


# ---- web: a real HTTP server on 127.0.0.1 --------------------------------------------------

RSS_FOR_SERVER = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>With text</title><link>{base}/item-a</link><description>&lt;p&gt;Inline&lt;/p&gt;</description></item>
<item><title>Link only</title><link>{base}/item-b</link><pubDate>Mon, 09 Dec 2024 08:00:00 +0000</pubDate></item>
</channel></rss>"""


# path -> (status, body, content type, extra headers); "{base}" in a body is the server's URL.
ROUTES: dict[str, tuple[int, bytes, str, dict[str, str]]] = {
    "/page": (200, f"<html><body><p>{ENGLISH_CP1252}</p></body></html>".encode("cp1252"), "text/html; charset=iso-8859-1", {}),
    "/plain": (200, b"Plain text report.", "text/plain", {}),
    "/loop": (301, b"", "text/html", {"Location": "/loop"}),
    "/to-ftp": (302, b"", "text/html", {"Location": "ftp://example.com/x"}),
    "/to-private": (302, b"", "text/html", {"Location": "http://10.1.2.3/secret"}),
    "/missing": (404, b"<html>nope</html>", "text/html", {}),
    "/error": (503, b"busy", "text/plain", {}),
    "/big": (200, b"<p>" + b"x" * 5000 + b"</p>", "text/html", {}),
    "/pdf": (200, b"%PDF-1.4 ...", "application/pdf", {}),
    "/feed": (200, RSS_FOR_SERVER.encode(), "application/rss+xml", {}),
    "/feed-as-html": (200, RSS_FOR_SERVER.encode(), "text/html", {}),
    "/item-b": (200, b"<html><body><p>Fetched item body.</p></body></html>", "text/html", {}),
    "/gzip": (200, gzip.compress(HTML.encode()), "text/html", {"Content-Encoding": "gzip"}),
}


class _Handler(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        type(self).requests.append((self.path, self.headers.get("Host")))
        if self.path.startswith("/chain/"):  # /chain/N: N+1 redirects, then /page
            left = int(self.path.rsplit("/", 1)[1])
            route = (302, b"", "text/html", {"Location": f"/chain/{left - 1}" if left > 0 else "/page"})
        elif self.path == "/big-stream":  # no Content-Length: read until the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"x" * 1000)
            return
        elif self.path == "/slow":
            time.sleep(1.5)
            route = (200, b"<p>late</p>", "text/html", {})
        else:
            route = ROUTES.get(self.path, (404, b"", "text/html", {}))
        status, body, ctype, headers = route
        body = body.replace(b"{base}", f"http://{self.headers.get('Host')}".encode())
        self.send_response(status)
        for key, value in {"Content-Type": ctype, "Content-Length": str(len(body)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that stop reading (size cap, timeout tests) are expected


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def served(server: str) -> str:
    _Handler.requests.clear()
    return server


def fetch_all(url: str, **options: object) -> list[RawPage | SitroomError]:
    options.setdefault("allow_private", True)
    options.setdefault("timeout_s", 5.0)
    return run([url], **options)


class TestWeb:
    def test_page(self, served: str) -> None:
        before = dt.datetime.now(dt.timezone.utc)
        page = only(fetch_all(f"{served}/page"))
        assert (page.input, page.url, page.kind, page.path) == (f"{served}/page", f"{served}/page", "html", None)
        assert ENGLISH_CP1252 in page.text  # iso-8859-1 header read as windows-1252
        assert page.fetched_at is not None and before <= page.fetched_at <= dt.datetime.now(dt.timezone.utc)
        assert _Handler.requests[0][1] == served.removeprefix("http://")

    def test_plain_text_and_gzip_encoding(self, served: str) -> None:
        assert only(fetch_all(f"{served}/plain")).kind == "text"
        assert only(fetch_all(f"{served}/gzip")).text == HTML

    def test_redirects(self, served: str) -> None:
        page = only(fetch_all(f"{served}/chain/4", max_redirects=5))  # 5 redirects: allowed
        assert page.url == f"{served}/page" and page.input == f"{served}/chain/4"
        error = only_error(fetch_all(f"{served}/chain/5", max_redirects=5), Code.TOO_MANY_REDIRECTS)
        assert error.details == {"limit": 5}
        only_error(fetch_all(f"{served}/loop"), Code.TOO_MANY_REDIRECTS)
        assert len(_Handler.requests) == 6 + 6 + 6

    def test_redirect_to_bad_scheme(self, served: str) -> None:
        only_error(fetch_all(f"{served}/to-ftp"), Code.BAD_URL)

    def test_status(self, served: str) -> None:
        assert only_error(fetch_all(f"{served}/missing"), Code.HTTP_STATUS).details == {"status": 404}
        assert only_error(fetch_all(f"{served}/error"), Code.HTTP_STATUS).details == {"status": 503}

    def test_size_cap(self, served: str) -> None:
        error = only_error(fetch_all(f"{served}/big", max_bytes=1024), Code.TOO_LARGE)
        assert error.details == {"size": "4.9 KB", "limit": "1 KB"}
        error = only_error(fetch_all(f"{served}/big-stream", max_bytes=4096), Code.TOO_LARGE)
        assert error.details["size"] == "the response"

    def test_timeout(self, served: str) -> None:
        error = only_error(fetch_all(f"{served}/slow", timeout_s=0.3), Code.UNREACHABLE)
        assert "timed out" in str(error)

    def test_connection_refused(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        only_error(fetch_all(f"http://127.0.0.1:{port}/"), Code.UNREACHABLE)

    def test_binary_response(self, served: str) -> None:
        assert only_error(fetch_all(f"{served}/pdf"), Code.BINARY).details == {"what": "PDF document"}

    @pytest.mark.parametrize("path", ["/feed", "/feed-as-html"])
    def test_feed_over_http(self, served: str, path: str) -> None:
        first, second = pages(fetch_all(f"{served}{path}"))
        assert (first.input, first.text, first.kind, first.site, first.url) == (f"{served}{path}#1", "<p>Inline</p>", "html", "Local Wire", f"{served}/item-a")
        # The link-only item was fetched through the same guarded fetcher.
        assert second.text == "<html><body><p>Fetched item body.</p></body></html>"
        assert (second.input, second.url, second.title, second.published, second.site) == (f"{served}{path}#2", f"{served}/item-b", "Link only", dt.date(2024, 12, 9), "Local Wire")
        assert [p for p, _ in _Handler.requests] == [path, "/item-b"]

    @pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http://", "http:///path", "gopher://x"])
    def test_bad_url(self, url: str) -> None:
        only_error(run([url]), Code.BAD_URL)


class TestGuard:
    @pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "127.1.2.3"])
    def test_loopback_refused_without_request(self, served: str, host: str) -> None:
        port = served.rsplit(":", 1)[1]
        error = only_error(run([f"http://{host}:{port}/page"]), Code.PRIVATE_ADDRESS)
        assert "--allow-private" in str(error)
        assert _Handler.requests == []

    @pytest.mark.parametrize(
        "address",
        [
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "224.0.0.1", "240.0.0.1", "255.255.255.255", "127.0.0.1", "::1", "::", "fe80::1%eth0", "fc00::1", "ff02::1",
            "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::1", "2002:a00:1::", "64:ff9b::a00:1",
        ],
    )
    def test_blocked_addresses(self, address: str) -> None:
        assert web.address_problem(address) is not None

    @pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])
    def test_public_addresses(self, address: str) -> None:
        assert web.address_problem(address) is None

    def test_mapped_reason(self) -> None:
        assert web.address_problem("::ffff:127.0.0.1") == "IPv4-mapped loopback"

    def test_any_private_address_refuses(self, monkeypatch) -> None:
        def fake(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)), (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

        monkeypatch.setattr(web.socket, "getaddrinfo", fake)
        with pytest.raises(SitroomError) as info:
            web.resolve_checked("mixed.test", 80, allow_private=False)
        assert info.value.code is Code.PRIVATE_ADDRESS and info.value.details["host"] == "mixed.test"
        assert web.resolve_checked("mixed.test", 80, allow_private=True) == "93.184.216.34"

    def test_name_resolving_private_refused(self, monkeypatch) -> None:
        def fake(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
            assert host == "intranet.test"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

        monkeypatch.setattr(web.socket, "getaddrinfo", fake)
        only_error(run(["http://intranet.test/"]), Code.PRIVATE_ADDRESS)

    def test_unresolvable(self, monkeypatch) -> None:
        def fake(*args: object, **kwargs: object) -> list[tuple]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        monkeypatch.setattr(web.socket, "getaddrinfo", fake)
        only_error(run(["http://nowhere.test/"]), Code.UNREACHABLE)

    def test_redirect_hop_rechecked(self, served: str, monkeypatch) -> None:
        real = web.address_problem
        monkeypatch.setattr(web, "address_problem", lambda a: None if a == "127.0.0.1" else real(a))
        error = only_error(run([f"{served}/to-private"]), Code.PRIVATE_ADDRESS)
        assert error.details["host"] == "10.1.2.3"
        assert [p for p, _ in _Handler.requests] == ["/to-private"]

    def test_connection_pinned_to_checked_address(self, served: str, monkeypatch) -> None:
        """DNS rebinding: the name is resolved once; the connection uses that answer."""
        real = socket.getaddrinfo
        calls: list[str] = []
        port = int(served.rsplit(":", 1)[1])

        def fake(host: str, *args: object, **kwargs: object) -> list[tuple]:
            if host == "rebind.test":
                calls.append(host)
                if len(calls) > 1:  # a second lookup would get another answer
                    raise socket.gaierror(socket.EAI_NONAME, "rebinding: second lookup")
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
            return real(host, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        page = only(run([f"http://rebind.test:{port}/page"], allow_private=True))
        assert page.url == f"http://rebind.test:{port}/page"
        assert calls == ["rebind.test"]
        assert _Handler.requests == [("/page", f"rebind.test:{port}")]  # original Host header

    @pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
    def test_tls_pinned_with_sni_and_hostname_check(self, tmp_path, monkeypatch) -> None:
        """HTTPS to a pinned address still sends SNI for, and verifies the certificate against, the name."""
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pinned.test",
             "-addext", "subjectAltName=DNS:pinned.test", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        seen: list[str | None] = []
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_ctx.load_cert_chain(cert, key)
        server_ctx.sni_callback = lambda sock, name, ctx: seen.append(name)  # type: ignore[assignment, misc, return-value]
        httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        httpd.socket = server_ctx.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        port = httpd.server_address[1]
        client_ctx = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setattr(web, "_ssl_context", lambda: client_ctx)
        real = socket.getaddrinfo

        def fake(host: str, *args: object, **kwargs: object) -> list[tuple]:
            if host == "pinned.test":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
            return real(host, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(socket, "getaddrinfo", fake)
        try:
            _Handler.requests.clear()
            page = only(run([f"https://pinned.test:{port}/plain"], allow_private=True, timeout_s=5.0))
            assert page.text == "Plain text report." and seen == ["pinned.test"]
            assert _Handler.requests == [("/plain", f"pinned.test:{port}")]
            # The same server by IP: the certificate does not name 127.0.0.1, so TLS fails (E008).
            only_error(run([f"https://127.0.0.1:{port}/plain"], allow_private=True, timeout_s=5.0), Code.UNREACHABLE)
        finally:
            httpd.shutdown()
            httpd.server_close()

    def test_backend_refuses_unpinned(self) -> None:
        import httpcore

        backend = web._PinnedBackend({("a.test", 80): "127.0.0.1"})
        with pytest.raises(httpcore.ConnectError):
            backend.connect_tcp("b.test", 80)


class TestOptions:
    def test_from_settings(self) -> None:
        settings = {"input": {"max_size_mb": 2}, "fetch": {"timeout_s": 3, "max_redirects": 2, "user_agent": "ua", "allow_private": False}}
        options = IngestOptions.from_settings(settings, allow_private=True, url=None)
        assert options == IngestOptions(max_bytes=2 * 1024 * 1024, timeout_s=3.0, max_redirects=2, user_agent="ua", allow_private=True)

    def test_shipped_settings(self) -> None:
        from sitroom.config import defaults

        options = IngestOptions.from_settings(defaults())
        assert options.max_bytes == 20 * 1024 * 1024 and options.allow_private is False

    def test_unknown_override(self) -> None:
        with pytest.raises(TypeError):
            IngestOptions.from_settings({}, max_size=3)
