// Aftermath view: pick a dyad (or one actor) and a trigger (a date or an event id), see the
// events per period before and after it with the counterfactual band, and the change table
// (per QuadClass and CAMEO root, with the regression's and the placebo test's p-values).
// Self-contained: it adds its own panel to the page and calls GET /api/aftermath.

import { getJSON } from "./api.js";

// The SVG namespace, from the d3 the page already loads (kept out of this file as a URL).
const SVG = window.d3.namespaces.svg;

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

function field(form, name, label, value = "", size = 8) {
  const wrap = el("label", {}, `${label} `);
  wrap.appendChild(el("input", { name, value, size: String(size) }));
  form.appendChild(wrap);
}

function buildPanel() {
  const panel = el("section", { class: "panel aftermath-panel", id: "aftermath-panel" });
  const head = el("div", { class: "panel-head" });
  head.appendChild(el("h2", { id: "aftermath-title" }, "Aftermath"));
  panel.appendChild(head);
  const form = el("form", { id: "aftermath-form" });
  field(form, "source", "Source", "RUS", 5);
  field(form, "target", "Target", "UKR", 5);
  field(form, "actor", "or actor", "", 5);
  const both = el("label", {}, "both ways ");
  both.appendChild(el("input", { name: "both_ways", type: "checkbox" }));
  form.appendChild(both);
  field(form, "date", "Trigger date", "2014-07-17", 10);
  field(form, "event", "or event id", "", 14);
  field(form, "before", "Before", "26w", 4);
  field(form, "after", "After", "8w", 4);
  const by = el("select", { name: "by" });
  for (const unit of ["week", "day", "month"]) by.appendChild(el("option", { value: unit }, unit));
  form.appendChild(by);
  form.appendChild(el("button", { type: "submit" }, "Study"));
  panel.appendChild(form);
  panel.appendChild(el("p", { class: "status", id: "aftermath-status", role: "status" }));
  panel.appendChild(el("div", { id: "aftermath-chart" }));
  panel.appendChild(el("div", { id: "aftermath-table" }));
  return { panel, form };
}

function drawChart(box, data) {
  box.replaceChildren();
  const series = data.series;
  const width = 720, height = 220, pad = 32;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const maxY = Math.max(1, ...series.map((p) => Math.max(p.events, p.high ?? 0)));
  const x = (i) => pad + (i * (width - 2 * pad)) / Math.max(1, series.length - 1);
  const y = (v) => height - pad - (v * (height - 2 * pad)) / maxY;
  const after = series.map((p, i) => [p, i]).filter(([p]) => p.window === "after");
  if (after.length) {
    const upper = after.map(([p, i]) => `${x(i)},${y(p.high)}`);
    const lower = after.slice().reverse().map(([p, i]) => `${x(i)},${y(p.low)}`);
    svg.appendChild(svgEl("polygon", { points: [...upper, ...lower].join(" "),
      fill: "#999", "fill-opacity": 0.25 }));
    svg.appendChild(svgEl("polyline", { points: after.map(([p, i]) => `${x(i)},${y(p.expected)}`)
      .join(" "), fill: "none", stroke: "#777", "stroke-dasharray": "4 3" }));
    const t = x(after[0][1]);
    svg.appendChild(svgEl("line", { x1: t, x2: t, y1: pad / 2, y2: height - pad,
      stroke: "crimson", "stroke-width": 1.5 }));
  }
  svg.appendChild(svgEl("polyline", { points: series.map((p, i) => `${x(i)},${y(p.events)}`)
    .join(" "), fill: "none", stroke: "steelblue", "stroke-width": 1.5, class: "aftermath-line" }));
  const axis = svgEl("text", { x: pad, y: height - 8, "font-size": 11 });
  axis.textContent = `${series[0].period} … ${series[series.length - 1].period}` +
    ` (max ${maxY} per ${data.by}; red: trigger, grey: expected without it)`;
  svg.appendChild(axis);
  box.appendChild(svg);
}

const fmt = (v) => (v === null || v === undefined ? "–" :
  typeof v === "number" ? (Math.abs(v) < 1 ? v.toPrecision(2) : v.toFixed(1)) : String(v));

function drawTable(box, data) {
  box.replaceChildren();
  const columns = ["category", "before", "after", "change_pct", "goldstein_rate_change",
    "rate_ratio", "p_model", "p_placebo"];
  const table = el("table", { class: "aftermath-changes" });
  const head = el("tr");
  for (const c of columns) head.appendChild(el("th", {}, c.replaceAll("_", " ")));
  table.appendChild(head);
  for (const row of data.rows) {
    const tr = el("tr");
    for (const c of columns) tr.appendChild(el("td", {}, fmt(row[c])));
    table.appendChild(tr);
  }
  box.appendChild(table);
  if (data.actors.length) {
    const names = data.actors.slice(0, 5).map((a) => `${a.actor} (${a.before}→${a.after})`);
    box.appendChild(el("p", {}, `Relations of ${data.selection.focal} that changed most: ` +
      names.join(", ")));
  }
}

async function study(form, status, chart, table) {
  const params = new URLSearchParams();
  const data = new FormData(form);
  for (const [key, value] of data.entries()) {
    if (key === "both_ways") params.set(key, "true");
    else if (value && key !== "source" && key !== "target") params.set(key, value);
  }
  // The API takes the dyad as one parameter, dyad=A,B (the study options' table).
  if (!params.get("actor") && (data.get("source") || data.get("target"))) {
    params.set("dyad", `${data.get("source")},${data.get("target")}`);
  }
  if (params.get("event")) params.delete("date");
  status.textContent = "loading…";
  try {
    const result = await getJSON("/api/aftermath", params);
    drawChart(chart, result);
    drawTable(table, result);
    status.textContent = `${result.placebo_dates} placebo dates; ${result.notes.join("; ")}`;
  } catch (error) {
    chart.replaceChildren();
    table.replaceChildren();
    status.textContent = `Could not study: ${error.message}`;
  }
}

function init() {
  const main = document.querySelector("main.views") || document.body;
  const { panel, form } = buildPanel();
  main.appendChild(panel);
  const status = panel.querySelector("#aftermath-status");
  const chart = panel.querySelector("#aftermath-chart");
  const table = panel.querySelector("#aftermath-table");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    study(form, status, chart, table);
  });
  // An event clicked elsewhere (the events table, the event dialog): study its dyad around it.
  window.addEventListener("tidings:aftermath", (event) => {
    const { event: id, date, source, target } = event.detail;
    const set = (name, value) => { form.elements.namedItem(name).value = value; };
    set("source", source);
    set("target", target);
    set("actor", "");
    set("event", id);
    set("date", date);
    const dialog = document.querySelector("dialog[open]");
    if (dialog) dialog.close();
    panel.scrollIntoView({ block: "start" });
    study(form, status, chart, table);
  });
}

init();
