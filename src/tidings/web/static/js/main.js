// Dashboard controller: the URL is the state; every change pushes a history entry and each
// view reloads only when the parameters it depends on changed. `body[data-state]` is
// "ready" once every view has drawn (the end-to-end tests and the benchmark wait for it).

import { getJSON, isAbort, latest } from "./api.js";
import { renderEvent } from "./event.js";
import { fillOptions, readForm, wireAutocomplete, writeForm } from "./filters.js";
import { fillGoldsteinLegends, fillQuadLegend, setStatus } from "./dom.js";
import { renderMap } from "./map.js";
import { renderNetwork } from "./network.js";
import { apiParams, DEFAULT_MODALITIES, FILTER_KEYS, fromURL, toURL } from "./state.js";
import { eventRows } from "./table.js";
import { renderTimeline } from "./timeline.js";

const $ = (selector) => document.querySelector(selector);
const form = $("#filters");
const dialog = $("#event-dialog");
let state = fromURL(window.location.search);
let pending = 0;

/** A view: reloads when its key changes, redraws from its last data on resize. */
function view(panelId, keyOf, load, draw) {
  const panel = document.getElementById(panelId);
  const fetchLatest = latest();
  const v = { key: null, data: null };
  v.refresh = async () => {
    const key = keyOf();
    if (key === v.key) return;
    v.key = key;
    pending += 1;
    document.body.dataset.state = "loading";
    setStatus(panel, "loading", "");
    try {
      v.data = await load(fetchLatest);
      if (key !== v.key) return;
      const empty = await draw(v.data);
      setStatus(panel, empty ? "empty" : "ready", empty || "");
    } catch (error) {
      if (isAbort(error)) return;
      v.key = null;
      setStatus(panel, "error", `Could not load: ${error.message}`);
    } finally {
      pending -= 1;
      if (pending === 0) {
        document.body.dataset.state = "ready";
        // Milliseconds from navigation start to the first complete render (for the benchmark).
        document.body.dataset.firstRenderMs ||= String(Math.round(performance.now()));
      }
    }
  };
  v.redraw = () => { if (v.data) draw(v.data); };
  return v;
}

const filterKey = () => apiParams(state).toString();
const withFilters = (extra) => {
  const params = apiParams(state);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
};

const timeline = view("timeline-panel", () => `${filterKey()}|${state.interval}`,
  (get) => get("/api/timeline", withFilters({ interval: state.interval })),
  (data) => {
    renderTimeline($("#timeline"), data, {
      since: state.since,
      until: state.until,
      onBrush: (since, until) => navigate({ since, until }),
    });
    return data.buckets.length ? "" : "No dated events match these filters.";
  });

const network = view("network-panel", () => `${filterKey()}|${state.level}`,
  (get) => get("/api/dyads", withFilters({ level: state.level, limit: "60" })),
  (data) => {
    renderNetwork($("#network"), data, {
      active: state.actor,
      onActor: (actor) => navigate({ actor: actor === state.actor ? "" : actor }),
    });
    const note = data.truncated ? " (the 60 heaviest dyads are shown)" : "";
    return data.edges.length ? note : "No dyads (events with a source and a target) match.";
  });

const map = view("map-panel", filterKey,
  (get) => get("/api/places", withFilters({ limit: "500" })),
  async (data) => {
    await renderMap($("#map"), data, { onPlace: (place) => navigate({ place }) });
    return data.features.length ? "" : "No located events match these filters.";
  });

let nextCursor = null;
const table = view("table-panel", () => `${filterKey()}|${state.sort}`,
  (get) => get("/api/events", withFilters({ sort: state.sort, limit: "50" })),
  (data) => {
    $("#events tbody").replaceChildren(...eventRows(data.events, openEvent));
    nextCursor = data.next_cursor;
    $("#more").hidden = !nextCursor;
    const total = data.total ?? data.events.length;
    $("#event-count").textContent = `${total.toLocaleString("en")} events`;
    $("#summary").textContent = `${total.toLocaleString("en")} events match`;
    return data.events.length ? "" : "No events match these filters.";
  });

async function loadMore() {
  if (!nextCursor) return;
  const button = $("#more");
  button.disabled = true;
  try {
    const params = withFilters({ sort: state.sort, limit: "50", cursor: nextCursor });
    const data = await getJSON("/api/events", params);
    $("#events tbody").append(...eventRows(data.events, openEvent));
    nextCursor = data.next_cursor;
    button.hidden = !nextCursor;
  } catch (error) {
    setStatus($("#table-panel"), "error", `Could not load more: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

const eventLoader = latest();
let shownEvent = "";
async function showEvent() {
  if (!state.event) {
    shownEvent = "";
    if (dialog.open) dialog.close();
    return;
  }
  if (state.event === shownEvent && dialog.open) return;
  shownEvent = state.event;
  const body = $("#event-body");
  body.replaceChildren("Loading…");
  if (!dialog.open) dialog.showModal();
  try {
    const detail = await eventLoader(`/api/events/${encodeURIComponent(state.event)}`);
    renderEvent(body, detail, openEvent);
    const mark = body.querySelector("mark.event-sentence");
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (error) {
    if (!isAbort(error)) body.replaceChildren(`Could not load this event: ${error.message}`);
  }
}

function openEvent(eventId) {
  navigate({ event: eventId }, { opened: eventId });
}

/** Apply `changes` to the state, push a history entry, refresh what depends on them. */
function navigate(changes, marker = null) {
  const next = { ...state, ...changes };
  const filtersChanged = FILTER_KEYS.some((k) => k in changes) || "modality" in changes;
  if (filtersChanged && !("event" in changes)) next.event = "";
  const url = toURL(next);
  if (url === window.location.search) return;
  window.history.pushState(marker, "", url || window.location.pathname);
  state = next;
  render();
}

function render() {
  writeForm(form, state, (key) => navigate({ [key]: "" }));
  $("#interval").value = state.interval;
  $("#level").value = state.level;
  $("#sort").value = state.sort;
  const params = apiParams(state);
  for (const format of ["jsonl", "csv"]) {
    params.set("format", format);
    $(`#export-${format}`).href = `/api/export?${params}`;
  }
  for (const v of [timeline, network, map, table]) v.refresh();
  showEvent();
}

function init() {
  fillGoldsteinLegends();
  fillQuadLegend($("#quad-legend"));
  wireAutocomplete(form);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = readForm(form);
    if (values) navigate(values);
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("select, input[type=checkbox]")) form.requestSubmit();
  });
  $("#reset").addEventListener("click", () => {
    const cleared = Object.fromEntries(FILTER_KEYS.map((k) => [k, ""]));
    navigate({ ...cleared, modality: [...DEFAULT_MODALITIES] });
  });
  for (const name of ["interval", "level", "sort"]) {
    $(`#${name}`).addEventListener("change", (event) => navigate({ [name]: event.target.value }));
  }
  $("#more").addEventListener("click", loadMore);
  dialog.addEventListener("close", () => {
    if (!state.event) return;
    if (window.history.state === state.event) window.history.back();
    else navigate({ event: "" });
  });
  window.addEventListener("popstate", () => {
    state = fromURL(window.location.search);
    render();
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => [timeline, network, map].forEach((v) => v.redraw()), 200);
  });
  getJSON("/api/cameo")
    .then((cameo) => fillOptions(form, cameo))
    .catch(() => {})
    .finally(render);
}

init();
