"""The situation-room page in a real browser: headless Chromium (Debian's chromium and
chromedriver) against a uvicorn server on 127.0.0.1 over a store built from hand-made records
(no model). Skipped when chromium or chromedriver is missing."""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sitroom.store import Store, StoredItem
from records import make_doc

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)",
                allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="browser tests need selenium")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'

ISRAEL = ("Israel", "GPE", "ISR", "country:ISR")
HAMAS = ("Hamas", "ORG", "PSE", "org:hamas")
TEACHERS = ("Teachers Union", "ORG", "TUR", None)
EVIL_GROUP = (XSS_IMG + " Brigade", "ORG", "TUR", None)
KHAN_YUNIS = {"name": "Khan Younis", "kind": "city", "country": "PSE", "lat": 31.34, "lon": 34.30, "gid": "281133"}
ANKARA = {"name": "Ankara", "kind": "city", "country": "TUR", "lat": 39.93, "lon": 32.86, "gid": "323786"}
KYIV = {"name": "Kyiv", "kind": "city", "country": "UKR", "lat": 50.45, "lon": 30.52, "gid": "703448"}


def strike(text: str, killed: int, when: str = "2025-03-04", **more: Any) -> dict[str, Any]:
    return {"text": text, "type": "ASSAULT", "mode": "aerial", "sources": [ISRAEL], "targets": [HAMAS], "when": when,
            "place": KHAN_YUNIS, "killed": killed, **more}


EVIL_SENTENCE = f"Protesters of the {XSS_IMG} Brigade rallied in Ankara shouting {XSS_SCRIPT} on Friday."


def build_store(path: str) -> None:
    docs = [
        make_doc("a1", "alpha.example", "2025-03-04", [
            strike("Israeli jets struck Hamas positions in Khan Younis on Tuesday, killing at least 13 people.", 13,
                   time_text="Tuesday"),
        ], title="Strike on Khan Younis", lead="The war entered its second year."),
        make_doc("b1", "beta.example", "2025-03-05", [
            strike("An Israeli air strike on Hamas in Khan Younis killed 16 people, medics said.", 16),
        ], title="Medics: 16 killed in Khan Younis"),
        make_doc("c1", "gamma.example", "2025-03-06", [
            {"text": "The Teachers Union marched in Ankara over pay.", "type": "PROTEST", "sources": [TEACHERS],
             "when": "2025-03-06", "place": ANKARA},
        ], title="Teachers march in Ankara"),
        make_doc("d1", "delta.example", "2025-03-09", [
            {"text": "Hamas accused Israel of breaking the truce in Kyiv talks.", "type": "ACCUSE", "sources": [HAMAS],
             "targets": [ISRAEL], "when": "2025-03-09", "place": KYIV, "modality": "claimed"},
        ], title="Hamas accuses Israel"),
        make_doc("x1", "evil.example", "2025-03-07", [
            {"text": EVIL_SENTENCE, "type": "PROTEST", "sources": [EVIL_GROUP], "targets": [TEACHERS],
             "when": "2025-03-07", "place": ANKARA},
        ], title=XSS_SCRIPT + " " + XSS_IMG, url="javascript:window.__pwned=1",
           lead=f"Intro {XSS_SCRIPT} and {XSS_IMG} in the lead."),
    ]
    with Store.open(path) as store:
        for d in docs:  # one batch each, in publication order, as a crawl would add them
            store.add_batch([StoredItem(document=d, raw_sha="raw-" + d.doc_id, input=d.doc_id, signature=b"")])


# ------------------------------------------------------------------------------------ fixtures


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from sitroom.api.app import create_app

    tmp = tempfile.mkdtemp(prefix="sitroom-web-")
    db = str(Path(tmp) / "web.db")
    build_store(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app=create_app(db), host="127.0.0.1", port=port, log_level="warning",
                                       lifespan="on"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    profile = tempfile.mkdtemp(prefix="sitroom-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
                "--window-size=1400,900", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(20)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(driver: webdriver.Chrome) -> webdriver.Chrome:
    driver.get_log("browser")  # drop what earlier tests logged
    return driver


def wait(driver: webdriver.Chrome, condition: Any, timeout: float = 10, message: str = "") -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d), message)


def views_ready(driver: webdriver.Chrome, query: str | None = None) -> None:
    """Wait until the map, the timeline and the network have drawn (for ``query``, if given)."""
    def ready(d: webdriver.Chrome) -> bool:
        got = d.execute_script(
            "return ['map', 'timeline', 'network'].map(id => document.getElementById(id).dataset.query)")
        return all(q is not None for q in got) and (query is None or all(q == query for q in got))
    wait(driver, ready, message=f"the views did not load {query!r}")


