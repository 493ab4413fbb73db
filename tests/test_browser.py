"""A real browser over the built site: Debian's Chromium driven by Playwright, fully offline.

Every request to a host other than the local test server is blocked and counted;
the site must make none.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import Build

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium phones home at start-up; this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_site: Build) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright import sync_api  # a test dependency: missing it must fail, not skip

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    context.outside = []  # requests that tried to leave the machine

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).hostname not in LOCAL_HOSTS:
            context.outside.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    pg = context.new_page()
    pg.outside = context.outside
    yield pg
    context.close()


@pytest.mark.parametrize(("path", "other", "other_lang"), [
    ("/activations/", "/zh/activations/", "zh"),
    ("/zh/activations/", "/activations/", "en"),
])
def test_activations_page_renders_offline(page: object, server: str, path: str, other: str, other_lang: str) -> None:
    page.goto(server + path, wait_until="networkidle")  # type: ignore[attr-defined]
    # KaTeX turned the arithmatex spans into typeset math.
    assert page.locator(".arithmatex .katex").count() > 5  # type: ignore[attr-defined]
    assert page.locator(".katex-error").count() == 0  # type: ignore[attr-defined]
    figure = page.locator(".dlref-figure svg").first  # type: ignore[attr-defined]
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    # The language switcher leads to the same page in the other language.
    href = page.locator(f'a[hreflang="{other_lang}"]').first.get_attribute("href")  # type: ignore[attr-defined]
    assert href, "no language-switch link found"
    page.goto(urljoin(page.url, href), wait_until="networkidle")  # type: ignore[attr-defined]
    assert page.url == server + other  # type: ignore[attr-defined]
    assert page.outside == [], f"requests left the machine: {page.outside}"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "query"), [("/", "activation"), ("/zh/", "激活")])
def test_search_finds_english_and_chinese(page: object, server: str, path: str, query: str) -> None:
    page.goto(server + path, wait_until="networkidle")  # type: ignore[attr-defined]
    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on key events; fill() alone sends none (an IME does)
    results = page.locator(".md-search-result__item")  # type: ignore[attr-defined]
    results.first.wait_for(state="attached", timeout=15_000)
    assert results.count() > 0
    assert query in results.first.inner_text().lower()
    assert page.outside == [], f"requests left the machine: {page.outside}"  # type: ignore[attr-defined]
