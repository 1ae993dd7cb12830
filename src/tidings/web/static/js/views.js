// The dashboard's views, in page order. A view is a plain object (see `mount` in main.js):
//   panel     id of its <section> in index.html
//   chart     id of its chart container (optional: a view may draw anything inside its panel)
//   download  file stem for the PNG/SVG/CSV download buttons (optional; needs `table`)
//   key(ctx)  a string of everything it depends on: the view reloads when it changes
//   load(get, ctx)  fetch its data (`get` cancels the previous request of this view)
//   draw(data, ctx) draw; returns a status message ("" when all is well)
//   table(data)     {columns, rows} of what is drawn, for the CSV download (optional)
//   init(ctx)       wire controls once (optional)
// To add a view: write its module exporting such an object, add its <section> to index.html
// and list it here.

import { mapView } from "./map.js";
import { networkView } from "./network.js";
import { tableView } from "./table.js";
import { timelineView } from "./timeline.js";

export const VIEWS = [timelineView, networkView, mapView, tableView];
