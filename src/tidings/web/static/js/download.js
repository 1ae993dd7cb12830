// Downloads of a chart (PNG, SVG) and of the data behind it (CSV), made in the page from what
// is drawn: no server round trip, no external library. The SVG's look comes from app.css, so
// a copy for download carries the computed styles as attributes to look the same on its own.

import { el } from "./dom.js";

// Presentation properties copied inline onto every element of a downloaded SVG.
const STYLE_PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "opacity", "font-family", "font-size", "font-weight", "font-style", "paint-order",
  "text-anchor", "dominant-baseline", "visibility", "display",
];

/** A standalone copy of `svg`: computed styles as attributes, explicit size, white background. */
export function standaloneSVG(svg) {
  const copy = svg.cloneNode(true);
  const source = [svg, ...svg.querySelectorAll("*")];
  const target = [copy, ...copy.querySelectorAll("*")];
  source.forEach((node, i) => {
    const computed = getComputedStyle(node);
    // As presentation attributes, not a style attribute: the page's Content-Security-Policy
    // (style-src 'self') forbids inline styles, and SVG reads these attributes the same way.
    for (const property of STYLE_PROPS) {
      const value = computed.getPropertyValue(property);
      if (value) target[i].setAttribute(property, value);
    }
  });
  const [, , width, height] = (svg.getAttribute("viewBox") || "0 0 800 400").split(/\s+/).map(Number);
  copy.setAttribute("xmlns", d3.namespaces.svg); // the SVG namespace, from the vendored d3
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  const background = document.createElementNS(d3.namespaces.svg, "rect");
  background.setAttribute("width", "100%");
  background.setAttribute("height", "100%");
  background.setAttribute("fill", "#ffffff");
  copy.insertBefore(background, copy.firstChild);
  return { text: new XMLSerializer().serializeToString(copy), width, height };
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSVG(svg, filename) {
  save(new Blob([standaloneSVG(svg).text], { type: "image/svg+xml" }), filename);
}

/** Rasterise the standalone SVG at twice its size (sharp on high-density screens). */
export function downloadPNG(svg, filename, scale = 2) {
  const { text, width, height } = standaloneSVG(svg);
  const image = new Image();
  image.onload = () => {
    const canvas = el("canvas", { width: width * scale, height: height * scale });
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    canvas.toBlob((blob) => save(blob, filename), "image/png");
  };
  // A data: URL (the page's Content-Security-Policy allows data: images, not blob:).
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = Array.isArray(value) ? value.join(" ") : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `rows` (objects) as CSV with the given columns, header first. */
export function toCSV(rows, columns) {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export function downloadCSV(rows, columns, filename) {
  save(new Blob([toCSV(rows, columns)], { type: "text/csv;charset=utf-8" }), filename);
}

/**
 * Add PNG, SVG and CSV download buttons to a panel's head. `name` is the file stem,
 * `chart` the chart container, `table()` the current data as {rows, columns} (or null).
 */
export function addDownloads(panel, { name, chart, table }) {
  const svg = () => chart.querySelector("svg");
  const button = (label, title, action) => el("button", {
    type: "button", class: "download", title, dataset: { download: label.toLowerCase() },
    onclick: () => action(),
  }, label);
  const box = el("span", { class: "downloads-chart", role: "group", "aria-label": `Download ${name}` },
    button("PNG", `Download the ${name} chart as PNG`, () => svg() && downloadPNG(svg(), `tidings-${name}.png`)),
    button("SVG", `Download the ${name} chart as SVG`, () => svg() && downloadSVG(svg(), `tidings-${name}.svg`)),
    button("CSV", `Download the ${name} data as CSV`, () => {
      const data = table();
      if (data) downloadCSV(data.rows, data.columns, `tidings-${name}.csv`);
    }));
  panel.querySelector(".panel-head").append(box);
}
