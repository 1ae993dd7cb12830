"""Exports for other tools' views of the events: the actor network (GEXF) and a map (GeoJSON).

GEXF is what Gephi opens natively.  The graph is directed: nodes are actor
codes, an edge is a dyad (source code -> target code) whose weight is its
number of events, with the mean Goldstein value as an attribute, so Gephi can
size edges by volume and colour them from conflict to cooperation.  The XML
is built with :mod:`xml.etree` (no extra dependency); the stamp goes in
``<meta>`` and in a comment before the root element.

GeoJSON is a FeatureCollection of Points, one per event that has coordinates
(the others are counted and skipped); each feature's properties are the
event's JSONL object.  The stamp is the collection's foreign member
``"tidings"`` (RFC 7946 section 6.1), written last because the event count is
known only then.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from tidings.exchange._stamp import Stamp
from tidings.store import EventRecord

GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"


@dataclass
class _Node:
    country: str | None = None
    agent: str | None = None
    events: int = 0


@dataclass
class _Edge:
    events: int = 0
    goldstein: float = 0.0
    codes: dict[str, int] = field(default_factory=dict)


def write_gexf(records: Iterable[EventRecord], out: TextIO, stamp: Stamp) -> tuple[int, int]:
    """Write the actor network; return (events used, events skipped)."""
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str], _Edge] = {}
    used = 0
    for record in records:
        event = record.event
        used += 1
        for actor in (event.source, event.target):
            if actor is None:
                continue
            node = nodes.setdefault(actor.code, _Node(actor.country, actor.agent))
            node.events += 1
        if event.target is None:
            continue
        edge = edges.setdefault((event.source.code, event.target.code), _Edge())
        edge.events += 1
        edge.goldstein += event.goldstein
        edge.codes[event.root_code] = edge.codes.get(event.root_code, 0) + 1
    stamp.events = used

    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.2"})
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": stamp.exported_at[:10]})
    ET.SubElement(meta, "creator").text = f"Tidings {stamp.tidings}"
    ET.SubElement(meta, "description").text = stamp.line()
    graph = ET.SubElement(root, "graph", {"mode": "static", "defaultedgetype": "directed"})
    _attributes(graph, "node", [("country", "string"), ("agent", "string"), ("events", "integer")])
    _attributes(
        graph,
        "edge",
        [("events", "integer"), ("mean_goldstein", "double"), ("top_root_code", "string")],
    )
    xml_nodes = ET.SubElement(graph, "nodes")
    for code in sorted(nodes):
        node = nodes[code]
        element = ET.SubElement(xml_nodes, "node", {"id": code, "label": code})
        _values(element, [node.country or "", node.agent or "", str(node.events)])
    xml_edges = ET.SubElement(graph, "edges")
    for number, (pair, edge) in enumerate(sorted(edges.items())):
        element = ET.SubElement(
            xml_edges,
            "edge",
            {
                "id": f"e{number}",
                "source": pair[0],
                "target": pair[1],
                "weight": str(float(edge.events)),
            },
        )
        top = max(sorted(edge.codes), key=lambda code: edge.codes[code])
        _values(element, [str(edge.events), repr(edge.goldstein / edge.events), top])
    ET.indent(root)
    comment = stamp.line().replace("--", "- -")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f"<!-- {comment} -->\n")
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
    return used, 0


def _attributes(graph: ET.Element, kind: str, columns: list[tuple[str, str]]) -> None:
    element = ET.SubElement(graph, "attributes", {"class": kind})
    for index, (title, type_) in enumerate(columns):
        ET.SubElement(element, "attribute", {"id": str(index), "title": title, "type": type_})


def _values(element: ET.Element, values: list[str]) -> None:
    holder = ET.SubElement(element, "attvalues")
    for index, value in enumerate(values):
        if value != "":
            ET.SubElement(holder, "attvalue", {"for": str(index), "value": value})


def write_geojson(
    records: Iterable[EventRecord],
    out: TextIO,
    stamp: Stamp,
    properties: Callable[[EventRecord], dict[str, Any]],
) -> tuple[int, int]:
    """Write the events with coordinates as Points; return (written, skipped)."""
    written = skipped = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for record in records:
        place = record.event.location
        if place is None or place.lat is None or place.lon is None:
            skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": record.event.event_id,
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": properties(record),
        }
        out.write(",\n" if written else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        written += 1
    stamp.events = written
    out.write('\n], "tidings": ')
    out.write(json.dumps(stamp.as_dict(), ensure_ascii=False))
    out.write("}\n")
    return written, skipped
