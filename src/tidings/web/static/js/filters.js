// The filter bar: form fields <-> state, CAMEO and modality options, actor autocomplete, and
// chips for deep-linked filters the form has no field for (dyad, source, near...).

import { getJSON, isAbort } from "./api.js";
import { el, QUAD_NAMES } from "./dom.js";
import { CHIP_LABELS, DEFAULT_MODALITIES } from "./state.js";

const FIELDS = ["since", "until", "actor", "root", "quad_class", "place", "outlet", "provenance"];

/** Fill the select options from the /api/cameo response. */
export function fillOptions(form, cameo) {
  const root = form.elements.root;
  for (const code of cameo.codes.filter((c) => c.code.length === 2)) {
    root.append(el("option", { value: code.code }, `${code.code} ${code.label}`));
  }
  const quad = form.elements.quad_class;
  for (const q of [1, 2, 3, 4]) quad.append(el("option", { value: String(q) }, `${q} ${QUAD_NAMES[q]}`));
  const box = form.querySelector("#modality-options");
  for (const m of cameo.modalities) {
    box.append(el("label", {}, el("input", { type: "checkbox", name: "modality", value: m }), m));
  }
}

/**
 * Fill the provenance select from /api/health's `provenances` ([{provenance, events}]): the
 * events coded from text ("tidings") and each imported dataset and file. The filter matches
 * by prefix, so each dataset ("icews") is offered as well as each of its files.
 */
export function fillProvenances(form, provenances) {
  const select = form.elements.provenance;
  const datasets = new Map();
  for (const { provenance, events } of provenances) {
    const [dataset, file] = provenance.split(/:(.*)/s);
    if (!file) continue;
    const seen = datasets.get(dataset) || { events: 0, files: 0 };
    datasets.set(dataset, { events: seen.events + events, files: seen.files + 1 });
  }
  const options = [];
  for (const { provenance, events } of provenances) {
    const label = provenance === "tidings" ? "coded from text" : `imported: ${provenance}`;
    options.push([provenance, `${label} (${events.toLocaleString("en")})`]);
  }
  for (const [dataset, { events, files }] of datasets) {
    if (files > 1) options.push([dataset, `imported: all ${dataset} (${events.toLocaleString("en")})`]);
  }
  options.sort((a, b) => a[0].localeCompare(b[0]));
  select.append(...options.map(([value, label]) => el("option", { value }, label)));
}

/** Show `state` in the form. */
export function writeForm(form, state, onChipRemove) {
  for (const name of FIELDS) {
    const field = form.elements[name];
    const value = state[name] || "";
    // A deep-linked value the select does not offer yet (an older store, a prefix): add it.
    if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
      field.append(el("option", { value }, value));
    }
    field.value = value;
  }
  const wanted = state.modality.length ? state.modality : DEFAULT_MODALITIES;
  for (const box of form.querySelectorAll('input[name="modality"]')) {
    box.checked = wanted.includes(box.value);
  }
  const chips = form.querySelector("#chips");
  chips.replaceChildren(...Object.entries(CHIP_LABELS)
    .filter(([key]) => state[key])
    .map(([key, label]) => el("button", {
      type: "button", class: "chip", title: "Remove this filter",
      onclick: () => onChipRemove(key),
    }, `${label}: ${state[key]} ×`)));
}

/** The form's values as a partial state (null when a field is invalid). */
export function readForm(form) {
  if (!form.checkValidity()) {
    form.reportValidity();
    return null;
  }
  const values = {};
  for (const name of FIELDS) values[name] = form.elements[name].value.trim();
  values.actor = values.actor.toUpperCase();
  const checked = [...form.querySelectorAll('input[name="modality"]:checked')].map((b) => b.value);
  values.modality = checked.length ? checked : [...DEFAULT_MODALITIES];
  return values;
}

/** Actor autocomplete: suggestions from /api/actors as the user types (debounced). */
export function wireAutocomplete(form) {
  const input = form.elements.actor;
  const list = form.querySelector("#actor-options");
  let timer = null;
  let controller = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return;
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const data = await getJSON("/api/actors", new URLSearchParams({ q }), controller.signal);
        list.replaceChildren(...data.actors.map((a) => el("option", { value: a.code },
          `${a.code} — ${a.text || ""} (${a.events})`)));
      } catch (error) {
        if (!isAbort(error)) list.replaceChildren();
      }
    }, 150);
  });
}
