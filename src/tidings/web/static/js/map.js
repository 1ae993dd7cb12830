// Map of events by place: country outlines from the vendored world-atlas (Natural Earth
// 1:110m), no tile server. Circles sized by event count, coloured by mean Goldstein.

import { goldsteinColor, size } from "./dom.js";

let countries = null;

async function loadCountries() {
  if (!countries) {
    const response = await fetch("/static/vendor/countries-110m.json");
    const world = await response.json();
    countries = topojson.feature(world, world.objects.countries);
  }
  return countries;
}

/** Draw `data` (the /api/places GeoJSON); `onPlace(name)` when a circle is clicked. */
export async function renderMap(node, data, { onPlace }) {
  const land = await loadCountries();
  node.replaceChildren();
  const { width, height } = size(node, 300);
  const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const colour = goldsteinColor();
  const maxCount = d3.max(data.features, (f) => f.properties.count) || 1;
  const radius = d3.scaleSqrt().domain([0, maxCount]).range([0, 16]);

  const svg = d3.select(node).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("role", "img")
    .attr("aria-label", `Map of events at ${data.features.length} places`);
  const layer = svg.append("g");
  layer.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
  layer.append("g").selectAll("path").data(land.features).join("path")
    .attr("class", "country").attr("d", path);
  const circles = layer.append("g").selectAll("circle")
    .data([...data.features].sort((a, b) => b.properties.count - a.properties.count))
    .join("circle")
    .attr("class", "place")
    .attr("data-place", (f) => f.properties.name)
    .attr("data-count", (f) => f.properties.count)
    .attr("cx", (f) => projection(f.geometry.coordinates)[0])
    .attr("cy", (f) => projection(f.geometry.coordinates)[1])
    .attr("r", (f) => Math.max(3, radius(f.properties.count)))
    .attr("fill", (f) => colour(f.properties.goldstein_mean))
    .on("click", (_, f) => onPlace(f.properties.name));
  circles.append("title").text((f) => {
    const p = f.properties;
    return `${p.name}${p.country ? ` (${p.country})` : ""}: ${p.count} events, `
      + `mean Goldstein ${p.goldstein_mean}`;
  });

  // Pan and zoom the whole layer; circles keep their on-screen size.
  svg.call(d3.zoom().scaleExtent([1, 12]).on("zoom", (event) => {
    layer.attr("transform", event.transform);
    circles.attr("r", (f) => Math.max(3, radius(f.properties.count)) / event.transform.k);
  }));
}

/** The map's data as CSV rows: one per place. */
export function placesTable(data) {
  return {
    columns: ["name", "country", "feature_id", "lat", "lon", "count", "goldstein_mean",
      "q1", "q2", "q3", "q4"],
    rows: data.features.map((f) => {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const [q1, q2, q3, q4] = p.quad_counts;
      return { ...p, lat, lon, q1, q2, q3, q4 };
    }),
  };
}

export const mapView = {
  panel: "map-panel",
  chart: "map",
  download: "places",
  key: (ctx) => ctx.filterKey(),
  load: (get, ctx) => get("/api/places", ctx.params({ limit: "500" })),
  async draw(data, ctx) {
    await renderMap(ctx.chart, data, { onPlace: (place) => ctx.navigate({ place }) });
    return data.features.length ? "" : "No located events match these filters.";
  },
  table: placesTable,
};
