// Timeline: events per period stacked by QuadClass, the mean Goldstein score as a dashed
// line, and a brush whose selection becomes the date filter.
//
// The default range is where the data is: the API's `focus`, the 1st to 99th percentile of the
// matching event dates, so a few outlying dates (an event of 1871 in a store of 2014-2020
// news) do not squeeze the rest into a sliver. A note says how many events lie outside and
// "Show all dates" widens the range (it sets the date filter to the whole span).

import { el, QUAD_NAMES, size } from "./dom.js";

const STEP = {
  day: () => d3.utcDay,
  week: () => d3.utcMonday, // DuckDB's date_trunc('week') starts weeks on Monday (ISO)
  month: () => d3.utcMonth,
};
const iso = (date) => date.toISOString().slice(0, 10);

function parseDay(text) {
  return new Date(`${text}T00:00:00Z`);
}

/** First day of a YYYY[-MM[-DD]] filter value, and the day after its last day. */
function periodBounds(text) {
  const [year, month, day] = text.split("-").map(Number);
  if (!year) return [null, null];
  if (day) return [new Date(Date.UTC(year, month - 1, day)), new Date(Date.UTC(year, month - 1, day + 1))];
  if (month) return [new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 1))];
  return [new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1))];
}

/**
 * The x range: the date filter's bounds where given, else the focus (the day after its last
 * day, so the last day's events are inside). Without a focus (older API), the buckets' span.
 */
export function timeRange(data, buckets, since, until) {
  const focus = data.focus;
  let first = since ? periodBounds(since)[0] : null;
  let last = until ? periodBounds(until)[1] : null;
  if (!first) first = focus ? parseDay(focus.start) : buckets[0].start;
  if (!last) last = focus ? d3.utcDay.offset(parseDay(focus.end), 1) : buckets[buckets.length - 1].end;
  // At least a week of axis, so one lone bar does not fill the whole chart.
  const minEnd = d3.utcDay.offset(first, 7);
  return [first, last > minEnd ? last : minEnd];
}

/** Events outside the drawn range, and the note and button that say so. */
function outsideNote(data, since, until, onShowAll) {
  const before = since ? 0 : data.outside?.before || 0;
  const after = until ? 0 : data.outside?.after || 0;
  if (!before && !after) return null;
  const parts = [];
  if (before) parts.push(`${before.toLocaleString("en")} earlier (from ${data.start})`);
  if (after) parts.push(`${after.toLocaleString("en")} later (to ${data.end})`);
  return el("p", { class: "range-note", "data-role": "range-note" },
    `Showing where 98% of the dated events are; ${parts.join(" and ")} are outside. `,
    el("button", { type: "button", class: "link", onclick: onShowAll }, "Show all dates"));
}

function axisLabel(svg, text, { x, y, rotate = 0, anchor = "middle", cls }) {
  svg.append("text")
    .attr("class", `axis-label ${cls}`)
    .attr("text-anchor", anchor)
    .attr("transform", `translate(${x},${y}) rotate(${rotate})`)
    .text(text);
}

/**
 * Draw `data` (the /api/timeline response) into `node`; `onBrush(since, until)` on selection,
 * `onShowAll()` to widen to every date. The x range is the date filter when one is set, so
 * empty days at either end stay visible, else the focus.
 */