def errors(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def cards(driver: webdriver.Chrome) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, "#event-list article.card")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# ------------------------------------------------------------------------------------ tests


def test_room_loads_and_draws_map_timeline_network(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/")
    views_ready(browser, "")
    assert len(cards(browser)) == 4  # the two strike reports are one event
    # map: the Natural Earth countries, shaded where events are, and clustered points
    wait(browser, lambda d: int(d.find_element(By.ID, "map").get_attribute("data-country-shapes") or 0) > 100)
    assert browser.find_element(By.ID, "map").get_attribute("data-points") == "4"
    markers = browser.find_elements(By.CSS_SELECTOR, "#map path.sr-point, #map .marker-cluster")
    assert markers
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map .leaflet-overlay-pane path")) > 100
    assert "Natural Earth" in browser.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    # timeline: bars drawn on the canvas
    canvas = browser.find_element(By.ID, "timeline")
    assert int(canvas.get_attribute("data-bars")) == 6 and canvas.get_attribute("data-events") == "4"
    painted = browser.execute_script(
        "const c = document.getElementById('timeline'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;")
    assert painted > 500
    # network: actors as nodes, typed directed edges
    network = browser.find_element(By.ID, "network")
    assert int(network.get_attribute("data-nodes")) >= 4 and int(network.get_attribute("data-edges")) >= 3
    assert network.find_elements(By.TAG_NAME, "canvas")
    # legend counts from /stats
    assert "ASSAULT1" in browser.find_element(By.ID, "type-legend").text.replace("\n", "")
    assert errors(browser) == []


def test_type_filter_updates_list_url_map_and_timeline(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/")
    views_ready(browser, "")
    Select(browser.find_element(By.NAME, "type")).select_by_value("PROTEST")
    wait(browser, lambda d: query_of(d.current_url).get("type") == ["PROTEST"], message="the URL did not follow")
    views_ready(browser, "type=PROTEST")
    wait(browser, lambda d: len(cards(d)) == 2)
    assert {c.get_attribute("data-type") for c in cards(browser)} == {"PROTEST"}
    assert browser.find_element(By.ID, "map").get_attribute("data-points") == "2"
    assert browser.find_element(By.ID, "timeline").get_attribute("data-events") == "2"
    assert browser.find_element(By.ID, "network").get_attribute("data-nodes") == "2"
    # back restores the unfiltered view
    browser.back()
    wait(browser, lambda d: len(cards(d)) == 4)
    assert Select(browser.find_element(By.NAME, "type")).first_selected_option.get_attribute("value") == ""
    views_ready(browser, "")
    assert errors(browser) == []


def test_url_restores_the_view(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/?type=ASSAULT&min_sources=2&actor=israel")
    assert Select(browser.find_element(By.NAME, "type")).first_selected_option.get_attribute("value") == "ASSAULT"
    assert browser.find_element(By.NAME, "min_sources").get_attribute("value") == "2"
    assert browser.find_element(By.NAME, "actor").get_attribute("value") == "israel"
    (card,) = cards(browser)
    assert card.get_attribute("data-type") == "ASSAULT"
    assert "killed 13–16 (2 sources)" in card.text and "2 independent sources" in card.text
    views_ready(browser, "actor=israel&type=ASSAULT&min_sources=2")
    assert browser.find_element(By.ID, "map").get_attribute("data-points") == "1"
    assert errors(browser) == []


def test_text_search_and_timeline_brush_set_the_url(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/")
    views_ready(browser, "")
    browser.find_element(By.NAME, "q").send_keys("teachers")
    wait(browser, lambda d: query_of(d.current_url).get("q") == ["teachers"])
    wait(browser, lambda d: len(cards(d)) == 1)
    assert browser.find_element(By.CSS_SELECTOR, "#event-list mark.hl-q").text.lower() == "teachers"
    browser.get(server + "/")
    views_ready(browser, "")
    canvas = browser.find_element(By.ID, "timeline")
    width = canvas.size["width"]
    # drag across the left half of the plot: a date range from the first day
    ActionChains(browser).move_to_element_with_offset(canvas, -width // 2 + 40, 0).click_and_hold() \
        .move_by_offset(width // 3, 0).release().perform()
    wait(browser, lambda d: "from" in query_of(d.current_url) and "to" in query_of(d.current_url))
    q = query_of(browser.current_url)
    assert q["from"] == ["2025-03-04"] and q["to"][0] < "2025-03-09"
    assert browser.find_element(By.NAME, "from").get_attribute("value") == "2025-03-04"
    wait(browser, lambda d: 0 < len(cards(d)) < 4)
    assert errors(browser) == []


def test_network_node_click_filters_by_actor(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/")
    views_ready(browser, "")
    network = browser.find_element(By.ID, "network")
    pos = browser.execute_script(
        "const cy = document.getElementById('network')._cyreg.cy;"
        "const n = cy.nodes().filter(n => n.data('name') === 'Teachers Union')[0]; return n.renderedPosition();")
    rect = network.rect
    ActionChains(browser).move_to_element_with_offset(network, int(pos["x"] - rect["width"] / 2),
                                                      int(pos["y"] - rect["height"] / 2)).click().perform()
    wait(browser, lambda d: query_of(d.current_url).get("actor") == ["Teachers Union"])
    assert browser.find_element(By.NAME, "actor").get_attribute("value") == "Teachers Union"
    wait(browser, lambda d: len(cards(d)) == 2)
    assert errors(browser) == []


def test_card_shows_evidence_and_opens_every_mention(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/?type=ASSAULT")
    (card,) = cards(browser)
    assert "Israeli" in card.find_element(By.CSS_SELECTOR, ".evidence").text
    assert "Khan Younis" in card.find_element(By.CSS_SELECTOR, ".where").text
    assert "asserted" in card.text and "aerial" in card.text
    ActionChains(browser).move_to_element(card.find_element(By.CSS_SELECTOR, ".evidence")).click().perform()  # the whole card is the link
    wait(browser, lambda d: "/events/" in d.current_url)
    mentions = browser.find_elements(By.CSS_SELECTOR, "li.mention")
    assert len(mentions) == 2
    sites = [m.find_element(By.CSS_SELECTOR, ".site").text for m in mentions]
    assert sites == ["alpha.example", "beta.example"]
    marks = [m.find_element(By.CSS_SELECTOR, ".context mark.hl-evidence").text for m in mentions]
    assert marks[0].startswith("Israeli jets struck") and marks[1].startswith("An Israeli air strike")
    table = browser.find_element(By.CSS_SELECTOR, ".counts-table").text
    assert "alpha.example" in table and "16" in table and "13–16" in table
    mentions[0].find_element(By.LINK_TEXT, "Strike on Khan Younis").click()
    wait(browser, lambda d: d.current_url.endswith("/documents/a1"))
    assert errors(browser) == []


def test_document_view_highlights_spans(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/documents/a1")
    body = browser.find_element(By.ID, "doc-body")
    assert body.text.startswith("The war entered its second year.")
    (event,) = body.find_elements(By.CSS_SELECTOR, "mark.hl-ev")
    assert event.text.startswith("Israeli jets struck") and event.get_attribute("id") == "ev-v1"
    assert [m.text for m in body.find_elements(By.CSS_SELECTOR, "mark.hl-place")] == ["Khan Younis"]
    assert [m.text for m in body.find_elements(By.CSS_SELECTOR, "mark.hl-time")] == ["Tuesday"]
    assert {m.text for m in body.find_elements(By.CSS_SELECTOR, "mark.hl-ent")} == {"Hamas", "Israel"}
    assert browser.find_element(By.CSS_SELECTOR, ".doc-events a[href^='/events/']")
    assert errors(browser) == []


def test_attacker_text_renders_as_text_and_never_runs(server: str, browser: webdriver.Chrome) -> None:
    browser.get(server + "/?q=rallied")
    views_ready(browser)
    (card,) = cards(browser)
    assert XSS_IMG in card.text and XSS_SCRIPT in card.text  # visible, as text
    assert card.find_elements(By.TAG_NAME, "img") == [] and card.find_elements(By.TAG_NAME, "script") == []
    # the map popup is built from DOM nodes too
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#map path.sr-point"))
    browser.execute_script(
        "document.querySelector('#map path.sr-point').dispatchEvent(new MouseEvent('click', {bubbles: true}));")
    popup = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-popup .sr-popup"))[0]
    wait(browser, lambda d: XSS_IMG in popup.text, message="the popup did not show")  # it fades in
    assert XSS_SCRIPT in popup.text
    assert popup.find_elements(By.TAG_NAME, "img") == []
    assert popup.find_element(By.LINK_TEXT, "open the event").get_attribute("href").endswith("/events/" + card.get_attribute("data-event-id"))
    event_id = card.get_attribute("data-event-id")
    for path in ("/?q=rallied", f"/events/{event_id}", "/documents/x1", "/partials/events?q=rallied"):
        browser.get(server + path)
        text = browser.find_element(By.TAG_NAME, "body").text
        assert XSS_SCRIPT in text and XSS_IMG in text, path
        assert browser.execute_script("return typeof window.__pwned") == "undefined", path
        assert browser.find_elements(By.CSS_SELECTOR, "img[src='x'], body script:not([src])") == [], path
    # the document's javascript: URL is not a link
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    browser.get(server + "/documents/x1")
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    assert XSS_SCRIPT in browser.title
    logged = json.dumps(errors(browser))
    assert "pwned" not in logged and errors(browser) == []
