// Event detail: what was coded, why (trigger, rule, modality, date and place explained), every
// mention of the same happening, and the source article with the event's sentence highlighted.

import { el } from "./dom.js";
import { aftermathButton } from "./table.js";

/** The sentence text with the trigger words emphasised (first case-insensitive match). */
function withTrigger(text, trigger) {
  const at = trigger ? text.toLowerCase().indexOf(trigger.toLowerCase()) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el("strong", { class: "trigger" }, text.slice(at, at + trigger.length)),
    text.slice(at + trigger.length)];
}

/** A paragraph's text with its sentences marked: the event's, and other mentions'. */
function paragraphContent(paragraph, marks, trigger) {
  const parts = [];
  let position = 0;
  for (const span of paragraph.sentences) {
    const kind = marks.get(span.index);
    if (!kind || span.start === null) continue;
    parts.push(paragraph.text.slice(position, span.start));
    const text = paragraph.text.slice(span.start, span.end);
    parts.push(kind === "event"
      ? el("mark", { class: "event-sentence", dataset: { sentence: span.index } },
        ...withTrigger(text, trigger))
      : el("mark", { class: "mention", dataset: { sentence: span.index } }, text));
    position = span.end;
  }
  parts.push(paragraph.text.slice(position));
  return parts;
}

function articleView(article, marks, trigger) {
  const titleMark = marks.get(article.title_sentence);
  const title = titleMark === "event"
    ? el("mark", { class: "event-sentence", dataset: { sentence: article.title_sentence } },
      ...withTrigger(article.title, trigger))
    : article.title;
  const meta = [article.outlet, article.date, article.authors.join(", ")].filter(Boolean).join(" · ");
  return el("article", { class: "article", dataset: { docId: article.doc_id } },
    el("h3", {}, title || "(untitled)"),
    el("p", { class: "meta" }, meta, article.url ? " · " : "",
      article.url ? el("a", { href: article.url, target: "_blank", rel: "noopener noreferrer" },
        "original") : ""),
    ...article.paragraphs.map((p) => el("p", { class: p.kind }, ...paragraphContent(p, marks, trigger))));
}

function fact(label, value, why) {
  return [el("dt", {}, label), el("dd", {}, value, why ? el("span", { class: "why" }, why) : "")];
}

function actorText(actor) {
  if (!actor) return "–";
  return `${actor.code}${actor.text ? ` (“${actor.text}”)` : ""}`;
}

/** The facts of an imported event: its origin and original fields instead of a coding. */
function importedFacts(e, why) {
  const origin = e.origin;
  const fields = Object.entries(origin.fields || {});
  if (origin.external_id) fields.unshift(["id in the dataset", origin.external_id]);
  return [
    fact("Origin", `Imported: ${e.provenance}`, why.origin),
    fact("Fields", fields.length
      ? el("dl", { class: "original-fields" }, ...fields.flatMap(([k, v]) => [
        el("dt", {}, k), el("dd", {}, typeof v === "object" ? JSON.stringify(v) : String(v))]))
      : "none kept by the import"),
  ];
}

function mentionText(m) {
  if (m.sentence) return `: ${m.sentence}`;
  return m.origin ? ` (imported: ${m.provenance})` : "";
}

/** Fill `container` with the /api/events/{id} response; `onOpen(id)` opens another mention. */
export function renderEvent(container, detail, onOpen) {
  const e = detail.event;
  const why = e.explain;
  const imported = Boolean(e.origin);
  const heading = `${e.source.code} → ${e.target ? e.target.code : "–"} · ${e.code} ${e.label || ""}`;
  const mentions = detail.mentions.filter((m) => m.event_id !== e.event_id);
  const facts = [
    el("dl", { class: "facts" },
      fact("Source", actorText(e.source)),
      fact("Target", actorText(e.target)),
      fact("Event", `${e.code} ${e.label || ""} — ${e.quad_class_name || ""}, Goldstein ${e.goldstein}`),
      fact("Date", e.date ? `${e.date} (${e.date_precision})` : "undated", why.date),
      imported ? importedFacts(e, why) : [
        fact("Modality", e.modality, why.modality),
        fact("Trigger", `“${e.evidence.trigger}” · rule ${e.evidence.rule}`, why.rule)],
      fact("Place", e.location ? e.location.name : "–", why.place)),
    aftermathButton(e, "Aftermath of this event"),
  ];
  if (mentions.length) {
    facts.push(el("h3", {}, `Other mentions (${mentions.length})`),
      el("ul", { class: "mentions" }, ...mentions.map((m) => el("li", {},
        el("a", { href: "#", onclick: (event) => { event.preventDefault(); onOpen(m.event_id); } },
          `${m.source.code} → ${m.target ? m.target.code : "–"} (${m.date})`),
        mentionText(m)))));
  }
  const texts = [];
  for (const doc of Object.keys(detail.articles)) {
    const article = detail.articles[doc];
    if (!article) continue;
    const marks = new Map();
    for (const m of detail.mentions) if (m.doc_id === doc) marks.set(m.sentence_index, "mention");
    if (e.doc_id === doc) marks.set(e.sentence_index, "event");
    texts.push(articleView(article, marks, e.evidence.trigger));
  }
  if (!detail.articles[e.doc_id]) {
    if (imported) {
      texts.unshift(el("div", { class: "article imported-record" },
        el("h3", {}, `Imported record from ${e.origin.file || e.provenance}`),
        e.sentence ? el("blockquote", {}, e.sentence) : "",
        el("p", { class: "meta" }, e.sentence
          ? "The text above is the dataset's; there is no article for it in this store."
          : "Not coded from text: the dataset gives no sentence, and there is no article "
            + "for it in this store."),
        e.article.url ? el("p", { class: "meta" }, el("a", {
          href: e.article.url, target: "_blank", rel: "noopener noreferrer" }, "source")) : ""));
    } else {
      texts.unshift(el("blockquote", { class: "article" },
        el("mark", { class: "event-sentence" }, ...withTrigger(e.sentence, e.evidence.trigger)),
        el("p", { class: "meta" }, "The source article is not in this store.")));
    }
  }
  container.replaceChildren(
    el("h2", { id: "event-title" }, heading),
    el("div", { class: "event-grid", dataset: { provenance: e.provenance } },
      el("aside", { class: "event-facts" }, ...facts),
      el("div", { class: "event-texts" }, ...texts)),
  );
}
