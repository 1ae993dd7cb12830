// Event table: one row per event, a page at a time (cursor pagination). A row opens the
// event's source article with its sentence highlighted.

import { el } from "./dom.js";

function actorCell(actor) {
  if (!actor) return el("td", {}, "–");
  return el("td", { title: actor.text || "" }, el("strong", {}, actor.code), " ",
    el("span", { class: "muted" }, actor.text ? `(${actor.text})` : ""));
}

function shorten(text, max = 160) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Table rows for `events`; `onOpen(event_id)` when a row is clicked or Enter is pressed. */
export function eventRows(events, onOpen) {
  return events.map((e) => {
    const open = () => onOpen(e.event_id);
    return el("tr", {
      tabindex: 0,
      dataset: { eventId: e.event_id, code: e.code, date: e.date || "" },
      onclick: open,
      onkeydown: (event) => { if (event.key === "Enter") open(); },
    },
    el("td", { class: "code" }, e.date || "undated"),
    actorCell(e.source),
    el("td", { class: "code", title: e.quad_class_name || "" },
      el("span", { class: `q-badge q${e.quad_class}` }), `${e.code} `,
      el("span", {}, e.label || "")),
    actorCell(e.target),
    el("td", {}, e.modality),
    el("td", {}, e.location ? e.location.name : "–"),
    el("td", { class: "sentence" }, el("span", { class: "clamp" }, shorten(e.sentence, 300))));
  });
}
