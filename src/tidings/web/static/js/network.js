// Actor network: nodes are actors, edges dyads weighted by events and coloured by their mean
// Goldstein score. The force layout is computed to rest before drawing (static and
// reproducible); clicking a node filters the whole dashboard by that actor.
//
// Labels never overlap: after layout, each label (biggest actors first) takes the first of
// four places around its node (right, left, above, below) that collides with no label and no
// node already placed and stays inside the chart; a label with no free place is left out
// (the node keeps its tooltip and accessible name).

import { goldsteinColor, size } from "./dom.js";

const GAP = 3;
// Room kept around each label's text: its white halo (a 3px stroke in app.css, 1.5px each
// side) and as much again, so neighbouring labels stay apart to the eye too.
const HALO = 3;

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Candidate boxes (and text anchors) for a label of size w×h beside a node of radius r. */
function candidates(n, r, w, h) {
  return [
    { x: n.x + r + GAP, y: n.y - h / 2, anchor: "start" },
    { x: n.x - r - GAP - w, y: n.y - h / 2, anchor: "end" },
    { x: n.x - w / 2, y: n.y - r - GAP - h, anchor: "middle" },
    { x: n.x - w / 2, y: n.y + r + GAP, anchor: "middle" },
  ].map((c) => ({ ...c, w, h }));
}

/**
 * Place the labels of `nodes` without overlaps. `put(n, spot)` moves n's label to a candidate
 * spot and returns the box it then really covers (text metrics differ from the estimate);
 * returns the ids of the nodes whose label found a free place.
 */
export function placeLabels(nodes, radiusOf, measure, put, width, height) {
  const circles = nodes.map((n) => {
    const r = radiusOf(n);
    return { id: n.id, x: n.x - r, y: n.y - r, w: 2 * r, h: 2 * r };
  });
  const placed = [];
  const labelled = new Set();
  const free = (box, id) => box.x >= 0 && box.y >= 0
    && box.x + box.w <= width && box.y + box.h <= height
    && !placed.some((other) => overlaps(box, other))
    && !circles.some((c) => c.id !== id && overlaps(box, c));
  for (const n of [...nodes].sort((a, b) => b.events - a.events || a.id.localeCompare(b.id))) {
    const { w, h } = measure(n);
    for (const spot of candidates(n, radiusOf(n), w, h)) {
      if (!free(spot, n.id)) continue;
      const box = put(n, spot);
      if (!free(box, n.id)) continue;
      placed.push(box);
      labelled.add(n.id);
      break;
    }
  }
  return labelled;
}

