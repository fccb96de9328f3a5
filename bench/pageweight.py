"""Page weight for ``make bench`` (run by ``bench/run.py``): bytes transferred
over the network and requests made by Chromium for a first visit (empty
cache) and a repeat visit (same browser context, HTTP cache on) of each page.

Reads ``{"base": ..., "pages": [[name, path, sessionid or null], ...]}`` on
stdin and prints one JSON line. Bytes are Chrome's encoded data lengths
(headers and compressed bodies as sent); responses from the browser cache
count as zero bytes. Site isolation is off so that the sandboxed H5P frame's
requests are seen by the same DevTools session.
"""

import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")


def visit(page, cdp, url):
    seen = {"bytes": 0, "requests": 0, "from_cache": 0}

    def sent(event):
        seen["requests"] += 1

    def finished(event):
        seen["bytes"] += int(event.get("encodedDataLength") or 0)

    def cached(event):
        seen["from_cache"] += 1

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", cached)
    page.goto(url, wait_until="networkidle", timeout=60_000)
    # Lazily loaded players start when scrolled into view.
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    cdp.remove_listener("Network.requestWillBeSent", sent)
    cdp.remove_listener("Network.loadingFinished", finished)
    cdp.remove_listener("Network.requestServedFromCache", cached)
    return {
        "bytes": seen["bytes"],
        "kib": round(seen["bytes"] / 1024, 1),
        "requests": seen["requests"],
        "from_browser_cache": seen["from_cache"],
    }


def main():
    job = json.loads(sys.stdin.read())
    base = job["base"]
    host = base.split("//", 1)[1].split(":")[0]
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else None,
            args=[
                "--disable-site-isolation-trials",
                "--disable-features=IsolateOrigins,site-per-process",
            ],
        )
        try:
            for name, path, session in job["pages"]:
                context = browser.new_context()
                if session:
                    context.add_cookies(
                        [
                            {
                                "name": "sessionid",
                                "value": session,
                                "domain": host,
                                "path": "/",
                            }
                        ]
                    )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                first = visit(page, cdp, base + path)
                time.sleep(0.5)
                repeat = visit(page, cdp, base + path)
                out[name] = {"path": path, "first": first, "repeat": repeat}
                context.close()
        finally:
            browser.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
