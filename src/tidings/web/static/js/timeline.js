// Timeline: events per period stacked by QuadClass, the mean Goldstein score as a dashed
// line, and a brush whose selection becomes the date filter.

import { QUAD_NAMES, size } from "./dom.js";

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
 * Draw `data` (the /api/timeline response) into `node`; `onBrush(since, until)` on selection.
 * The axis spans the date filter when one is set, so empty days at either end stay visible.
 */
export function renderTimeline(node, data, { since, until, onBrush }) {
  node.replaceChildren();
  if (!data.buckets.length) return;
  const interval = STEP[data.interval]();
  const { width, height } = size(node, 190);
  const margin = { top: 8, right: 36, bottom: 22, left: 40 };
  const buckets = data.buckets.map((b) => ({ ...b, start: parseDay(b.period) }));
  buckets.forEach((b) => { b.end = interval.offset(b.start, 1); });
  let first = buckets[0].start;
  let last = buckets[buckets.length - 1].end;
  const from = since ? periodBounds(since)[0] : null;
  const to = until ? periodBounds(until)[1] : null;
  if (from && from < first) first = interval.floor(from);
  if (to && to > last) last = interval.ceil(to);
  // At least a week of axis, so one lone bar does not fill the whole chart.
  const minEnd = d3.utcDay.offset(first, data.interval === "day" ? 7 : 0);
  const x = d3.scaleUtc()
    .domain([first, last > minEnd ? last : minEnd])
    .range([margin.left, width - margin.right]);
  const y = d3.scaleLinear()
    .domain([0, d3.max(buckets, (b) => b.count) || 1]).nice()
    .range([height - margin.bottom, margin.top]);
  // No more ticks than days, so a short range is labelled by day, never by hour.
  const days = (x.domain()[1] - x.domain()[0]) / 86_400_000;
  const ticks = Math.max(2, Math.min(Math.floor(width / 110), Math.floor(days)));
  const yG = d3.scaleLinear().domain([-10, 10]).range([height - margin.bottom, margin.top]);

  const svg = d3.select(node).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", `Events per ${data.interval} by QuadClass`);

  const bars = svg.append("g").attr("class", "bars");
  for (const b of buckets) {
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
  buckets.forEach((b, i) => {
    if (i > 0 && +buckets[i - 1].end !== +b.start) series.push(null);
    series.push(b);
  });
  svg.append("path")
    .datum(series)
    .attr("class", "goldstein-line")
    .attr("d", d3.line().defined((b) => b !== null).x(centre).y((b) => yG(b.goldstein_mean)));
  svg.append("g").selectAll("circle").data(buckets).join("circle")
    .attr("class", "goldstein-dot").attr("r", 2)
    .attr("cx", centre).attr("cy", (b) => yG(b.goldstein_mean));

  svg.append("g").attr("class", "axis")
    .attr("transform", `translate(0,${height - margin.bottom})`)
    .call(d3.axisBottom(x).ticks(ticks).tickSizeOuter(0));
  svg.append("g").attr("class", "axis")
    .attr("transform", `translate(${margin.left},0)`)
    .call(d3.axisLeft(y).ticks(4).tickFormat(d3.format("~s")));
  svg.append("g").attr("class", "axis")
    .attr("transform", `translate(${width - margin.right},0)`)
    .call(d3.axisRight(yG).ticks(3));

  const brush = d3.brushX()
    .extent([[margin.left, margin.top], [width - margin.right, height - margin.bottom]])
    .on("end", (event) => {
      if (!event.sourceEvent || !event.selection) return;
      const [a, b] = event.selection.map((px) => x.invert(px));
      const since = interval.floor(a);
      const until = d3.utcDay.offset(interval.ceil(b), -1);
      onBrush(iso(since), iso(until < since ? since : until));
    });
  svg.append("g").attr("class", "brush").call(brush);
}
