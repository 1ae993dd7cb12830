"""The dashboard in a real headless Chromium, against ``tidings serve`` on the example store.

Uses Debian's ``/usr/bin/chromium`` driven by Playwright for Python (no
browser download); the whole module is skipped when either is missing.  The
server runs in a thread on a free port of 127.0.0.1.  Screenshots go to
``artifacts/`` (gitignored); set ``TIDINGS_UPDATE_SCREENSHOT=1`` to also
refresh ``docs/dashboard.png``, the README's picture.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from tidings.web import create_app  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "moscow-times-2016-12-21-aftermath.md"
ARTIFACTS = REPO / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "body[data-state=ready]"


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    from tidings.api import code_inputs

    db = tmp_path_factory.mktemp("web-e2e") / "seed.duckdb"
    assert code_inputs([str(SEED)], db=db, pipeline=pipeline).stored == 1
    return db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(seed_db: Path):
    app = create_app(seed_db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.db.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    outside: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    yield tab
    context.close()
    assert errors == [], errors
    assert outside == [], f"requests left the server: {outside}"


def shot(page, name: str, *, full: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full)
    return path


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def open_dashboard(page, base_url: str, search: str = "") -> None:
    page.goto(f"{base_url}/{search}")
    page.wait_for_selector(READY)


def wait_ready(page) -> None:
    # Not wait_for_function: the page's Content-Security-Policy forbids the eval it uses.
    # Navigation renders synchronously after pushState, so the state is "loading" by now.
    page.wait_for_selector(READY, state="attached")


def test_talks_in_timeline_and_network(page, base_url: str) -> None:
    open_dashboard(page, base_url)
    assert page.locator("#timeline rect.bar").count() >= 1
    page.fill('input[name="since"]', "2016-12-15")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**since=2016-12-15**")
    page.select_option("#interval", "day")
    page.wait_for_url("**interval=day**")
    wait_ready(page)
    bars = page.locator('#timeline rect[data-period="2016-12-20"]')
    assert bars.count() >= 1
    counts = {
        bar.get_attribute("data-quad"): int(bar.get_attribute("data-count")) for bar in bars.all()
    }
    assert counts.get("1", 0) >= 4  # the talks: verbal cooperation
    for actor in ("RUS", "TUR", "IRN"):
        assert page.locator(f'#network g[data-actor="{actor}"]').count() == 1
    edges = {
        frozenset((e.get_attribute("data-source"), e.get_attribute("data-target")))
        for e in page.locator("#network line.edge").all()
    }
    assert {frozenset(p) for p in (("RUS", "TUR"), ("IRN", "RUS"), ("IRN", "TUR"))} <= edges
    assert page.locator('#map circle[data-place="Moscow"]').count() == 1
    # The default view (asserted + reported, confidence at or above the default threshold).
    assert page.locator("#events tbody tr").count() >= 8
    path = shot(page, "dashboard.png")
    if os.environ.get("TIDINGS_UPDATE_SCREENSHOT"):
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(path, REPO / "docs" / "dashboard.png")
    shot(page, "dashboard-full.png", full=True)


def test_filter_by_actor_then_back(page, base_url: str) -> None:
    open_dashboard(page, base_url)
    all_rows = page.locator("#events tbody tr").count()
    page.fill('input[name="actor"]', "tur")
    page.press('input[name="actor"]', "Enter")
    page.wait_for_url("**actor=TUR**")
    wait_ready(page)
    rows = page.locator("#events tbody tr")
    assert 0 < rows.count() < all_rows
    for text in rows.all_inner_texts():
        assert "TUR" in text
    assert page.locator('#network g.node.active[data-actor="TUR"]').count() == 1
    assert "actor=TUR" in page.get_attribute("#export-csv", "href")
    shot(page, "dashboard-actor-TUR.png")
    page.go_back()
    wait_ready(page)
    assert "actor" not in query(page)
    assert page.input_value('input[name="actor"]') == ""
    assert page.locator("#events tbody tr").count() == all_rows
    page.go_forward()
    wait_ready(page)
    assert query(page)["actor"] == ["TUR"]


def test_click_network_node_filters(page, base_url: str) -> None:
    open_dashboard(page, base_url)
    page.click('#network g[data-actor="IRN"] circle')
    page.wait_for_url("**actor=IRN**")
    wait_ready(page)
    assert page.input_value('input[name="actor"]') == "IRN"
    assert all("IRN" in t for t in page.locator("#events tbody tr").all_inner_texts())


def test_open_event_shows_highlighted_sentence(page, base_url: str) -> None:
    open_dashboard(page, base_url, "?actor=TUR")
    # Russia-Turkey: reported in the body ("met for talks") and in the photo caption.
    rows = page.locator('#events tbody tr[data-code="040"][data-date="2016-12-20"]')
    rows.filter(has_text="RUSGOVMIL").filter(has_text="TURGOVMIL").first.click()
    page.wait_for_url("**event=**")
    mark = page.locator("#event-dialog mark.event-sentence")
    mark.wait_for()
    assert "met for talks" in mark.inner_text()
    assert page.locator("#event-dialog mark.event-sentence .trigger").inner_text() == "met"
    dialog = page.locator("#event-dialog")
    assert "symmetric" in dialog.inner_text() and "on Tuesday" in dialog.inner_text()
    assert "Other mentions" in dialog.inner_text()
    assert page.locator("#event-dialog mark.mention").count() >= 1  # the caption
    shot(page, "dashboard-event.png")
    event_id = query(page)["event"][0]
    page.keyboard.press("Escape")
    page.wait_for_selector("#event-dialog:not([open])", state="attached")
    # the URL is updated by the dialog's close handler, which may run just after
    page.wait_for_url(lambda url: "event=" not in url)
    assert "event" not in query(page)
    # A deep link opens the same event directly.
    open_dashboard(page, base_url, f"?actor=TUR&event={event_id}")
    page.locator("#event-dialog mark.event-sentence").wait_for()
    assert "met for talks" in page.inner_text("#event-dialog mark.event-sentence")


def test_brushing_the_timeline_sets_dates(page, base_url: str) -> None:
    open_dashboard(page, base_url, "?interval=day&since=2016-12-15&until=2016-12-31")
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.15, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=8)
    page.mouse.up()
    page.wait_for_url(lambda url: "since=2016-12-15" not in url)
    wait_ready(page)
    params = query(page)
    assert "2016-12-15" < params["since"][0] <= params["until"][0] < "2016-12-31"
    assert page.input_value('input[name="since"]') == params["since"][0]


def test_empty_and_narrow(page, base_url: str) -> None:
    open_dashboard(page, base_url, "?actor=ZZZ")
    assert "No events match" in page.inner_text("#table-panel")
    assert page.locator("#events tbody tr").count() == 0
    page.set_viewport_size({"width": 420, "height": 900})
    open_dashboard(page, base_url)
    timeline = page.locator("#timeline-panel").bounding_box()
    network = page.locator("#network-panel").bounding_box()
    assert abs(timeline["x"] - network["x"]) < 2 and network["y"] > timeline["y"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    shot(page, "dashboard-narrow.png", full=True)
