"""A real browser over the built site: Debian's Chromium driven by Playwright, fully offline.

Every request to a host other than the local test server is blocked and counted;
the site must make none.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import Build
from .docs_blocks import LANGS, page_stems

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


# --------------------------------------------------------------------------- every page, as a reader sees it

WIDTHS = (1280, 390)
PAGES = [(stem, lang) for stem in page_stems() for lang in LANGS]
MIN_TEXT_PX = 9.0
# Raw TeX that a reader must never see: \( \[ \frac, $…$, or a subscript written as p_t.
RAW_TEX = re.compile(r"\\\(|\\\[|\\frac|\$[^$\s][^$]*\$|\b[A-Za-z]_t\b")

# What a reader can read: the page body and its table of contents, without code and without
# KaTeX's hidden MathML copy of each formula.
_READABLE_TEXT = """() => {
  const parts = [];
  for (const root of document.querySelectorAll("article, .md-sidebar--secondary")) {
    const copy = root.cloneNode(true);
    copy.querySelectorAll("pre, code, .katex-mathml, script, style").forEach((el) => el.remove());
    parts.push(copy.textContent);
  }
  return parts.join("\\n");
}"""

# For each figure: the CSS size of its smallest text, from the SVG's scale on the page.
_FIGURE_TEXT_PX = """() => [...document.querySelectorAll(".dlref-figure svg[data-min-font-pt]")].map((svg) => {
  const box = svg.viewBox.baseVal;  // in points, as matplotlib writes it
  return {label: svg.getAttribute("aria-label"),
          px: svg.getBoundingClientRect().width / box.width * parseFloat(svg.dataset.minFontPt)};
})"""


def url_of(stem: str, lang: str) -> str:
    path = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return ("/zh/" if lang == "zh" else "/") + path


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request: pytest.FixtureRequest, browser: object) -> Iterator[tuple[int, object]]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})  # type: ignore[attr-defined]
    yield request.param, context
    context.close()


def visit(context: object, url: str) -> tuple[object, list[str]]:
    """Open `url` in a fresh tab; return the tab and every problem it reported while loading."""
    problems: list[str] = []
    tab = context.new_page()  # type: ignore[attr-defined]
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in {"error", "warning"}
           else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    tab.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    tab.route("**/*", lambda route: route.abort() if urlsplit(route.request.url).hostname not in LOCAL_HOSTS
              else route.continue_())
    tab.goto(url, wait_until="networkidle")
    return tab, problems


@pytest.mark.parametrize(("stem", "lang"), PAGES, ids=[f"{lang}:{stem}" for stem, lang in PAGES])
def test_every_page_reads_well(sized: tuple[int, object], server: str, stem: str, lang: str) -> None:
    width, context = sized
    tab, problems = visit(context, server + url_of(stem, lang))
    try:
        assert problems == [], f"{url_of(stem, lang)} at {width}px: {problems}"
        scroll = tab.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert scroll <= width, f"{url_of(stem, lang)} scrolls sideways at {width}px ({scroll}px wide)"
        text = tab.evaluate(_READABLE_TEXT)  # type: ignore[attr-defined]
        raw = sorted({m.group(0) for m in RAW_TEX.finditer(text)})
        assert not raw, f"{url_of(stem, lang)} shows raw TeX: {raw}"
        assert tab.locator(".katex-error").count() == 0  # type: ignore[attr-defined]
        assert "{#" not in text, f"{url_of(stem, lang)} shows a heading id as text (an id Markdown could not read)"
        small = [f for f in tab.evaluate(_FIGURE_TEXT_PX) if f["px"] < MIN_TEXT_PX - 0.01]  # type: ignore[attr-defined]
        assert not small, f"{url_of(stem, lang)} at {width}px: figure text below {MIN_TEXT_PX} px: {small}"
    finally:
        tab.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("start", "target"), [("/activations/#gelu", "/zh/activations/#gelu"),
                                               ("/zh/losses/#focal-loss", "/losses/#focal-loss")])
def test_language_switch_keeps_the_readers_place(page: object, server: str, start: str, target: str) -> None:
    page.goto(server + start, wait_until="networkidle")  # type: ignore[attr-defined]
    lang = "zh" if target.startswith("/zh/") else "en"
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.eval_on_selector(f'a.md-select__link[hreflang="{lang}"]', "a => a.click()")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.url == server + target  # type: ignore[attr-defined]
    heading = page.locator(f"[id='{target.split('#')[1]}']")  # type: ignore[attr-defined]
    assert heading.count() == 1 and heading.is_visible()
    assert page.evaluate("window.scrollY") > 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "query", "first"), [("/", "cross-entropy", "/losses/"),
                                                      ("/zh/", "交叉熵", "/zh/losses/"),
                                                      ("/zh/", "softmax", "/zh/activations/"),
                                                      ("/", "receptive field", "/convolution/")])
def test_search_puts_the_chapter_first_in_the_readers_language(page: object, server: str, path: str, query: str,
                                                               first: str) -> None:
    page.goto(server + path, wait_until="networkidle")  # type: ignore[attr-defined]
    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    box.click()
    box.fill(query)
    box.press("End")
    links = page.locator(".md-search-result__item > a")  # type: ignore[attr-defined]
    links.first.wait_for(state="attached", timeout=15_000)
    hrefs = [urlsplit(links.nth(i).get_attribute("href")).path for i in range(links.count())]
    assert hrefs[0] == first, f"{query!r} from {path}: first hit {hrefs[0]}, all: {hrefs[:6]}"
    other = "/" if path == "/zh/" else "/zh/"
    assert all(h.startswith("/zh/") == (path == "/zh/") for h in hrefs), f"hits in the other language ({other})"
    previews = page.evaluate("""() => {
      const copy = document.querySelector(".md-search-result__list").cloneNode(true);
      copy.querySelectorAll(".katex-mathml").forEach((el) => el.remove());
      return copy.textContent;
    }""")  # type: ignore[attr-defined]
    assert not RAW_TEX.search(previews), f"search previews show raw TeX: {RAW_TEX.findall(previews)[:5]}"
    # A hit on a whole page opens it without an empty `?h=`.
    with page.expect_navigation():  # type: ignore[attr-defined]
        links.first.click()
    assert "?h=&" not in page.url and not page.url.endswith("?h=")  # type: ignore[attr-defined]
