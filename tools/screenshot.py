"""Take the README's screenshot of the situation room: serve a store on 127.0.0.1, open the page
in headless Chromium at 1400x900 and save a PNG.

    .venv/bin/python tools/screenshot.py                    # ingest examples/ into a temp store
    .venv/bin/python tools/screenshot.py --db demo.db       # an existing store
    .venv/bin/python tools/screenshot.py --query 'type=ASSAULT' -o /tmp/assault.png

Without ``--db`` the bundled examples are ingested with the real pipeline (``sitroom ingest``,
which needs the spaCy model). Needs Debian's chromium and chromedriver (or ``--chromium`` and
``--chromedriver``) and selenium.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ingest_examples(db: str) -> None:
    """Ingest examples/ into ``db`` with the real pipeline (the ``sitroom`` command of this venv)."""
    command = [sys.executable, "-m", "sitroom", "ingest", "--db", db, str(ROOT / "examples")]
    print("$", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, cwd=ROOT)


def serve(db: str) -> tuple[object, threading.Thread, str]:
    import uvicorn

    from sitroom.api.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app=create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the web server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def shoot(url: str, output: Path, width: int, height: int, chromium: str, chromedriver: str) -> list[dict]:
    """Open ``url``, wait for the map, timeline and network, save a PNG; return the console errors."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    profile = tempfile.mkdtemp(prefix="sitroom-shot-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.set_window_size(width, height)
        # the window size includes no browser chrome in headless mode, but make the viewport exact
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(width + (width - inner[0]), height + (height - inner[1]))
        driver.get(url)
        WebDriverWait(driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(
            "const map = document.getElementById('map'); if (!map) return true;"  # not the situation room
            "return ['map', 'timeline', 'network'].every(id => document.getElementById(id).dataset.query !== undefined)"
            " && map.dataset.countryShapes !== undefined"))
        time.sleep(0.8)  # let Leaflet finish its zoom and the clusters settle
        output.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(output))
        return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing store (default: ingest examples/ into a temporary one)")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--path", default="/", help="the page to open (default /, the situation room)")
    parser.add_argument("--query", default="", help="the page's query string (filters), e.g. 'type=ASSAULT'")
    parser.add_argument("--size", default="1400x900", help="viewport WIDTHxHEIGHT (default 1400x900)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.mkdtemp(prefix="sitroom-shot-db-")
        db = str(Path(tmp) / "examples.db")
        ingest_examples(db)
    server, thread, base = serve(db)
    try:
        url = base + "/" + args.path.lstrip("/") + ("?" + args.query.lstrip("?") if args.query else "")
        problems = shoot(url, Path(args.output), width, height, args.chromium, args.chromedriver)
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(10)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    for problem in problems:
        print("console error:", problem.get("message"), file=sys.stderr)
    print(f"saved {args.output} ({width}x{height})", file=sys.stderr)
    if problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
