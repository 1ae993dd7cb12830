"""The dashboard in a real headless Chromium, against ``tidings serve``.

Two stores: the example article (the talks in Moscow, followed through every
view), and a real one built once a session from 300 AllSides articles coded
here plus the whole ICEWS 2014 import (skipped when ``../shared`` is absent),
on which the timeline's default range, its axis labels, the network's labels,
an imported event's dialog, the downloads, the table header and the
placeholders are checked.  Uses Debian's ``/usr/bin/chromium`` driven by
Playwright for Python (no browser download); the whole module is skipped when
either is missing.  Servers run in a thread on a free port of 127.0.0.1.
Screenshots go to ``artifacts/`` (gitignored); set
``TIDINGS_UPDATE_SCREENSHOT=1`` to also refresh ``docs/dashboard.png`` (the
example store) and ``docs/dashboard-1280.png``/``docs/dashboard-390.png``
(the real store, the README's pictures).
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
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

import duckdb  # noqa: E402

from tidings.model import DEFAULT_MIN_CONFIDENCE, DEFAULT_MODALITIES  # noqa: E402
from tidings.web import create_app  # noqa: E402

from .conftest import SHARED  # noqa: E402

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


def _serve(db: Path):
    app = create_app(db)
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
def base_url(seed_db: Path):
    yield from _serve(seed_db)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _page(browser, base_url: str):
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


@pytest.fixture
def page(browser, base_url: str):
    yield from _page(browser, base_url)


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


# ------------------------------------------------- a real store: coded news + ICEWS 2014

ALLSIDES = SHARED / "data" / "corpora" / "allsides-international.jsonl.gz"
ICEWS14 = SHARED / "data" / "events" / "icews14_events_named.csv"
MIXED_ARTICLES = 300
needs_shared = pytest.mark.skipif(
    not (ALLSIDES.exists() and ICEWS14.exists()), reason="../shared data is absent"
)


@pytest.fixture(scope="session")
def mixed_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    """300 coded AllSides articles plus the whole ICEWS 2014 import (built once a session)."""
    from tidings.api import code_inputs
    from tidings.exchange import import_events

    folder = tmp_path_factory.mktemp("web-mixed")
    corpus = folder / "allsides-300.jsonl"
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as lines:
        corpus.write_text("".join(itertools.islice(lines, MIXED_ARTICLES)), encoding="utf-8")
    db = folder / "mixed.duckdb"
    assert code_inputs([str(corpus)], db=db, pipeline=pipeline).stored == MIXED_ARTICLES
    assert import_events(db, "icews14", ICEWS14).imported > 90_000
    return db


@pytest.fixture(scope="module")
def mixed_url(mixed_db: Path):
    yield from _serve(mixed_db)


@pytest.fixture
def mixed_page(browser, mixed_url: str):
    yield from _page(browser, mixed_url)


def _dates(db: Path) -> tuple[dt.date, dt.date, dt.date]:
    """The earliest, 1st- and 99th-percentile event dates the dashboard shows by default."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT min(date_start), quantile_disc(date_start, 0.01), "
            "quantile_disc(date_start, 0.99) FROM events WHERE list_contains(?, modality) "
            "AND coalesce(confidence, 1) >= ?",
            [list(DEFAULT_MODALITIES), DEFAULT_MIN_CONFIDENCE],
        ).fetchone()


def _domain(page) -> tuple[dt.date, dt.date]:
    svg = page.locator("#timeline svg")
    return (
        dt.date.fromisoformat(svg.get_attribute("data-domain-start")),
        dt.date.fromisoformat(svg.get_attribute("data-domain-end")),
    )


def _overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["x"] + slack < b["x"] + b["width"]
        and b["x"] + slack < a["x"] + a["width"]
        and a["y"] + slack < b["y"] + b["height"]
        and b["y"] + slack < a["y"] + a["height"]
    )


@needs_shared
def test_mixed_store_timeline_is_where_the_data_is(mixed_page, mixed_url, mixed_db) -> None:
    page = mixed_page
    open_dashboard(page, mixed_url)
    earliest, low, high = _dates(mixed_db)
    start, end = _domain(page)
    # The default range spans at most the 1st-99th percentile (the end is exclusive: the
    # day after the 99th percentile's day) ...
    assert low <= start and end <= high + dt.timedelta(days=1), (start, end, low, high)
    assert earliest < low  # ... although older dates exist (the store has outliers)
    assert page.locator("#timeline rect.bar").count() > 10
    # Every axis is labelled, and has ticks.
    for label in ("x-label", "y-label", "y2-label"):
        assert page.locator(f"#timeline text.{label}").text_content().strip()
    assert "Events per" in page.locator("#timeline text.y-label").text_content()
    for axis in ("x-axis", "y-axis", "y2-axis"):
        assert page.locator(f"#timeline g.{axis} .tick").count() >= 2
    # The user can still widen it to every date.
    page.get_by_role("button", name="Show all dates").click()
    page.wait_for_url("**since=**")
    wait_ready(page)
    assert _domain(page)[0] <= earliest


