// serokg reading page: the source text built from its segments, each claim highlighted on its words.
// Every text from the data goes into the page through textContent, never innerHTML.
(function () {
  "use strict";
  const P = window.serokgPage, el = P.el;
  const data = JSON.parse(document.getElementById("serokg-data").textContent);
  const t0 = performance.now();
  const claims = data.claims, order = data.order, sets = data.claimSets;
  const rank = {};
  order.forEach(function (id, i) { rank[id] = i; });
  const state = { ready: false, readyMs: null, shown: new Set(order), current: null };

  // --- the text ----------------------------------------------------------------------------------
  const article = document.getElementById("text");
  const highlights = [];       // every <mark>, with the claim ids it holds
  const firstMark = {};        // claim id -> its first <mark> (where links land)
  const length = {};           // claim id -> characters of its evidence (the shortest claim leads a segment's style)
  Object.keys(claims).forEach(function (id) { length[id] = claims[id].quote.length; });
  const frag = document.createDocumentFragment();
  data.regions.forEach(function (region) {
    const counted = region.part === "body" || region.part === "comment";
    const holdsClaims = region.segs.some(function (s) { return s[2] >= 0; });
    let box;
    if (counted) {
      box = el("section", "region part-" + region.part);
      box.appendChild(el("h2", null, region.label));
    } else {  // a site footer or the text between parts: muted, folded away unless a claim sits in it
      box = el("details", "region part-other");
      box.open = holdsClaims;
      box.appendChild(el("summary", null, region.label + " (not part of the article" + (holdsClaims ? ")" : "; no claims)")));
    }
    box.dataset.part = region.part;
    region.segs.forEach(function (seg) {
      const text = seg[0], sentence = seg[1] >= 0 ? data.sentences[seg[1]] : null, set = seg[2], marker = seg[3];
      let node;
      if (set >= 0) {
        node = el("mark", "hl", text);
        node.dataset.claim = sets[set].join(" ");
        node.tabIndex = 0;
        highlights.push(node);
        sets[set].forEach(function (id) { if (!firstMark[id]) firstMark[id] = node; });
      } else if (marker >= 0 || (sentence && sentence[0] !== "sentence") || (sentence && !sentence[2] && counted)) {
        node = el("span", null, text);
      } else {
        box.appendChild(document.createTextNode(text));
        return;
      }
      if (marker >= 0) {
        node.classList.add("marker");
        node.dataset.marker = String(marker);
        if (set < 0) node.tabIndex = 0;
      }
      if (sentence && sentence[0] !== "sentence") node.classList.add(sentence[0]);
      if (sentence && sentence[0] === "sentence" && !sentence[2] && counted) {
        node.classList.add("uncovered");
        node.dataset.sentence = String(seg[1]);
      }
      box.appendChild(node);
    });
    frag.appendChild(box);
  });
  article.replaceChildren(frag);

  // --- how a highlight looks, for the claims the filters leave ------------------------------------
  const MODALITY_WEIGHT = { speculative: 3, hedged: 2, anecdotal: 1, asserted: 0 };
  function styleMark(node) {
    const ids = node.dataset.claim.split(" ").filter(function (id) { return state.shown.has(id); });
    node.className = node.className.replace(/\b(off|multi|deny-start|m-\w+)\b/g, "").trim();
    node.style.background = "";
    node.style.textDecorationColor = "";
    node.dataset.shown = ids.join(" ");
    if (!ids.length) { node.classList.add("off"); return; }
    ids.sort(function (a, b) { return length[a] - length[b] || rank[a] - rank[b]; });
    const lead = claims[ids[0]];
    // the weakest commitment among the claims on these words sets the underline
    let modality = lead.modality;
    ids.forEach(function (id) { if (MODALITY_WEIGHT[claims[id].modality] > MODALITY_WEIGHT[modality]) modality = claims[id].modality; });
    node.classList.add("m-" + modality);
    node.style.textDecorationColor = lead.color;
    const colours = [];
    ids.forEach(function (id) { if (colours.indexOf(claims[id].color) < 0) colours.push(claims[id].color); });
    if (colours.length === 1) node.style.background = colours[0] + "2e";
    else {  // one band per effect, top to bottom
      const stops = colours.map(function (c, i) {
        return c + "40 " + (100 * i / colours.length) + "% " + (100 * (i + 1) / colours.length) + "%";
      });
      node.style.background = "linear-gradient(to bottom, " + stops.join(", ") + ")";
    }
    if (ids.length > 1) node.classList.add("multi");
    if (ids.some(function (id) { return claims[id].negated && firstMark[id] === node; })) node.classList.add("deny-start");
  }

  // --- the side list ------------------------------------------------------------------------------
  const list = document.getElementById("claim-list");
  const items = {};
  order.forEach(function (id) {
    const m = claims[id], li = el("li");
    li.dataset.claim = id;
    li.dataset.cls = m.cls;
    li.appendChild(el("span", null, (m.negated ? "\u2298 " : "") + m.sentence));
    li.appendChild(el("span", "where", " \u2014 " + (m.modality !== "asserted" ? m.modality + ", " : "") +
      (m.part === "comment" ? "comment by " + m.commenter : m.section)));
    li.addEventListener("click", function () { openClaims([id], true); });
    items[id] = li;
    list.appendChild(li);
  });

  // --- filters ------------------------------------------------------------------------------------
  function applyFilters() {
    const f = { cls: P.checked("cls"), modality: P.checked("modality"), part: P.checked("part"), level: P.checked("level") };
    state.shown = new Set(order.filter(function (id) { return P.claimPasses(claims[id], f); }));
    highlights.forEach(styleMark);
    order.forEach(function (id) { items[id].hidden = !state.shown.has(id); });
    document.getElementById("count-claims").textContent = String(state.shown.size);
  }
  P.wireFilters(applyFilters);
  document.getElementById("reset").addEventListener("click", function () { P.resetFilters(); applyFilters(); });
  document.getElementById("show-uncovered").addEventListener("change", function (ev) {
    article.classList.toggle("show-uncovered", ev.target.checked);
  });
  document.getElementById("show-markers").addEventListener("change", function (ev) {
    article.classList.toggle("no-markers", !ev.target.checked);
  });

  // --- cards --------------------------------------------------------------------------------------
  const details = document.getElementById("details"), body = document.getElementById("details-body");
  const notice = document.getElementById("claim-notice");
  function markerCard(k) {
    const mk = data.markers[k], box = el("div", "tip marker-card");
    box.dataset.marker = mk.id || "";
    box.appendChild(el("div", "sentence", "Citation marker " + (mk.id || "(not numbered)")));
    const dl = el("dl");
    if (mk.refs.length) {
      mk.refs.forEach(function (r) {
        const span = el("span");
        span.appendChild(P.link(r.text, r.url));
        span.appendChild(el("span", "where", " " + r.ident + ", " + r.confidence + " confidence"));
        P.row(dl, "Reference", span);
      });
    } else {
      P.row(dl, "Reference", mk.id ? "not resolved (the article's link was lost)" : "unknown");
    }
    P.row(dl, "Cited by", mk.claims.length ? mk.claims.length + " claim" + (mk.claims.length > 1 ? "s" : "") : "no claim");
    box.appendChild(dl);
    return box;
  }
  function setCurrent(ids) {
    document.querySelectorAll("mark.hl.current, #claim-list li.current").forEach(function (n) { n.classList.remove("current"); });
    ids.forEach(function (id) {
      highlights.forEach(function (h) { if (h.dataset.claim.split(" ").indexOf(id) >= 0) h.classList.add("current"); });
      if (items[id]) items[id].classList.add("current");
    });
  }
  function openClaims(ids, scroll, marker) {
    const boxes = [];
    if (marker !== undefined && marker !== null) boxes.push(markerCard(marker));
    if (ids.length > 1) boxes.push(el("div", "h", ids.length + " claims on these words"));
    ids.forEach(function (id) { boxes.push(P.claimCard(id, claims[id], { classes: data.edgeClasses, elsewhere: data.elsewhere })); });
    if (!boxes.length) return;
    body.replaceChildren.apply(body, boxes);
    details.hidden = false;
    details.scrollTop = 0;
    setCurrent(ids);
    state.current = ids.slice();
    if (scroll && ids.length && firstMark[ids[0]]) firstMark[ids[0]].scrollIntoView({ block: "center" });
    if (ids.length === 1 && items[ids[0]]) items[ids[0]].scrollIntoView({ block: "nearest" });
  }
  document.getElementById("details-close").addEventListener("click", function () {
    details.hidden = true; body.replaceChildren(); setCurrent([]); state.current = null;
  });
  function activate(target) {
    const mark = target.closest("mark.hl"), marker = target.closest(".marker");
    const k = marker && !article.classList.contains("no-markers") ? Number(marker.dataset.marker) : null;
    const ids = mark ? (mark.dataset.shown ? mark.dataset.shown.split(" ") : []) : [];
    if (!ids.length && k === null) return;
    ids.sort(function (a, b) { return rank[a] - rank[b]; });
    openClaims(ids, false, k);
  }
  article.addEventListener("click", function (ev) { activate(ev.target); });
  article.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); activate(ev.target); } });

  // "#claim=ID" (from the graph's claim card) opens that claim on its words
  function openFromHash() {
    const id = P.claimFromHash();
    notice.hidden = true;
    if (id === null) return;
    if (!claims[id]) {
      notice.textContent = "The claim \u201c" + id + "\u201d is not in this source.";
      notice.hidden = false;
      return;
    }
    if (!state.shown.has(id)) { P.resetFilters(); applyFilters(); }
    openClaims([id], true);
  }
  window.addEventListener("hashchange", openFromHash);

  applyFilters();
  openFromHash();
  state.ready = true;
  state.readyMs = Math.round(performance.now() - t0);
  window.serokg = {
    state: state, applyFilters: applyFilters, openClaims: openClaims,
    counts: function () {
      const ids = new Set();
      highlights.forEach(function (h) { h.dataset.claim.split(" ").forEach(function (id) { ids.add(id); }); });
      return { highlights: highlights.length, claims: ids.size, shown: state.shown.size,
               uncovered: article.querySelectorAll(".uncovered").length, markers: article.querySelectorAll(".marker").length };
    },
  };
})();
