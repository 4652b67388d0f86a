"""How fast the situation room renders in a real browser over a big store.

    .venv/bin/python bench/page_render.py --db /tmp/apibench/api-100k.db [--loads 10]

Starts ``sitroom serve``'s app on 127.0.0.1 over an existing store (build one with
``bench/api_latency.py``), opens the page in headless Chromium (Debian's chromium and
chromedriver) and, for each of --loads fresh loads of a few URLs, reads the navigation timing
(first byte, DOM ready) and the time until the map, the timeline and the network have all drawn
(each view sets ``data-query`` on its element when its data is in). Prints p50/p95 per URL.
Target (issue 7): first page render < 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
URLS = ("/", "/?type=ASSAULT", "/?country=SYR&min_sources=2", "/?q=sanctions&sort=sources")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an existing store")
    parser.add_argument("--loads", type=int, default=10)
    args = parser.parse_args()
    if not Path(args.db).exists() or not Path(CHROMEDRIVER).exists():
        print("store or chromedriver absent; nothing measured")
        return
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    from sitroom.api import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app=create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    profile = tempfile.mkdtemp(prefix="sitroom-bench-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
                "--window-size=1400,900", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        print(f"| page ({args.loads} loads each) | first byte p50 / p95 ms | DOM ready p50 / p95 ms | all views drawn p50 / p95 ms |")
        print("|---|---:|---:|---:|")
        for url in URLS:
            first, ready, drawn = [], [], []
            for _ in range(args.loads):
                driver.get("about:blank")
                started = time.perf_counter()
                driver.get(f"http://127.0.0.1:{port}{url}")
                WebDriverWait(driver, 30, poll_frequency=0.01).until(lambda d: all(d.execute_script(
                    "return ['map', 'timeline', 'network'].map(id => document.getElementById(id).dataset.query !== undefined)")))
                drawn.append((time.perf_counter() - started) * 1000)
                timing = driver.execute_script("const t = performance.getEntriesByType('navigation')[0];"
                                               "return [t.responseStart, t.domContentLoadedEventEnd];")
                first.append(timing[0])
                ready.append(timing[1])

            def pair(values: list[float]) -> str:
                values.sort()
                return f"{statistics.median(values):.0f} / {values[min(len(values) - 1, int(len(values) * 0.95))]:.0f}"

            print(f"| `{url}` | {pair(first)} | {pair(ready)} | {pair(drawn)} |")
    finally:
        driver.quit()
        server.should_exit = True
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
