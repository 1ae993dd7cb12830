// Actor network: nodes are actors, edges dyads weighted by events and coloured by their mean
// Goldstein score. The force layout is computed to rest before drawing (static and
// reproducible); clicking a node filters the whole dashboard by that actor.

import { goldsteinColor, size } from "./dom.js";

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
  const radius = d3.scaleSqrt().domain([0, maxEvents]).range([3, 18]);
  const stroke = d3.scaleSqrt().domain([0, maxWeight]).range([1, 8]);

  const simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id((n) => n.id).distance(70))
    .force("charge", d3.forceManyBody().strength(-220))
    .force("collide", d3.forceCollide((n) => radius(n.events) + 6))
    .force("x", d3.forceX(width / 2).strength(0.06))
    .force("y", d3.forceY(height / 2).strength(0.1))
    .stop();
  for (let i = 0; i < 300; i += 1) simulation.tick();
  const pad = 24;
  for (const n of nodes) {
    n.x = Math.max(pad, Math.min(width - pad, n.x));
    n.y = Math.max(pad, Math.min(height - pad, n.y));
  }

  const svg = d3.select(node).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", `Actor network: ${nodes.length} actors, ${links.length} dyads`);
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
    .attr("r", (n) => radius(n.events))
    .attr("fill", (n) => colour(n.goldstein_mean));
  groups.append("text")
    .attr("x", (n) => radius(n.events) + 3).attr("dy", "0.35em")
    .text((n) => n.id);
  groups.append("title")
    .text((n) => `${n.id}: ${n.events} events, mean Goldstein ${n.goldstein_mean}`);
}
