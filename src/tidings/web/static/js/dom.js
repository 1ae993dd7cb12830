// Small DOM helpers. Text from the store (article text, actor names) is only ever set as
// text nodes, never parsed as HTML, so an article cannot inject markup into the page.

/** Create an element: el("td", {class: "code"}, "040", child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Mark a panel as loading, failed, empty or ready, with a status line. */
export function setStatus(panel, state, message = "") {
  panel.classList.toggle("loading", state === "loading");
  panel.classList.toggle("error", state === "error");
  panel.dataset.state = state;
  const status = panel.querySelector('[data-role="status"]');
  if (status) status.textContent = message;
}

export const QUAD_NAMES = {
  1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict",
};

/** Colour of a mean Goldstein score: red (conflict) through grey to green (cooperation). */
export function goldsteinColor() {
  return d3.scaleLinear().domain([-10, 0, 10]).range(["#c0392b", "#9e9e9e", "#1e8449"])
    .clamp(true);
}

export function fillGoldsteinLegends() {
  for (const legend of document.querySelectorAll(".goldstein-legend")) {
    legend.replaceChildren(
      el("span", {}, "conflict −10"), el("span", { class: "gradient" }), el("span", {}, "+10 cooperation"),
    );
  }
}

export function fillQuadLegend(node) {
  node.replaceChildren(
    ...[1, 2, 3, 4].map((q) => el("span", {}, el("span", { class: `swatch q${q}` }), QUAD_NAMES[q])),
    el("span", {}, "- - mean Goldstein"),
  );
}

/** Width and height of a chart container (with fallbacks while hidden). */
export function size(node, fallbackHeight = 240) {
  const box = node.getBoundingClientRect();
  return { width: Math.max(box.width || 600, 200), height: Math.max(box.height || fallbackHeight, 100) };
}
