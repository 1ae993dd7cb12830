"""The dashboard's aftermath view in headless Chromium: pick a dyad and a trigger, see the
before/after chart and the change table; a bad request shows the API's one-line error."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from tidings.web import create_app  # noqa: E402

from .test_aftermath import _write_icews  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from tidings.exchange import import_events

    rng = np.random.default_rng(3)
    rows = []
    for week in range(60):
        monday = dt.date(2014, 1, 6) + dt.timedelta(weeks=week)
        for _ in range(rng.poisson(8 if 40 <= week < 48 else 1)):
            rows.append([monday.isoformat(), "Russia", "Fight", "190", "Ukraine", "train"])
    path = tmp_path_factory.mktemp("aftermath-e2e") / "events.csv"
    _write_icews(path, rows)
    db = path.with_suffix(".duckdb")
    import_events(db, "icews14", path)
    app = create_app(db)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
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


def test_aftermath_view_draws_chart_and_table_then_reports_errors(base_url):
    trigger = (dt.date(2014, 1, 6) + dt.timedelta(weeks=40)).isoformat()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base_url + "/")
        form = page.locator("#aftermath-form")
        form.locator("input[name=date]").fill(trigger)
        form.locator("button[type=submit]").click()
        page.locator("#aftermath-chart svg polyline.aftermath-line").wait_for()
        rows = page.locator("#aftermath-table tr")
        assert rows.count() >= 3  # header, all events, QuadClasses...
        assert "19 FIGHT" in page.locator("#aftermath-table").inner_text()
        assert "placebo dates" in page.locator("#aftermath-status").inner_text()
        form.locator("input[name=source]").fill("ZZZ")
        form.locator("button[type=submit]").click()
        deadline = time.monotonic() + 15
        while "unknown actor" not in page.locator("#aftermath-status").inner_text():
            assert time.monotonic() < deadline, page.locator("#aftermath-status").inner_text()
            time.sleep(0.1)
        browser.close()
    assert errors == [], errors


def test_clicking_an_event_opens_the_aftermath_view_with_it_as_trigger(base_url):
    """The events table's aftermath button (and the event dialog's) fills the aftermath form
    with the event id and its dyad, and shows the study around it."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url) if "/api/aftermath" in r.url else None)
        page.goto(base_url + "/")
        row = page.locator("#events tbody tr").first
        row.wait_for()
        event_id = row.get_attribute("data-event-id")
        row.locator("button.to-aftermath").click()
        page.locator("#aftermath-chart svg polyline.aftermath-line").wait_for()
        form = page.locator("#aftermath-form")
        assert form.locator("input[name=event]").input_value() == event_id
        assert form.locator("input[name=source]").input_value() == "RUS"
        assert form.locator("input[name=target]").input_value() == "UKR"
        assert "19 FIGHT" in page.locator("#aftermath-table").inner_text()
        asked = [parse_qs(urlsplit(url).query) for url in requests]
        assert any(q.get("event") == [event_id] and q.get("dyad") == ["RUS,UKR"] for q in asked)
        assert not page.locator("dialog[open]").count()  # the row's button is not the row click
        # From the event dialog: open the event, then its aftermath button.
        form.locator("input[name=event]").fill("")
        row.click()
        page.locator("dialog[open] button.to-aftermath").click()
        deadline = time.monotonic() + 15
        while form.locator("input[name=event]").input_value() != event_id:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert not page.locator("dialog[open]").count()
        browser.close()
    assert errors == [], errors
