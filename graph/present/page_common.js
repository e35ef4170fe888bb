// serokg pages: what the viewer and the reading page share: the claim card, links, the claim filters.
// Every text from the data goes into the page through textContent, never innerHTML.
(function () {
  "use strict";

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
  function pageLink(text, href, id) {
    // a relative link to the other serokg page, opened in this tab; serokg wrote the address
    // percent-encoded, so anything with a scheme or a host is refused as not ours
    if (typeof href !== "string" || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return el("span", null, text);
    const a = el("a", "page-link", text);
    a.href = href + "#claim=" + encodeURIComponent(id);
    return a;
  }
  function row(dl, name, value) {
    if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    const dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    dl.appendChild(dd);
  }
  function referenceRow(dl, m) {
    if (m.reference) {
      const r = el("span");
      r.appendChild(link(m.reference.text, m.reference.url));
      r.appendChild(el("span", "where", " " + m.reference.ident + ", " + m.reference.confidence + " confidence"));
      row(dl, "Reference", r);
    } else if (m.marker) {
      row(dl, "Reference", "not resolved");
    }
  }

  // The claim card: sentence, badges, organism and basis, context, citation and reference,
  // fidelity, conflicts, the verbatim quote and where it is said.  opts.color: the badge colour
  // (the edge's colour in the viewer); opts.classes: effect labels; opts.elsewhere: {href, text}
  // of the other page, linked as href#claim=ID.
  function claimCard(id, m, opts) {
    opts = opts || {};
    const box = el("div", "tip claim-card");
    box.dataset.claim = id;
    box.appendChild(el("div", "sentence", m.sentence));
    const badges = el("div", "badges");
    const b = el("span", "badge", (opts.classes || {})[m.cls] || m.label);
    b.style.background = opts.color || m.color;
    badges.appendChild(b);
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
    referenceRow(dl, m);
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
    if (opts.elsewhere && opts.elsewhere.href) {
      const p = el("div", "elsewhere");
      p.appendChild(pageLink(opts.elsewhere.text, opts.elsewhere.href, id));
      box.appendChild(p);
    }
    box.appendChild(el("div", "id", id));
    return box;
  }

  // --- filters: checkboxes data-facet="cls|modality|level|part|..." ------------------------------
  function checked(facet) {
    // a facet the page has no boxes for lets everything through
    const boxes = document.querySelectorAll('input[type=checkbox][data-facet="' + facet + '"]');
    if (!boxes.length) return { has: function () { return true; } };
    const s = new Set();
    boxes.forEach(function (c) { if (c.checked) s.add(c.value); });
    return s;
  }
  function claimPasses(m, f) {
    return f.cls.has(m.cls) && f.modality.has(m.modality) && f.part.has(m.part) && f.level.has(m.level);
  }
  function wireFilters(onChange) {
    document.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (c) { c.addEventListener("change", onChange); });
    document.querySelectorAll("legend button[data-facet]").forEach(function (b) {
      b.addEventListener("click", function () {
        const on = b.classList.contains("all");
        document.querySelectorAll('input[type=checkbox][data-facet="' + b.dataset.facet + '"]').forEach(function (c) { c.checked = on; });
        onChange();
      });
    });
  }
  function resetFilters() {
    document.querySelectorAll("input[type=checkbox][data-facet]").forEach(function (c) { c.checked = true; });
  }

  // "#claim=ID" names the claim a page opens on
  function claimFromHash() {
    const h = window.location.hash;
    if (!h.startsWith("#claim=")) return null;
    try { return decodeURIComponent(h.slice(7)); } catch (e) { return null; }
  }

  window.serokgPage = {
    el: el, link: link, pageLink: pageLink, row: row, claimCard: claimCard, checked: checked,
    claimPasses: claimPasses, wireFilters: wireFilters, resetFilters: resetFilters, claimFromHash: claimFromHash,
  };
})();
