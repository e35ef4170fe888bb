// serokg viewer: builds tooltips, filters, search and highlighting around a vis-network graph.
// Every text from the data goes into the page through textContent, never innerHTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("serokg-data").textContent);
  const metaN = data.meta.nodes, metaE = data.meta.edges;
  const t0 = performance.now();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function link(text, url) {
    // only addresses the page built itself (https resolvers); anything else stays text
    if (typeof url !== "string" || !url.startsWith("https://")) return el("span", null, text);
    const a = el("a", null, text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function row(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    const dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    dl.appendChild(dd);
  }
  const edgeColor = {};
  data.edges.forEach(function (e) { edgeColor[e.id] = e.color.color; });

  function edgeTip(id) {
    const m = metaE[id], box = el("div", "tip");
    if (m.hierarchy) {
      box.appendChild(el("div", "sentence", m.child + " is a site of " + m.parent));
      return box;
    }
    box.appendChild(el("div", "sentence", m.sentence));
    const badges = el("div", "badges");
    const b = el("span", "badge", data.edgeClasses[m.cls]); b.style.background = edgeColor[id]; badges.appendChild(b);
    if (m.modality !== "asserted") badges.appendChild(el("span", "badge plain", m.modality));
    if (m.negated) badges.appendChild(el("span", "badge plain", "negated"));
    if (m.evidence) badges.appendChild(el("span", "badge plain", m.evidence));
    if (m.conflicts && m.conflicts.length) badges.appendChild(el("span", "badge conflict", "in conflict"));
    box.appendChild(badges);
    const dl = el("dl");
    row(dl, "Organism", m.organism ? m.organism + " (" + m.basis + (m.system ? ", " + m.system : "") + ")" : "not stated");
    row(dl, "Anatomy", m.anatomy);
    row(dl, "Regimen", m.regimen);
    row(dl, "Dose", m.dose);
    row(dl, "Condition", m.condition);
    row(dl, "Modality", m.modality);
    row(dl, "Citation", m.marker || "none");
    if (m.reference) {
      const r = el("span");
      r.appendChild(link(m.reference.text, m.reference.url));
      r.appendChild(el("span", "where", " " + m.reference.ident + ", " + m.reference.confidence + " confidence"));
      row(dl, "Reference", r);
    } else if (m.marker) {
      row(dl, "Reference", "not resolved");
    }
    row(dl, "Fidelity", m.fidelity + ": " + m.fidelity_reason);
    row(dl, "Note", m.note);
    if (m.conflicts && m.conflicts.length) {
      const list = el("ul", "conflicts");
      m.conflicts.forEach(function (c) {
        const li = el("li", null, c.against);
        li.appendChild(el("span", "where", " \u2014 " + c.explanation));
        list.appendChild(li);
      });
      row(dl, "Conflicts with", list);
    }
    box.appendChild(dl);
    box.appendChild(el("blockquote", "quote", "\u201c" + m.quote + "\u201d"));
    box.appendChild(el("div", "where", (m.part === "comment" ? "reader comment by " + m.commenter : "article") +
      ", section \u201c" + m.section + "\u201d"));
    box.appendChild(el("div", "id", id));
    return box;
  }
  function nodeTip(id) {
    const m = metaN[id], n = nodeById[id], box = el("div", "tip");
    box.appendChild(el("div", "sentence", n.label));
    const dl = el("dl");
    row(dl, "Type", m.type_label);
    row(dl, "Site of", m.parent);
    row(dl, "Claims", String(m.claims));
    row(dl, "Also called", m.synonyms);
    if (m.xrefs.length) {
      const ids = el("span");
      m.xrefs.forEach(function (x, i) { if (i) ids.appendChild(document.createTextNode(", ")); ids.appendChild(link(x[0], x[1])); });
      row(dl, "Identifiers", ids);
    }
    row(dl, "About", m.description);
    box.appendChild(dl);
    box.appendChild(el("div", "id", id));
    return box;
  }

  const nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  const original = { nodes: {}, edges: {} };
  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    original.nodes[n.id] = { color: n.color, font: n.font };
    return Object.assign({}, n, { title: nodeTip(n.id) });
  }));
  const edges = new vis.DataSet(data.edges.map(function (e) {
    original.edges[e.id] = { color: e.color, font: { color: "#37474f" } };
    return Object.assign({}, e, { title: edgeTip(e.id) });
  }));

  // --- filters ---------------------------------------------------------------------------
  const visible = { nodes: new Set(data.nodes.map(function (n) { return n.id; })),
                    edges: new Set(data.edges.map(function (e) { return e.id; })) };
  const nodeView = new vis.DataView(nodes, { filter: function (n) { return visible.nodes.has(n.id); } });
  const edgeView = new vis.DataView(edges, { filter: function (e) { return visible.edges.has(e.id); } });

  function checked(facet) {
    // a facet the page has no boxes for lets everything through
    const boxes = document.querySelectorAll('input[type=checkbox][data-facet="' + facet + '"]');
    if (!boxes.length) return { has: function () { return true; } };
    const s = new Set();
    boxes.forEach(function (c) { if (c.checked) s.add(c.value); });
    return s;
  }
  function applyFilters() {
    const f = { type: checked("type"), cls: checked("cls"), organism: checked("organism"),
                modality: checked("modality"), part: checked("part"), level: checked("level") };
    const vn = new Set(), ve = new Set(), sites = [];
    data.edges.forEach(function (e) {
      const m = metaE[e.id];
      if (m.hierarchy) { sites.push(e); return; }
      if (!f.cls.has(m.cls) || !f.organism.has(m.organism_id) || !f.modality.has(m.modality) || !f.part.has(m.part) ||
          !f.level.has(m.level)) return;
      if (!f.type.has(metaN[e.from].type) || !f.type.has(metaN[e.to].type)) return;
      ve.add(e.id); vn.add(e.from); vn.add(e.to);
    });
    let grew = true;
    while (grew) {  // a shown site brings its receptor, and that receptor its own parent
      grew = false;
      sites.forEach(function (e) {
        if (vn.has(e.from) && !ve.has(e.id) && f.type.has(metaN[e.to].type)) { ve.add(e.id); if (!vn.has(e.to)) { vn.add(e.to); grew = true; } }
      });
    }
    visible.nodes = vn; visible.edges = ve;
    nodeView.refresh(); edgeView.refresh();
    let claims = 0;
    ve.forEach(function (id) { if (!metaE[id].hierarchy) claims++; });
    document.getElementById("count-nodes").textContent = String(vn.size);
    document.getElementById("count-edges").textContent = String(claims);
    if (selected && !vn.has(selected)) clearHighlight();
    else if (selected) highlight(selected);
  }
  document.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (c) { c.addEventListener("change", applyFilters); });
  document.querySelectorAll("legend button").forEach(function (b) {
    b.addEventListener("click", function () {
      const on = b.classList.contains("all");
      document.querySelectorAll('input[type=checkbox][data-facet="' + b.dataset.facet + '"]').forEach(function (c) { c.checked = on; });
      applyFilters();
    });
  });
  document.getElementById("reset").addEventListener("click", function () {
    document.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (c) { c.checked = true; });
    applyFilters(); clearHighlight(); hideDetails(); network.fit({ animation: { duration: 300 } });
  });

  // --- network ---------------------------------------------------------------------------
  const container = document.getElementById("graph");
  const network = new vis.Network(container, {}, data.options);
  const state = { stabilized: false, settleMs: null };
  function settled() {
    if (state.stabilized) return;
    network.setOptions({ physics: { enabled: false } });  // a layout that stays where the reader left it
    state.stabilized = true;
    state.settleMs = Math.round(performance.now() - t0);
    document.getElementById("loading").hidden = true;
  }
  network.on("stabilizationProgress", function (p) {
    document.getElementById("loading").textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  network.setData({ nodes: nodeView, edges: edgeView });
  if (!data.nodes.length) { settled(); document.getElementById("loading").hidden = false;
    document.getElementById("loading").textContent = "No claims match the filters given to serokg view."; }

  // --- highlight and details -------------------------------------------------------------
  let selected = null;
  function highlight(id) {
    selected = id;
    const near = new Set(network.getConnectedNodes(id)); near.add(id);
    const touching = new Set(network.getConnectedEdges(id));
    nodes.update(data.nodes.map(function (n) {
      return near.has(n.id) ? { id: n.id, color: original.nodes[n.id].color, font: original.nodes[n.id].font }
        : { id: n.id, color: { background: data.dim, border: "#cfcfcf" }, font: { color: "#c4c4c4" } };
    }));
    edges.update(data.edges.map(function (e) {
      return touching.has(e.id) ? { id: e.id, color: original.edges[e.id].color, font: original.edges[e.id].font }
        : { id: e.id, color: { color: data.dim, highlight: data.dim, hover: data.dim }, font: { color: "#e2e2e2" } };
    }));
  }
  function clearHighlight() {
    if (selected === null) return;
    selected = null;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: original.nodes[n.id].color, font: original.nodes[n.id].font }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: original.edges[e.id].color, font: original.edges[e.id].font }; }));
  }
  const details = document.getElementById("details"), detailsBody = document.getElementById("details-body");
  function showDetails(box) { detailsBody.replaceChildren(box); details.hidden = false; }
  function hideDetails() { details.hidden = true; detailsBody.replaceChildren(); }
  document.getElementById("details-close").addEventListener("click", hideDetails);

  network.on("click", function (p) {
    if (p.nodes.length) { highlight(p.nodes[0]); showDetails(nodeTip(p.nodes[0])); }
    else if (p.edges.length) { clearHighlight(); showDetails(edgeTip(p.edges[0])); }
    else { clearHighlight(); hideDetails(); }
  });

  // --- search ----------------------------------------------------------------------------
  const result = document.getElementById("search-result");
  function search() {
    const q = document.getElementById("search").value.trim().toLowerCase();
    if (!q) { result.textContent = ""; return; }
    const names = function (n) { return [n.label, n.id].concat(metaN[n.id].synonyms).map(function (s) { return s.toLowerCase(); }); };
    let hits = data.nodes.filter(function (n) { return names(n).indexOf(q) >= 0; });
    if (!hits.length) hits = data.nodes.filter(function (n) { return names(n).some(function (s) { return s.indexOf(q) >= 0; }); });
    const shown = hits.filter(function (n) { return visible.nodes.has(n.id); });
    if (!hits.length) { result.textContent = "No node matches \u201c" + q + "\u201d."; return; }
    if (!shown.length) { result.textContent = hits[0].label + " is hidden by the filters."; return; }
    const n = shown[0];
    result.textContent = shown.length > 1 ? n.label + " (1 of " + shown.length + " matches: " +
      shown.slice(1, 4).map(function (h) { return h.label; }).join(", ") + (shown.length > 4 ? ", \u2026" : "") + ")" : n.label;
    network.selectNodes([n.id]);
    highlight(n.id);
    showDetails(nodeTip(n.id));
    const around = network.getConnectedNodes(n.id).concat([n.id]);
    network.fit({ nodes: around, maxZoomLevel: 1.6, animation: { duration: 400 } });
  }
  document.getElementById("search-go").addEventListener("click", search);
  document.getElementById("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(); });
  document.getElementById("search").addEventListener("change", search);

  // --- toggles ---------------------------------------------------------------------------
  const labels = document.getElementById("show-labels");
  labels.checked = !data.labelsHidden;
  labels.addEventListener("change", function () {
    edges.update(data.edges.map(function (e) { return { id: e.id, label: labels.checked && !metaE[e.id].hierarchy ? metaE[e.id].label : "" }; }));
  });
  const conflicts = document.getElementById("show-conflicts");
  if (conflicts) {
    const inConflict = new Set(data.conflicts);
    conflicts.addEventListener("change", function () {
      edges.update(data.edges.filter(function (e) { return inConflict.has(e.id); }).map(function (e) {
        return { id: e.id, shadow: conflicts.checked ? { enabled: true, color: "#ffd600", size: 14, x: 0, y: 0 } : { enabled: false },
                 width: conflicts.checked ? 4 : e.width };
      }));
    });
  }

  window.serokg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
    applyFilters: applyFilters, search: search, highlight: highlight,
    counts: function () {
      return { nodes: nodeView.length, edges: edgeView.length,
               drawnNodes: network.body.nodeIndices.length, drawnEdges: network.body.edgeIndices.length };
    },
  };
})();
