// Event table: one row per event, a page at a time (cursor pagination). A row opens the
// event's source article (or, for an imported event, its origin) in the event dialog.

import { getJSON } from "./api.js";
import { el, setStatus } from "./dom.js";

function actorCell(actor) {
  if (!actor) return el("td", {}, "–");
  return el("td", { title: actor.text || "" }, el("strong", {}, actor.code), " ",
    el("span", { class: "muted" }, actor.text ? `(${actor.text})` : ""));
}

function shorten(text, max = 160) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What the Text column shows: the sentence, or for an imported event its dataset's wording. */
function textCell(e) {
  if (e.sentence) return el("td", { class: "sentence" }, el("span", { class: "clamp" }, shorten(e.sentence, 300)));
  const fields = e.origin ? e.origin.fields || {} : {};
  const wording = fields.event_text || fields.text || "";
  return el("td", { class: "sentence imported" },
    el("span", { class: "clamp" }, wording ? `“${shorten(wording, 200)}” (imported record)` : "(imported record: no text)"));
}

function provenanceCell(e) {
  const imported = Boolean(e.origin);
  return el("td", { class: `provenance${imported ? " imported" : ""}`, title: imported
    ? `Imported: ${e.provenance}` : "Coded from text by Tidings" }, e.provenance);
}

/** Ask the aftermath view to study `e`'s dyad (countries when known) around `e`. */
export function requestAftermath(e) {
  const side = (actor) => (actor ? actor.country || actor.code : "");
  window.dispatchEvent(new CustomEvent("tidings:aftermath", { detail: {
    event: e.event_id, date: e.date || "", source: side(e.source), target: side(e.target) } }));
}

/** A button opening the aftermath view with `e` as trigger (dated events with a target). */
export function aftermathButton(e, label = "aftermath") {
  if (!e.date || !e.target) return null;
  return el("button", { type: "button", class: "to-aftermath", title:
    "Aftermath: how this dyad changed around this event",
  onclick: (event) => { event.stopPropagation(); requestAftermath(e); } }, label);
}

/** Table rows for `events`; `onOpen(event_id)` when a row is clicked or Enter is pressed. */
export function eventRows(events, onOpen) {
  return events.map((e) => {
    const open = () => onOpen(e.event_id);
    return el("tr", {
      tabindex: 0,
      dataset: { eventId: e.event_id, code: e.code, date: e.date || "", provenance: e.provenance },
      onclick: open,
      onkeydown: (event) => { if (event.key === "Enter") open(); },
    },
    el("td", { class: "code" }, e.date || "undated", " ", aftermathButton(e)),
    actorCell(e.source),
    el("td", { class: "code", title: e.quad_class_name || "" },
      el("span", { class: `q-badge q${e.quad_class}` }), `${e.code} `,
      el("span", {}, e.label || "")),
    actorCell(e.target),
    el("td", {}, e.modality),
    el("td", {}, e.location ? e.location.name : "–"),
    provenanceCell(e),
    textCell(e));
  });
}

let nextCursor = null;

export const tableView = {
  panel: "table-panel",
  key: (ctx) => `${ctx.filterKey()}|${ctx.state.sort}`,
  load: (get, ctx) => get("/api/events", ctx.params({ sort: ctx.state.sort, limit: "50" })),
  draw(data, ctx) {
    const $ = (s) => document.querySelector(s);
    $("#events tbody").replaceChildren(...eventRows(data.events, ctx.openEvent));
    nextCursor = data.next_cursor;
    $("#more").hidden = !nextCursor;
    const total = data.total ?? data.events.length;
    $("#event-count").textContent = `${total.toLocaleString("en")} events`;
    $("#summary").textContent = `${total.toLocaleString("en")} events match`;
    return data.events.length ? "" : "No events match these filters.";
  },
  init(ctx) {
    const button = document.querySelector("#more");
    button.addEventListener("click", async () => {
      if (!nextCursor) return;
      button.disabled = true;
      try {
        const params = ctx.params({ sort: ctx.state.sort, limit: "50", cursor: nextCursor });
        const data = await getJSON("/api/events", params);
        document.querySelector("#events tbody").append(...eventRows(data.events, ctx.openEvent));
        nextCursor = data.next_cursor;
        button.hidden = !nextCursor;
      } catch (error) {
        setStatus(document.getElementById("table-panel"), "error", `Could not load more: ${error.message}`);
      } finally {
        button.disabled = false;
      }
    });
  },
};