export function renderTimeline(node, data, { since, until, onBrush, onShowAll }) {
  node.replaceChildren();
  const note = node.parentElement.querySelector("[data-role=range-note]");
  if (note) note.remove();
  if (!data.buckets.length) return;
  const interval = STEP[data.interval]();
  const { width, height } = size(node, 190);
  const margin = { top: 10, right: 50, bottom: 38, left: 54 };
  const buckets = data.buckets.map((b) => ({ ...b, start: parseDay(b.period) }));
  buckets.forEach((b) => { b.end = interval.offset(b.start, 1); });
  const [first, last] = timeRange(data, buckets, since, until);
  const x = d3.scaleUtc().domain([first, last]).range([margin.left, width - margin.right]);
  const shown = buckets.filter((b) => b.end > first && b.start < last);
  const y = d3.scaleLinear()
    .domain([0, d3.max(shown, (b) => b.count) || 1]).nice()
    .range([height - margin.bottom, margin.top]);
  // No more ticks than days, so a short range is labelled by day, never by hour.
  const days = (last - first) / 86_400_000;
  const ticks = Math.max(2, Math.min(Math.floor(width / 110), Math.floor(days)));
  const yG = d3.scaleLinear().domain([-10, 10]).range([height - margin.bottom, margin.top]);

  const svg = d3.select(node).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", `Events per ${data.interval} by QuadClass, ${iso(first)} to ${iso(d3.utcDay.offset(last, -1))}`)
    .attr("data-domain-start", iso(first))
    .attr("data-domain-end", iso(last));
  const clipId = `timeline-clip-${Math.random().toString(36).slice(2, 8)}`;
  svg.append("clipPath").attr("id", clipId).append("rect")
    .attr("x", margin.left).attr("y", 0)
    .attr("width", width - margin.left - margin.right).attr("height", height);
  const plot = svg.append("g").attr("clip-path", `url(#${clipId})`);

  const bars = plot.append("g").attr("class", "bars");
  for (const b of shown) {
    let base = 0;
    const x0 = x(b.start);
    const w = Math.max(1, x(b.end) - x0 - 1);
    for (const q of [1, 2, 3, 4]) {
      const n = b[`q${q}`];
      if (!n) continue;
      bars.append("rect")
        .attr("class", `bar q${q}`)
        .attr("x", x0).attr("width", w)
        .attr("y", y(base + n)).attr("height", Math.max(0, y(base) - y(base + n)))
        .attr("data-period", b.period).attr("data-quad", q).attr("data-count", n)
        .append("title")
        .text(`${b.period} (${data.interval}): ${n} ${QUAD_NAMES[q].toLowerCase()} of ${b.count}`
          + ` events; mean Goldstein ${b.goldstein_mean}`);
      base += n;
    }
  }

  const centre = (b) => x(b.start) + (x(b.end) - x(b.start)) / 2;
  // The mean Goldstein line joins consecutive periods only: a gap means no events, not a trend.
  const series = [];
  shown.forEach((b, i) => {
    if (i > 0 && +shown[i - 1].end !== +b.start) series.push(null);
    series.push(b);
  });
  plot.append("path")
    .datum(series)
    .attr("class", "goldstein-line")
    .attr("d", d3.line().defined((b) => b !== null).x(centre).y((b) => yG(b.goldstein_mean)));
  plot.append("g").selectAll("circle").data(shown).join("circle")
    .attr("class", "goldstein-dot").attr("r", 2)
    .attr("cx", centre).attr("cy", (b) => yG(b.goldstein_mean));

  svg.append("g").attr("class", "axis x-axis")
    .attr("transform", `translate(0,${height - margin.bottom})`)
    .call(d3.axisBottom(x).ticks(ticks).tickSizeOuter(0));
  svg.append("g").attr("class", "axis y-axis")
    .attr("transform", `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(4).tickFormat(d3.format("~s")));
  svg.append("g").attr("class", "axis y2-axis")
    .attr("transform", `translate(${width - margin.right},0)`)
    .call(d3.axisRight(yG).ticks(3));
  const middle = margin.top + (height - margin.top - margin.bottom) / 2;
  axisLabel(svg, "Event date", { x: margin.left + (width - margin.left - margin.right) / 2, y: height - 4, cls: "x-label" });
  axisLabel(svg, `Events per ${data.interval}`, { x: 13, y: middle, rotate: -90, cls: "y-label" });
  axisLabel(svg, "Mean Goldstein", { x: width - 10, y: middle, rotate: 90, cls: "y2-label" });

  const brush = d3.brushX()
    .extent([[margin.left, margin.top], [width - margin.right, height - margin.bottom]])
    .on("end", (event) => {
      if (!event.sourceEvent || !event.selection) return;
      const [a, b] = event.selection.map((px) => x.invert(px));
      const start = interval.floor(a);
      const end = d3.utcDay.offset(interval.ceil(b), -1);
      onBrush(iso(start), iso(end < start ? start : end));
    });
  svg.append("g").attr("class", "brush").call(brush);
  const outside = outsideNote(data, since, until, onShowAll);
  if (outside) node.after(outside);
}

/** The timeline's data as CSV rows: one per period. */
export function timelineTable(data) {
  return {
    columns: ["period", "interval", "count", "q1", "q2", "q3", "q4", "goldstein_mean"],
    rows: data.buckets.map((b) => ({ ...b, interval: data.interval })),
  };
}

/** The timeline view (see main.js for what a view is). */
export const timelineView = {
  panel: "timeline-panel",
  chart: "timeline",
  download: "timeline",
  key: (ctx) => `${ctx.filterKey()}|${ctx.state.interval}`,
  load: (get, ctx) => get("/api/timeline", ctx.params({ by: ctx.state.interval })),
  draw(data, ctx) {
    const { state } = ctx;
    renderTimeline(ctx.chart, data, {
      since: state.since,
      until: state.until,
      onBrush: (since, until) => ctx.navigate({ since, until }),
      onShowAll: () => ctx.navigate({ since: data.start, until: data.end }),
    });
    return data.buckets.length ? "" : "No dated events match these filters.";
  },
  table: timelineTable,
};