/** Draw `data` (the /api/dyads response); `onActor(id)` when a node is clicked. */
export function renderNetwork(node, data, { active, onActor }) {
  node.replaceChildren();
  if (!data.edges.length) return;
  const { width, height } = size(node, 300);
  const colour = goldsteinColor();
  const nodes = data.nodes.map((n) => ({ ...n }));
  const links = data.edges.map((e) => ({ ...e }));
  const maxEvents = d3.max(nodes, (n) => n.events) || 1;
  const maxWeight = d3.max(links, (e) => e.weight) || 1;
  const radius = d3.scaleSqrt().domain([0, maxEvents]).range([3, 16]);
  const stroke = d3.scaleSqrt().domain([0, maxWeight]).range([0.8, 7]);
  const radiusOf = (n) => radius(n.events);

  const simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(60))
    .force("charge", d3.forceManyBody().strength(-260))
    // Room for a label beside each node, so most labels find a free place.
    .force("collide", d3.forceCollide((n) => radiusOf(n) + 14))
    .force("x", d3.forceX(width / 2).strength(0.07))
    .force("y", d3.forceY(height / 2).strength(0.12))
    .stop();
  for (let i = 0; i < 300; i += 1) simulation.tick();
  const pad = 20;
  for (const n of nodes) {
    n.x = Math.max(pad, Math.min(width - pad, n.x));
    n.y = Math.max(pad, Math.min(height - pad, n.y));
  }

  const svg = d3.select(node).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", `Actor network (${data.level === "country" ? "countries and organisations" : "actor codes"}): ${nodes.length} actors, ${links.length} dyads`);
  const edges = svg.append("g").selectAll("line").data(links).join("line")
    .attr("class", "edge")
    .attr("data-source", (e) => e.source.id).attr("data-target", (e) => e.target.id)
    .attr("data-weight", (e) => e.weight)
    .attr("stroke", (e) => colour(e.goldstein_mean))
    .attr("stroke-width", (e) => stroke(e.weight))
    .attr("x1", (e) => e.source.x).attr("y1", (e) => e.source.y)
    .attr("x2", (e) => e.target.x).attr("y2", (e) => e.target.y);
  edges.append("title")
    .text((e) => `${e.source.id} – ${e.target.id}: ${e.weight} events, mean Goldstein ${e.goldstein_mean}`);

  const groups = svg.append("g").selectAll("g").data(nodes).join("g")
    .attr("class", (n) => (n.id === active ? "node active" : "node"))
    .attr("data-actor", (n) => n.id)
    .attr("transform", (n) => `translate(${n.x},${n.y})`)
    .attr("tabindex", 0)
    .attr("role", "button")
    .attr("aria-label", (n) => `Filter by ${n.id} (${n.events} events)`)
    .on("click", (_, n) => onActor(n.id))
    .on("keydown", (event, n) => { if (event.key === "Enter") onActor(n.id); });
  groups.append("circle")
    .attr("r", radiusOf)
    .attr("fill", (n) => colour(n.goldstein_mean));
  groups.append("title")
    .text((n) => `${n.id}: ${n.events} events, mean Goldstein ${n.goldstein_mean}`);

  // Labels in their own layer, above every node, measured before they are placed.
  const layer = svg.append("g").attr("class", "labels");
  const texts = new Map(nodes.map((n) => [n.id, layer.append("text")
    .attr("class", "node-label").attr("data-actor", n.id).text(n.id)]));
  // Boxes as the browser lays the text out (its line box, halo included), in chart units.
  const svgNode = svg.node();
  const boxOf = (text) => {
    const frame = svgNode.getBoundingClientRect();
    const k = frame.width / width || 1;
    const r = text.node().getBoundingClientRect();
    return { x: (r.left - frame.left) / k - HALO, y: (r.top - frame.top) / k - HALO,
      w: r.width / k + 2 * HALO, h: r.height / k + 2 * HALO };
  };
  const measure = (n) => boxOf(texts.get(n.id));
  const put = (n, spot) => {
    const text = texts.get(n.id);
    const x = spot.anchor === "start" ? spot.x + HALO
      : spot.anchor === "end" ? spot.x + spot.w - HALO : spot.x + spot.w / 2;
    text.attr("text-anchor", spot.anchor).attr("x", x)
      .attr("y", spot.y + spot.h / 2).attr("dy", "0.35em");
    return boxOf(text);
  };
  const labelled = placeLabels(nodes, radiusOf, measure, put, width, height);
  for (const n of nodes) if (!labelled.has(n.id)) texts.get(n.id).remove();
}

/** The network's data as CSV rows: one per edge. */
export function networkTable(data) {
  return {
    columns: ["source", "target", "weight", "goldstein_mean", "q1", "q2", "q3", "q4"],
    rows: data.edges.map((e) => ({
      source: e.source, target: e.target, weight: e.weight, goldstein_mean: e.goldstein_mean,
      q1: e.quad_counts[0], q2: e.quad_counts[1], q3: e.quad_counts[2], q4: e.quad_counts[3],
    })),
  };
}

export const networkView = {
  panel: "network-panel",
  chart: "network",
  download: "network",
  key: (ctx) => `${ctx.filterKey()}|${ctx.state.level}`,
  load: (get, ctx) => get("/api/dyads", ctx.params({ level: ctx.state.level, limit: "60" })),
  draw(data, ctx) {
    renderNetwork(ctx.chart, data, {
      active: ctx.state.actor,
      onActor: (actor) => ctx.navigate({ actor: actor === ctx.state.actor ? "" : actor }),
    });
    const note = data.truncated ? " (the 60 heaviest dyads are shown)" : "";
    return data.edges.length ? note : "No dyads (events with a source and a target) match.";
  },
  table: networkTable,
};
