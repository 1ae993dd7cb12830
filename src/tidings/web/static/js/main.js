// Dashboard controller: the URL is the state; every change pushes a history entry and each
// view reloads only when the parameters it depends on changed. `body[data-state]` is
// "ready" once every view has drawn (the end-to-end tests and the benchmark wait for it).
// The views themselves are listed in views.js, one module each.

import { getJSON, isAbort, latest } from "./api.js";
import { addDownloads } from "./download.js";
import { renderEvent } from "./event.js";
import { fillOptions, fillProvenances, readForm, wireAutocomplete, writeForm } from "./filters.js";
import { fillGoldsteinLegends, fillQuadLegend, setStatus } from "./dom.js";
import { apiParams, DEFAULT_MODALITIES, FILTER_KEYS, fromURL, toURL } from "./state.js";
import { VIEWS } from "./views.js";

const $ = (selector) => document.querySelector(selector);
const form = $("#filters");
const dialog = $("#event-dialog");
let state = fromURL(window.location.search);
let pending = 0;

/** What a view sees: the state, its chart, the filter parameters, and how to navigate. */
const ctx = {
  get state() { return state; },
  filterKey: () => apiParams(state).toString(),
  params(extra = {}) {
    const params = apiParams(state);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return params;
  },
  navigate: (changes) => navigate(changes),
  openEvent: (eventId) => openEvent(eventId),
};

/** A view spec (see views.js) made live: reloads when its key changes, redraws on resize. */
function mount(spec) {
  const panel = document.getElementById(spec.panel);
  const chart = spec.chart ? document.getElementById(spec.chart) : null;
  const view = { key: null, data: null };
  const here = { ...ctx, chart, panel };
  Object.defineProperty(here, "state", { get: () => state });
  const fetchLatest = latest();
  view.refresh = async () => {
    const key = spec.key(here);
    if (key === view.key) return;
    view.key = key;
    pending += 1;
    document.body.dataset.state = "loading";
    setStatus(panel, "loading", "");
    try {
      view.data = await spec.load(fetchLatest, here);
      if (key !== view.key) return;
      const message = await spec.draw(view.data, here);
      setStatus(panel, message ? "empty" : "ready", message || "");
    } catch (error) {
      if (isAbort(error)) return;
      view.key = null;
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
  view.redraw = () => { if (view.data && chart) spec.draw(view.data, here); };
  if (spec.download && spec.table && chart) {
    addDownloads(panel, { name: spec.download, chart, table: () => view.data && spec.table(view.data) });
  }
  if (spec.init) spec.init(here);
  return view;
}

const views = VIEWS.map(mount);

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
  for (const v of views) v.refresh();
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
  $("#filters-toggle").addEventListener("click", (event) => {
    const open = form.classList.toggle("open");
    event.currentTarget.setAttribute("aria-expanded", String(open));
  });
  $("#to-events").addEventListener("click", () => {
    $("#table-panel").scrollIntoView({ behavior: "smooth", block: "start" });
  });
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
    resizeTimer = setTimeout(() => views.forEach((v) => v.redraw()), 200);
  });
  Promise.all([
    getJSON("/api/cameo").then((cameo) => fillOptions(form, cameo)),
    getJSON("/api/health").then((health) => fillProvenances(form, health.provenances || [])),
  ]).catch(() => {}).finally(render);
}

init();
