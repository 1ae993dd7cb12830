// The dashboard's state lives in the page URL, so every view is a shareable deep link
// and the back button steps through filter changes (history.pushState / popstate).

export const FILTER_KEYS = [
  "since", "until", "actor", "source", "target", "dyad", "code", "root", "quad_class",
  "place", "country", "near", "outlet", "provenance",
];
export const DEFAULT_MODALITIES = ["asserted", "reported"];
// View settings: not filters, but part of the link too.
export const VIEW_DEFAULTS = { interval: "auto", level: "country", sort: "-date" };

/** State from a query string (location.search). */
export function fromURL(search) {
  const params = new URLSearchParams(search);
  const state = { modality: params.getAll("modality").filter(Boolean) };
  for (const key of FILTER_KEYS) state[key] = params.get(key) || "";
  for (const [key, value] of Object.entries(VIEW_DEFAULTS)) state[key] = params.get(key) || value;
  state.event = params.get("event") || "";
  return state;
}

/** The query string of a state: only what differs from the defaults, in a stable order. */
export function toURL(state) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (state[key]) params.set(key, state[key]);
  if (!sameModalities(state.modality)) for (const m of state.modality) params.append("modality", m);
  for (const [key, value] of Object.entries(VIEW_DEFAULTS)) {
    if (state[key] && state[key] !== value) params.set(key, state[key]);
  }
  if (state.event) params.set("event", state.event);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The filter parameters the API takes (no view settings, no open event). */
export function apiParams(state) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (state[key]) params.set(key, state[key]);
  for (const m of state.modality.length ? state.modality : DEFAULT_MODALITIES) {
    params.append("modality", m);
  }
  return params;
}

function sameModalities(list) {
  if (!list.length) return true;
  const a = [...list].sort().join(",");
  return a === [...DEFAULT_MODALITIES].sort().join(",");
}

/** Labels for the filter chips of parameters the form does not show. */
export const CHIP_LABELS = {
  source: "source", target: "target", dyad: "dyad", code: "code", country: "country",
  near: "near",
};
