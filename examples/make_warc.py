"""Build examples/warc/sample.warc.gz: a small web archive for the sitroom demo.

The archive holds, in order:
  1. a warcinfo record;
  2. a 200 text/html response: a report on the detention of Istanbul's mayor (a page);
  3. a 404 text/html response (sitroom must skip it: not a 200);
  4. a 200 image/png response (sitroom must skip it: not HTML);
  5. a 200 text/html response: a report on the protests that followed (a page).

The two articles were written for this project. Run with the project's venv (warcio is a
dependency of sitroom):

    .venv/bin/python examples/make_warc.py
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parent / "warc" / "sample.warc.gz"

MAYOR_URL = "https://bosphorus-times.example.com/turkey/2025/03/19/istanbul-mayor-detained"
MAYOR_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Istanbul mayor Imamoglu detained in corruption and terrorism probe | Bosphorus Times</title>
<meta property="og:site_name" content="Bosphorus Times">
<meta property="og:title" content="Istanbul mayor Imamoglu detained in corruption and terrorism probe">
<meta property="article:published_time" content="2025-03-19T11:20:00+03:00">
<meta name="author" content="Selin Aydemir">
</head>
<body>
<header class="masthead"><a href="/">Bosphorus Times</a>
<nav><a href="/turkey">Turkey</a> <a href="/economy">Economy</a> <a href="/world">World</a> <a href="/culture">Culture</a></nav></header>
<main>
<article>
<h1>Istanbul mayor Imamoglu detained in corruption and terrorism probe</h1>
<p class="byline">By Selin Aydemir &middot; 19 March 2025</p>
<figure><img src="/img/saracane.jpg" alt="Police vehicles outside a building">
<figcaption>Police vehicles outside the Istanbul municipality building on Wednesday. <span class="credit">Photo: Anadolu</span></figcaption></figure>
<p>Police detained Istanbul Mayor Ekrem Imamoglu at his home early on Wednesday as part of investigations into alleged corruption and support for a terrorist organisation, in a move opposition parties called an attack on democracy.</p>
<p>Prosecutors said detention orders had been issued for about 100 people, including two district mayors and several businessmen. Imamoglu, the main rival of President Recep Tayyip Erdogan, said in a video posted online before he was taken away that he would not give up.</p>
<p>The Istanbul governor banned demonstrations in the city for four days and closed several roads and metro stations around the city hall. Access to social media platforms was restricted for several hours, according to an internet monitoring group.</p>
<p>The detention came a day after Istanbul University annulled Imamoglu's degree, a decision that could bar him from standing for president. His Republican People's Party had been due to name him as its candidate on Sunday.</p>
<p>The Turkish lira fell sharply on the news, and the stock exchange in Istanbul suspended trading briefly after the main index dropped.</p>
</article>
<aside class="related"><h2>Related</h2>
<ul><li><a href="/turkey/2024/04/01/local-elections">Opposition wins Istanbul and Ankara in local elections</a><p>The vote handed the governing party its worst result in two decades.</p></li>
<li><a href="/economy/2025/03/17/central-bank">Central bank holds rates as inflation slows</a><p>Policymakers signalled a cautious approach for the coming months.</p></li></ul></aside>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</main>
<footer><p>&copy; 2025 Bosphorus Times</p></footer>
</body>
</html>
"""

PROTEST_URL = "https://www.anatolia-review.example.org/news/istanbul-protests-arrests"
PROTEST_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>More than 1,100 detained as protests over mayor's jailing spread across Turkey</title>
<meta property="og:site_name" content="Anatolia Review">
<meta property="og:title" content="More than 1,100 detained as protests over mayor's jailing spread across Turkey">
<meta property="article:published_time" content="2025-03-24T13:05:00+03:00">
<meta name="author" content="Mert Yilmaz">
</head>
<body>
<div class="topbar"><a href="/">Anatolia Review</a> <a href="/newsletter">Newsletter</a> <a href="/donate">Donate</a></div>
<main>
<article class="post">
<h1>More than 1,100 detained as protests over mayor's jailing spread across Turkey</h1>
<div class="post-meta">Mert Yilmaz | 24 March 2025</div>
<p>Tens of thousands of people rallied outside Istanbul city hall again on Sunday night, hours after a court ordered Mayor Ekrem Imamoglu to be held in jail pending trial on corruption charges.</p>
<p>The interior minister said on Monday that 1,133 people had been detained since the protests began on Wednesday and that 123 police officers had been injured. Demonstrations have taken place in most of the country's provinces despite bans on gatherings.</p>
<p>Police used pepper spray, rubber bullets and water cannon to disperse crowds in Istanbul and Ankara on Saturday night. Several journalists covering the protests were among those detained at their homes on Monday morning, according to press freedom groups.</p>
<p>The court rejected a request to jail Imamoglu on terrorism charges, but the interior ministry suspended him from office. His party went ahead with its primary vote on Sunday and said that millions of people had cast ballots to back him as its presidential candidate.</p>
<p>President Recep Tayyip Erdogan accused the opposition of provoking street violence and said the government would not tolerate what he called vandalism.</p>
<section class="you-may-also-like"><h3>You may also like</h3>
<a href="/news/lira-slide">Lira slides to record low before central bank steps in</a>
<a href="/news/student-boycott">Students call for a boycott of classes in solidarity</a></section>
</article>
<section class="comments"><h3>4 comments</h3><p>Log in to comment.</p></section>
</main>
<footer>Anatolia Review &copy; 2025</footer>
</body>
</html>
"""

NOT_FOUND_URL = "https://bosphorus-times.example.com/turkey/2025/03/20/old-link"
NOT_FOUND_HTML = """<!DOCTYPE html><html><head><title>Page not found | Bosphorus Times</title></head>
<body><h1>Sorry, we could not find that page</h1><p>The article may have been moved or deleted.</p></body></html>
"""

PNG_URL = "https://bosphorus-times.example.com/img/saracane.jpg"
# A 1x1 transparent PNG.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def response(writer: WARCWriter, url: str, status: str, content_type: str, body: bytes, date: str) -> None:
    http = StatusAndHeaders(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Server", "example")],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
    )
    writer.write_record(record)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(
                "sample.warc.gz",
                {"software": "examples/make_warc.py (sitroom demo)", "format": "WARC File Format 1.1"},
            )
        )
        html = "text/html; charset=utf-8"
        response(writer, MAYOR_URL, "200 OK", html, MAYOR_HTML.encode("utf-8"), "2025-03-19T12:00:00Z")
        response(writer, NOT_FOUND_URL, "404 Not Found", html, NOT_FOUND_HTML.encode("utf-8"), "2025-03-20T09:30:00Z")
        response(writer, PNG_URL, "200 OK", "image/png", PNG_BYTES, "2025-03-19T12:00:05Z")
        response(writer, PROTEST_URL, "200 OK", html, PROTEST_HTML.encode("utf-8"), "2025-03-24T15:00:00Z")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
