/*
 * framewright default theme: client-side search.
 *
 * The search box in the header (and the one on search/) loads two scripts the first
 * time it is used: the MiniSearch library (static/vendor/minisearch.js) and the site's
 * documents (search-index.js, which assigns window.FRAMEWRIGHT_SEARCH). Scripts, not
 * fetch(), so that search also works when the site is opened from the file system.
 * No request leaves the site.
 *
 *  - "/" or "s" focuses the search box; arrow keys move through the results, Enter
 *    opens one, Escape closes the list (and then clears the box).
 *  - An identifier typed in full lists that item first; an identifier's start
 *    (ID.AM) lists the items below it next; then MiniSearch's ranked matches over
 *    ids, titles, descriptions, text and citations.
 *  - On the search page of a framework whose controls are marked with baselines, an
 *    "In baseline" choice (and ?baseline=NAME) keeps only the results in that baseline.
 */
(function () {
  "use strict";

  var doc = document;
  var GLOBAL = "FRAMEWRIGHT_SEARCH";
  var KIND_LABELS = {
    framework: "Framework", concept: "Concept", category: "Category",
    subcategory: "Subcategory", statement: "Statement", document: "Cited document"
  };
  // Document fields, by position in search-index.js.
  var ID = 0, TITLE = 1, KIND = 2, CONCEPT = 3, URL = 4, DESC = 5, LEAD = 6, WORDS = 7, CITE = 8;
  // Present only on items marked with baselines: their names, space-separated.
  var BASELINES = 9;

  var root = (doc.body && doc.body.getAttribute("data-root")) || "";
  var fileMode = window.location.protocol === "file:";

  /* Loading ---------------------------------------------------------------- */

  var state = "idle"; // idle | loading | indexing (ids searchable) | ready | failed
  var waiting = [];
  var partial = [];   // called when the documents are in (state "indexing")
  var engine = null;  // { mini, docs, kinds, byId }

  function loadScript(src, done) {
    var script = doc.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = function () { done(true); };
    script.onerror = function () { done(false); };
    doc.head.appendChild(script);
  }

  function ensureLoaded(callback) {
    if (state === "ready" || state === "failed") { callback(); return; }
    waiting.push(callback);
    if (state === "loading" || state === "indexing") { return; }
    state = "loading";
    var pending = 2;
    var ok = true;
    function loaded(success) {
      ok = ok && success;
      pending -= 1;
      if (pending > 0) { return; }
      if (!ok || !window.MiniSearch || !window[GLOBAL]) { finish("failed"); return; }
      build(window[GLOBAL], function () { finish("ready"); });
    }
    loadScript(root + "static/vendor/minisearch.js", loaded);
    loadScript(root + "search-index.js", loaded);
  }

  function finish(result) {
    state = result;
    var callbacks = waiting;
    waiting = [];
    for (var i = 0; i < callbacks.length; i++) { callbacks[i](); }
  }

  // Words; in ids, citations and queries also identifiers and clause numbers whole
  // ("ID.AM-01", "8.1.1", "27035-1").
  var SPLIT = /[\s\p{P}\p{S}]+/u;
  var COMPOUND = /[\p{L}\p{N}]+(?:[.\-][\p{L}\p{N}]+)+/gu;
  function tokenize(text, field) {
    var tokens = text.split(SPLIT);
    if (field === undefined || field === "id" || field === "c") {
      var compounds = text.match(COMPOUND);
      if (compounds) { tokens = tokens.concat(compounds); }
    }
    return tokens.filter(function (t) { return t.length > 0; });
  }

  function build(data, done) {
    var docs = data.docs;
    var kinds = data.kinds;
    var byId = {};
    var records = new Array(docs.length);
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      var lower = d[ID].toLowerCase();
      if (!(lower in byId)) { byId[lower] = i; }
      records[i] = { n: i, id: d[ID], title: d[TITLE], d: d[DESC], l: d[LEAD], w: d[WORDS], c: d[CITE] };
    }
    var mini = new window.MiniSearch({
      idField: "n",
      fields: ["id", "title", "d", "l", "w", "c"],
      tokenize: tokenize,
      searchOptions: {
        boost: { id: 6, title: 3, d: 2, c: 1.5, l: 1, w: 0.5 },
        prefix: true,
        fuzzy: function (term) { return term.length > 4 && !/\d/.test(term) ? 0.2 : false; },
        combineWith: "AND"
      }
    });
    engine = { mini: mini, docs: docs, kinds: kinds, byId: byId };
    // Identifiers can be looked up at once; words once MiniSearch has indexed them.
    state = "indexing";
    for (var b = 0; b < partial.length; b++) { partial[b](); }
    partial = [];
    mini.addAllAsync(records, { chunkSize: 500 }).then(done, function () { finish("failed"); });
  }

  /* Searching -------------------------------------------------------------- */

  function inBaseline(d, baseline) {
    return !baseline || (" " + (d[BASELINES] || "") + " ").indexOf(" " + baseline + " ") >= 0;
  }

  /* The baselines items are marked with, in order of appearance. */
  function baselineNames() {
    var names = [];
    for (var i = 0; engine && i < engine.docs.length; i++) {
      var marks = (engine.docs[i][BASELINES] || "").split(" ");
      for (var m = 0; m < marks.length; m++) {
        if (marks[m] && names.indexOf(marks[m]) < 0) { names.push(marks[m]); }
      }
    }
    return names;
  }

  function search(query, limit, baseline) {
    var q = query.trim();
    if (!q || !engine) { return []; }
    var docs = engine.docs;
    var seen = {};
    var out = [];
    function add(n, terms, match) {
      if (seen[n] || out.length >= limit || !inBaseline(docs[n], baseline)) { return; }
      seen[n] = true;
      out.push({ n: n, terms: terms, match: match || {} });
    }
    var lower = q.toLowerCase();
    var words = tokenize(lower);
    // 1. The item whose identifier this is.
    if (lower in engine.byId) { add(engine.byId[lower], words); }
    // 2. Items whose identifier starts with it, when it looks like one (ID.AM, PR.AC-0).
    if (/[.\-]/.test(q) && !/\s/.test(q)) {
      for (var i = 0; i < docs.length && out.length < limit; i++) {
        if (docs[i][ID].toLowerCase().indexOf(lower) === 0) { add(i, words); }
      }
    }
    // 3. Ranked matches; every word must match, else any.
    if (state !== "ready") { return out; }
    var results = engine.mini.search(q);
    if (results.length === 0) { results = engine.mini.search(q, { combineWith: "OR" }); }
    // Highlight what was typed; a term found otherwise (fuzzily) in full.
    function typed(term) {
      for (var w = 0; w < words.length; w++) { if (term.indexOf(words[w]) === 0) { return true; } }
      return false;
    }
    for (var r = 0; r < results.length && out.length < limit; r++) {
      var other = results[r].terms.filter(function (t) { return !typed(t); });
      add(results[r].id, words.concat(other), results[r].match);
    }
    return out;
  }

  /* Showing results -------------------------------------------------------- */

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
  }

  function termPattern(terms) {
    var unique = {};
    var list = [];
    for (var i = 0; i < terms.length; i++) {
      var t = String(terms[i]).toLowerCase();
      if (t && !unique[t]) { unique[t] = true; list.push(escapeRegExp(t)); }
    }
    if (!list.length) { return null; }
    list.sort(function (a, b) { return b.length - a.length; });
    return new RegExp("(^|[^\\p{L}\\p{N}])(" + list.join("|") + ")", "giu");
  }

  // The part of `text` around the first match, HTML-escaped, matches in <mark>.
  function snippet(text, pattern, width) {
    if (!text) { return ""; }
    var start = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var first = pattern.exec(text);
      if (first) { start = Math.max(0, first.index + first[1].length - Math.floor(width / 3)); }
    }
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space - start < 20) { start = space + 1; }
    }
    var part = text.slice(start, start + width);
    var html = "";
    var last = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var m;
      while ((m = pattern.exec(part)) !== null) {
        var at = m.index + m[1].length;
        html += escapeHtml(part.slice(last, at)) + "<mark>" + escapeHtml(m[2]) + "</mark>";
        last = at + m[2].length;
        if (m[0].length === 0) { pattern.lastIndex += 1; }
      }
    }
    html += escapeHtml(part.slice(last));
    return (start > 0 ? "…" : "") + html + (start + width < text.length ? "…" : "");
  }

  function hasMatch(text, pattern) {
    if (!text || !pattern) { return false; }
    pattern.lastIndex = 0;
    return pattern.test(text);
  }

  function href(url) {
    var target = root + url;
    if (fileMode) {
      var hash = "";
      var i = target.indexOf("#");
      if (i >= 0) { hash = target.slice(i); target = target.slice(0, i); }
      if (target === "" || target.charAt(target.length - 1) === "/") { target += "index.html"; }
      target += hash;
    }
    return target || "./";
  }

  function searchPageHref(query) {
    return root + "search/" + (fileMode ? "index.html" : "") + "?q=" + encodeURIComponent(query);
  }

  function resultHtml(hit, optionId) {
    var d = engine.docs[hit.n];
    var pattern = termPattern(hit.terms);
    var kind = engine.kinds[d[KIND]] || "";
    var concept = d[CONCEPT] >= 0 && d[CONCEPT] !== hit.n ? engine.docs[d[CONCEPT]] : null;
    var text;
    if (hasMatch(d[DESC], pattern) || (!hasMatch(d[LEAD], pattern) && !hasMatch(d[CITE], pattern))) {
      text = snippet(d[DESC] || d[LEAD], pattern, 160);
    } else if (hasMatch(d[LEAD], pattern)) {
      text = snippet(d[LEAD], pattern, 160);
    } else {
      text = snippet(d[DESC] || d[LEAD], pattern, 120);
    }
    var cites = hasMatch(d[CITE], pattern) && kind !== "document" ? snippet(d[CITE], pattern, 120) : "";
    var meta = escapeHtml(KIND_LABELS[kind] || kind) + (concept ? " · " + escapeHtml(concept[TITLE] || concept[ID]) : "");
    // An option holds no link (a control inside a control): the box follows its data-href.
    return "<li class=\"search-result\" role=\"option\" id=\"" + optionId + "\" aria-selected=\"false\" data-href=\"" +
      escapeHtml(href(d[URL])) + "\"><span class=\"search-result-body\">" +
      "<span class=\"search-result-head\"><span class=\"item-id\">" + snippet(d[ID], pattern, 80) + "</span>" +
      (d[TITLE] ? " <span class=\"search-result-title\">" + snippet(d[TITLE], pattern, 120) + "</span>" : "") +
      "</span>" +
      "<span class=\"search-result-meta\">" + meta + "</span>" +
      (text ? "<span class=\"search-result-snippet\">" + text + "</span>" : "") +
      (cites ? "<span class=\"search-result-cites\">" + cites + "</span>" : "") +
      "</span></li>";
  }

  /* One search box --------------------------------------------------------- */

  var boxes = [];
  var counter = 0;

  function setup(form) {
    var input = form.querySelector("[data-search-input]");
    var panel = form.querySelector("[data-search-results]");
    if (!input || !panel) { return; }
    var page = form.hasAttribute("data-search-page");
    var limit = page ? 100 : 10;
    var prefix = "search-" + (++counter);
    var list = doc.createElement("ul");
    list.className = "search-results";
    list.id = prefix + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    var status = doc.createElement("p");
    status.className = "search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var more = doc.createElement("p");
    more.className = "search-more";
    panel.appendChild(status);
    panel.appendChild(list);
    if (!page) { panel.appendChild(more); }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var active = -1;
    var queued = false;
    var baselineSelect = null;
    var wantedBaseline = page ? (new RegExp("[?&]baseline=([^&]*)").exec(window.location.search) || [])[1] : "";

    /* The "In baseline" choice of the search page, once the index is in. */
    function baselineChoice() {
      if (!page || !engine) { return ""; }
      if (!baselineSelect) {
        var names = baselineNames();
        if (!names.length) { return ""; }
        var label = doc.createElement("label");
        label.className = "search-baseline";
        var html = "In baseline <select><option value=\"\">any</option>";
        for (var b = 0; b < names.length; b++) {
          html += "<option value=\"" + escapeHtml(names[b]) + "\">" + escapeHtml(names[b]) + "</option>";
        }
        label.innerHTML = html + "</select>";
        panel.parentNode.insertBefore(label, panel);
        baselineSelect = label.querySelector("select");
        if (wantedBaseline) { baselineSelect.value = decodeURIComponent(wantedBaseline); }
        baselineSelect.addEventListener("change", function () { render(); });
      }
      return baselineSelect.value;
    }
    var hits = [];
    var timer = null;

    function open(show) {
      if (page) { show = true; }
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show && hits.length ? "true" : "false");
    }

    function options() { return list.querySelectorAll("[role=option]"); }

    function setActive(index) {
      var items = options();
      if (!items.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = (index + items.length) % items.length;
      var item = items[active];
      item.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", item.id);
      if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
    }

    function render() {
      var query = input.value;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        hits = [];
        list.innerHTML = "";
        status.textContent = page ? "Type to search." : "";
        more.innerHTML = "";
        open(false);
        return;
      }
      if (state === "failed") {
        hits = [];
        list.innerHTML = "";
        status.textContent = "Search is not available: the search index could not be loaded.";
        open(true);
        return;
      }
      if (state !== "ready" && !queued) {
        queued = true;
        ensureLoaded(function () { queued = false; render(); });
        if (state === "loading") { partial.push(render); }
      }
      if (state === "loading" || state === "idle") {
        status.textContent = "Loading the search index…";
        open(true);
        return;
      }
      hits = search(query, limit + 1, baselineChoice());
      var shown = hits.slice(0, limit);
      var html = "";
      for (var i = 0; i < shown.length; i++) { html += resultHtml(shown[i], prefix + "-" + i); }
      list.innerHTML = html;
      if (state === "indexing") {
        status.textContent = shown.length ? "Identifiers found; searching the text is loading…" : "Loading the search index…";
      } else if (!shown.length) {
        status.textContent = "No results for “" + query.trim() + "”.";
      } else if (page) {
        status.textContent = (hits.length > limit ? "More than " + limit : shown.length) + " result" + (shown.length === 1 ? "" : "s") + " for “" + query.trim() + "”.";
      } else {
        status.textContent = shown.length + (hits.length > limit ? "+" : "") + " result" + (shown.length === 1 ? "" : "s") + ".";
      }
      if (!page) {
        more.innerHTML = shown.length ? "<a href=\"" + escapeHtml(searchPageHref(query.trim())) + "\">All results on the search page</a>" : "";
      }
      hits = shown;
      if (state === "ready") { panel.setAttribute("data-query", query); }
      open(true);
      if (page) { updateAddress(query.trim()); }
    }

    function schedule() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(render, 60);
    }

    function follow(index) {
      var items = options();
      var item = items[index >= 0 ? index : 0];
      var target = item && item.getAttribute("data-href");
      if (target) { window.location.href = target; }
    }

    input.addEventListener("focus", function () {
      ensureLoaded(function () { if (input.value.trim()) { render(); } });
      if (input.value.trim() && hits.length) { open(true); }
    });
    input.addEventListener("input", schedule);
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "Down") {
        event.preventDefault();
        if (panel.hidden && input.value.trim()) { render(); }
        setActive(active + 1);
      } else if (key === "ArrowUp" || key === "Up") {
        event.preventDefault();
        setActive(active - 1);
      } else if (key === "Enter") {
        event.preventDefault();
        if (timer) { window.clearTimeout(timer); timer = null; }
        if (state !== "ready") {
          ensureLoaded(function () { render(); follow(-1); });
        } else if (panel.getAttribute("data-query") !== input.value) {
          render();
          follow(-1);
        } else {
          follow(active);
        }
      } else if (key === "Escape" || key === "Esc") {
        if (!panel.hidden && !page) { open(false); } else { input.value = ""; render(); }
        event.preventDefault();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (state === "ready") { render(); follow(-1); }
    });
    // Clicking a result must not blur the box first.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var index = optionIndex(event.target);
      if (index >= 0) { follow(index); }
    });
    list.addEventListener("mousemove", function (event) {
      var index = optionIndex(event.target);
      if (index >= 0 && index !== active) { setActive(index); }
    });
    function optionIndex(target) {
      while (target && target !== list && target.getAttribute("role") !== "option") { target = target.parentNode; }
      var items = options();
      for (var i = 0; i < items.length; i++) { if (items[i] === target) { return i; } }
      return -1;
    }
    form.addEventListener("focusout", function () {
      window.setTimeout(function () {
        if (!form.contains(doc.activeElement)) { open(false); }
      }, 0);
    });

    boxes.push(input);

    if (page) {
      var query = new RegExp("[?&]q=([^&#]*)").exec(window.location.search);
      if (query) { input.value = decodeURIComponent(query[1].replace(/\+/g, " ")); }
      status.textContent = "Type to search.";
      open(true);
      if (input.value.trim()) { ensureLoaded(render); }
      input.focus();
    }
  }

  function updateAddress(query) {
    if (!window.history || !window.history.replaceState || fileMode) { return; }
    try {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    } catch (e) { /* some browsers refuse; the page still works */ }
  }

  /* "/" and "s" focus the search box --------------------------------------- */

  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  doc.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key !== "/" && event.key !== "s" && event.key !== "S") { return; }
    if (typing(event.target) || !boxes.length) { return; }
    var input = boxes[boxes.length - 1];
    if (input.offsetParent === null && boxes.length > 1) { input = boxes[0]; }
    event.preventDefault();
    input.focus();
    if (input.select) { input.select(); }
  });

  var forms = doc.querySelectorAll("form[data-search]");
  for (var f = 0; f < forms.length; f++) {
    try { setup(forms[f]); } catch (e) { /* an enhancement failed; the page still works */ }
  }
  if (boxes.length) { doc.documentElement.className += " has-search"; }
})();