@needs_shared
@pytest.mark.parametrize("level", ["country", "code"])
def test_mixed_store_network_labels_never_overlap(mixed_page, mixed_url, level) -> None:
    from tidings.dictionaries._petrarch.actors import AGENT_CODES, INTERNATIONAL_PREFIXES

    page = mixed_page
    open_dashboard(page, mixed_url, f"?level={level}")
    chart = page.locator("#network svg").bounding_box()
    labels = page.locator("#network text.node-label")
    boxes = [(label.text_content(), label.bounding_box()) for label in labels.all()]
    assert len(boxes) >= 15, boxes
    right, bottom = chart["x"] + chart["width"] + 1, chart["y"] + chart["height"] + 1
    for name, box in boxes:  # inside the chart: not clipped
        assert chart["x"] - 1 <= box["x"] and box["x"] + box["width"] <= right, name
        assert chart["y"] - 1 <= box["y"] and box["y"] + box["height"] <= bottom, name
    for i, (name, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            assert not _overlap(box, other_box), (name, box, other, other_box)
    if level == "country":
        nodes = [n.get_attribute("data-actor") for n in page.locator("#network g.node").all()]
        for node in nodes:  # countries and organisations, never a bare agent (GOV, MED)
            assert node not in AGENT_CODES
            assert len(node) == 3 or node[:3] in INTERNATIONAL_PREFIXES, node


@needs_shared
def test_mixed_store_imported_event_names_its_origin(mixed_page, mixed_url) -> None:
    page = mixed_page
    open_dashboard(page, mixed_url, "?since=2014-03-01&until=2014-03-01")
    row = page.locator('#events tbody tr[data-provenance^="icews:"]').first
    assert "icews14_events_named.csv" in row.inner_text()  # the provenance column
    row.click()
    page.wait_for_url("**event=**")
    dialog = page.locator("#event-dialog")
    dialog.locator(".imported-record").wait_for()
    text = dialog.inner_text()
    assert "icews14_events_named.csv" in text and "Imported" in text and "ICEWS" in text
    assert "event_text" in text  # the original fields
    for coded_only in ("Trigger", "rule", "Stated as fact by the text"):
        assert coded_only not in text
    assert dialog.locator("mark.event-sentence").count() == 0  # no empty sentence


@needs_shared
def test_mixed_store_downloads_each_chart(mixed_page, mixed_url) -> None:
    page = mixed_page
    open_dashboard(page, mixed_url)
    expected = {"png": b"\x89PNG", "svg": b"<svg", "csv": b"period,interval,count"}
    for panel, stem in (("timeline", "timeline"), ("network", "network"), ("map", "places")):
        for kind, start in expected.items():
            with page.expect_download() as info:
                page.click(f"#{panel}-panel button[data-download={kind}]")
            download = info.value
            assert download.suggested_filename == f"tidings-{stem}.{kind}"
            body = Path(download.path()).read_bytes()
            if kind == "csv" and panel != "timeline":
                assert body.count(b"\n") > 5
            else:
                assert body.startswith(start), body[:40]
            if kind == "svg":
                assert b"fill=" in body and b"font-size=" in body  # styles kept


@needs_shared
def test_mixed_store_table_header_and_placeholders(mixed_page, mixed_url) -> None:
    page = mixed_page
    open_dashboard(page, mixed_url)
    # Every placeholder fits its field.
    fields = page.locator("#filters input[placeholder]")
    for i in range(fields.count()):
        room = fields.nth(i).evaluate(
            "f => { const s = getComputedStyle(f); const c = document.createElement('canvas')"
            ".getContext('2d'); c.font = `${s.fontSize} ${s.fontFamily}`; return f.clientWidth"
            " - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)"
            " - c.measureText(f.placeholder).width; }"
        )
        assert room >= 0, (fields.nth(i).get_attribute("name"), room)
    # The table is one click away, and its header stays in view while its rows scroll.
    page.click("#to-events")
    header = page.locator("#events thead th").first
    header.wait_for()
    page.wait_for_timeout(600)  # the smooth scroll
    assert header.bounding_box()["y"] < 800
    wrap = page.locator("#table-panel .table-wrap")
    before = header.bounding_box()["y"]
    wrap.evaluate("w => { w.scrollTop = 400; }")
    assert page.locator("#events tbody tr").first.bounding_box()["y"] < before
    assert abs(header.bounding_box()["y"] - before) < 1


@needs_shared
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_mixed_store_screenshots(mixed_page, mixed_url, width: int, height: int) -> None:
    page = mixed_page
    page.set_viewport_size({"width": width, "height": height})
    open_dashboard(page, mixed_url)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    path = shot(page, f"dashboard-{width}.png")
    if os.environ.get("TIDINGS_UPDATE_SCREENSHOT"):
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(path, REPO / "docs" / f"dashboard-{width}.png")


@needs_shared
def test_mixed_store_provenance_filter_is_offered_and_sent(mixed_page, mixed_url) -> None:
    page = mixed_page
    open_dashboard(page, mixed_url)
    select = page.locator('#filters select[name="provenance"]')
    values = [o.get_attribute("value") for o in select.locator("option").all()]
    assert {"", "tidings", "icews:icews14_events_named.csv"} <= set(values)
    select.select_option("icews:icews14_events_named.csv")
    page.wait_for_url("**provenance=icews**")
    wait_ready(page)
    assert "provenance=icews" in page.get_attribute("#export-csv", "href")
    # The provenance column tells the two kinds apart.
    cells = page.locator("#events tbody td.provenance").all_inner_texts()
    assert cells and all(c in {"tidings", "icews:icews14_events_named.csv"} for c in cells)
