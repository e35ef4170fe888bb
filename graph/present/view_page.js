// serokg viewer: builds tooltips, filters, search and highlighting around a vis-network graph.
// Every text from the data goes into the page through textContent, never innerHTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("serokg-data").textContent);
  const metaN = data.meta.nodes, metaE = data.meta.edges;
  const t0 = performance.now();

  const P = window.serokgPage, el = P.el, link = P.link, row = P.row;
  const details = document.getElementById("details"), detailsBody = document.getElementById("details-body");
  let selected = null;  // the node whose neighbourhood is highlighted
  const edgeColor = {};
  data.edges.forEach(function (e) { edgeColor[e.id] = e.color.color; });

  function edgeTip(id) {
    const m = metaE[id];
    if (m.hierarchy) {
      const box = el("div", "tip");
      box.appendChild(el("div", "sentence", m.child + " is a site of " + m.parent));
      return box;
    }
    if (m.summary) return summaryCard(id, m);
    return P.claimCard(id, m, { color: edgeColor[id], classes: data.edgeClasses, elsewhere: data.elsewhere[m.source] });
  }
  function summaryCard(id, m) {
    // a summary edge: how many claims it stands for, by evidence level, its strongest, the query listing them
    const box = el("div", "tip sum-card");
    box.dataset.summary = id;
    box.appendChild(el("div", "sentence", m.sentence));
    box.appendChild(el("div", "badges")).appendChild(el("span", "badge plain",
      m.count + (m.count === 1 ? " claim" : " claims") + " summarised on this edge"));
    const dl = el("dl");
    row(dl, "By evidence", m.levels.map(function (x) { return x[1] + ": " + x[2]; }).join(", "));
    box.appendChild(dl);
    box.appendChild(el("div", "small", "Strongest of them:"));
    const ol = el("ol");
    m.examples.forEach(function (x) {
      const li = el("li", null, x.sentence);
      li.appendChild(el("span", "small", " (" + [x.level, x.fidelity, x.year].filter(function (v) { return v; }).join(", ") + ") "));
      li.appendChild(el("span", "id", x.id));
      ol.appendChild(li);
    });
    box.appendChild(ol);
    const also = [];
    if (m.drawnToo) also.push("the " + m.drawnToo + " of this kind drawn one by one");
    if (m.below.length) also.push("those of the nodes below " + m.below.join(" and "));
    if (m.anyDirection) also.push("those with a direction");
    box.appendChild(el("div", "small", "List them" + (also.length ? " (with " + also.join(", ") + ")" : "") + ":"));
    box.appendChild(el("code", null, m.command));
    return box;
  }
  function nodeTip(id) {
    const m = metaN[id], n = nodeById[id], box = el("div", "tip");
    box.appendChild(el("div", "sentence", n.label));
    const dl = el("dl");
    if (m.focus) box.appendChild(el("div", "badges")).appendChild(el("span", "badge plain", "focus of this view"));
    row(dl, "Type", m.type_label);
    row(dl, "Site of", m.parent);
    row(dl, "Claims", m.in_view === undefined ? String(m.claims)
      : m.in_view + " in this neighbourhood, " + m.claims + " drawn one by one");
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
  const labelSize = {};  // node id -> font size now (the main nodes' labels grow as the view zooms out)
  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    original.nodes[n.id] = { color: n.color, font: n.font };
    labelSize[n.id] = n.font.size;
    return Object.assign({}, n, { title: nodeTip(n.id) });
  }));
  const edges = new vis.DataSet(data.edges.map(function (e) {
    original.edges[e.id] = { color: e.color, font: { color: "#37474f" }, width: e.width };
    return Object.assign({}, e, { title: edgeTip(e.id) });
  }));
  function nodeFont(id, dimmed) {
    return Object.assign({}, original.nodes[id].font, { size: labelSize[id] }, dimmed ? { color: "#c4c4c4" } : {});
  }

  // --- filters ---------------------------------------------------------------------------
  const visible = { nodes: new Set(data.nodes.map(function (n) { return n.id; })),
                    edges: new Set(data.edges.map(function (e) { return e.id; })) };
  const nodeView = new vis.DataView(nodes, { filter: function (n) { return visible.nodes.has(n.id); } });
  const edgeView = new vis.DataView(edges, { filter: function (e) { return visible.edges.has(e.id); } });

  const checked = P.checked;
  function applyFilters() {
    const f = { type: checked("type"), cls: checked("cls"), organism: checked("organism"),
                modality: checked("modality"), part: checked("part"), level: checked("level") };
    const vn = new Set(), ve = new Set(), sites = [];
    data.edges.forEach(function (e) {
      const m = metaE[e.id];
      if (m.hierarchy) { sites.push(e); return; }
      if (m.summary ? !f.cls.has(m.cls) : !P.claimPasses(m, f) || !f.organism.has(m.organism_id)) return;
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
    ve.forEach(function (id) { if (!metaE[id].hierarchy && !metaE[id].summary) claims++; });
    document.getElementById("count-nodes").textContent = String(vn.size);
    document.getElementById("count-edges").textContent = String(claims);
    if (selected && !vn.has(selected)) clearHighlight();
    else if (selected) highlight(selected);
  }
  P.wireFilters(applyFilters);
  document.getElementById("reset").addEventListener("click", function () {
    P.resetFilters();
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
    sizeLabels();
    openFromHash();
  }

  // --- labels by zoom: the main nodes' labels stay readable, the others show once zoomed in ----
  // the neighbourhood of the chosen node is labelled too
  function sizeLabels() {
    const scale = network.getScale(), changed = [];
    const near = selected === null ? null : neighbourhood(selected);
    data.nodes.forEach(function (n) {
      const id = n.id, base = original.nodes[id].font.size;
      const wanted = metaN[id].main || (near !== null && near.has(id));
      const size = wanted ? Math.round(Math.max(base, Math.min(data.minLabelPx / scale, base * 4))) : base;
      if (size !== labelSize[id]) { labelSize[id] = size; changed.push(id); }
    });
    if (!changed.length) return;
    nodes.update(changed.map(function (id) {
      // a label that grows keeps its line length: the box around it widens with it
      return { id: id, font: nodeFont(id, near !== null && !near.has(id)),
               widthConstraint: { maximum: Math.round(220 * labelSize[id] / original.nodes[id].font.size) } };
    }));
  }
  network.on("zoom", sizeLabels);
  network.on("stabilizationProgress", function (p) {
    document.getElementById("loading").textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  network.setData({ nodes: nodeView, edges: edgeView });
  if (!data.nodes.length) { settled(); document.getElementById("loading").hidden = false;
    document.getElementById("loading").textContent = "No claims match the filters given to serokg view."; }

  // --- highlight and details -------------------------------------------------------------
  function neighbourhood(id) {
    const near = new Set(network.getConnectedNodes(id)); near.add(id);
    return near;
  }
  function highlight(id) {
    selected = id;
    const near = neighbourhood(id);
    const touching = new Set(network.getConnectedEdges(id));
    nodes.update(data.nodes.map(function (n) {
      return near.has(n.id) ? { id: n.id, color: original.nodes[n.id].color, font: nodeFont(n.id, false) }
        : { id: n.id, color: { background: data.dim, border: "#cfcfcf" }, font: nodeFont(n.id, true) };
    }));
    edges.update(data.edges.map(function (e) {
      // a hub's pale edges come back in full when one of their ends is chosen
      return touching.has(e.id) ? { id: e.id, color: Object.assign({}, original.edges[e.id].color, { opacity: 1 }),
                                    font: original.edges[e.id].font, width: Math.max(2, original.edges[e.id].width) }
        : { id: e.id, color: { color: data.dim, highlight: data.dim, hover: data.dim }, font: { color: "#e2e2e2" },
            width: original.edges[e.id].width };
    }));
    sizeLabels();
  }
  function clearHighlight() {
    if (selected === null) return;
    selected = null;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: original.nodes[n.id].color, font: nodeFont(n.id, false) }; }));
    edges.update(data.edges.map(function (e) {
      return { id: e.id, color: original.edges[e.id].color, font: original.edges[e.id].font, width: original.edges[e.id].width };
    }));
    sizeLabels();
  }
  function showDetails(box) { detailsBody.replaceChildren(box); details.hidden = false; hideTooltip(); }
  function hideDetails() { details.hidden = true; detailsBody.replaceChildren(); }
  document.getElementById("details-close").addEventListener("click", hideDetails);

  // a hover card never covers the pinned one: it moves above or beside it, or stays hidden
  function tooltip() { return container.querySelector("div.vis-tooltip"); }
  function hideTooltip() { const tip = tooltip(); if (tip) tip.style.visibility = "hidden"; }
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function keepOffCard() {
    const tip = tooltip();
    if (!tip || details.hidden || tip.style.visibility === "hidden") return;
    const d = details.getBoundingClientRect(), area = container.getBoundingClientRect();
    let t = tip.getBoundingClientRect();
    if (!overlaps(t, d)) return;
    if (d.top - t.height - 6 >= area.top) tip.style.top = (d.top - t.height - 6 - area.top) + "px";
    else if (d.right + 6 + t.width <= area.right) tip.style.left = (d.right + 6 - area.left) + "px";
    t = tip.getBoundingClientRect();
    if (overlaps(t, d)) tip.style.visibility = "hidden";
  }
  network.on("showPopup", keepOffCard);

  function showClaim(id) {
    // open a claim's card and bring its edge into view (from a search, a link or #claim=ID)
    const notice = document.getElementById("claim-notice");
    notice.hidden = true;
    if (!metaE[id] || metaE[id].hierarchy || metaE[id].summary) {
      notice.textContent = "The claim “" + id + "” is not in this view.";
      notice.hidden = false;
      return false;
    }
    if (!visible.edges.has(id)) {
      notice.textContent = "The claim “" + id + "” is hidden by the filters.";
      notice.hidden = false;
      return false;
    }
    clearHighlight();
    network.selectEdges([id]);
    showDetails(edgeTip(id));
    const e = edges.get(id);
    network.fit({ nodes: [e.from, e.to], maxZoomLevel: 1.2, animation: false });
    state.shownClaim = id;
    return true;
  }
  function showSummary(id) {
    // open a summary edge's card, as a click on it does
    if (!metaE[id] || !metaE[id].summary) return false;
    clearHighlight();
    network.selectEdges([id]);
    showDetails(edgeTip(id));
    return true;
  }
  function openFromHash() {
    const id = P.claimFromHash();
    if (id !== null) showClaim(id);
  }
  window.addEventListener("hashchange", function () { if (state.stabilized) openFromHash(); });

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
    showDetails(nodeTip(n.id));  // pinned until closed
    // zoom to the neighbourhood, then put the node at the centre of the canvas left free by the card
    const around = network.getConnectedNodes(n.id).concat([n.id]);
    network.fit({ nodes: around, maxZoomLevel: 1.6, animation: false });
    const cardHeight = details.getBoundingClientRect().height + 10;
    network.moveTo({ position: network.getPositions([n.id])[n.id], scale: network.getScale() * 0.85,
                     offset: { x: 0, y: -cardHeight / 2 }, animation: false });
    sizeLabels();
    state.found = n.id;
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
    applyFilters: applyFilters, search: search, highlight: highlight, showClaim: showClaim, showSummary: showSummary,
    labelPx: function (id) { return labelSize[id] * network.getScale(); },
    tooltip: tooltip,
    counts: function () {
      return { nodes: nodeView.length, edges: edgeView.length,
               drawnNodes: network.body.nodeIndices.length, drawnEdges: network.body.edgeIndices.length };
    },
  };
})();
