/*
 * framewright default theme: filters on framework tables, and the print button.
 *
 * Each table of concepts, categories or subcategories gets a filter bar: a cited
 * document (a series such as ISO/IEC 27035 covers all its parts) and free text.
 * Rows that do not match are hidden; statements stay with their row. The bar is
 * built from the table itself: every row carries data-documents (slugs of the
 * documents it cites) and the table data-document-names (slug -> names).
 * When book.toml names earlier releases, a third control shows only the rows
 * changed since a chosen release: rows carry data-changed (the release steps in
 * which the item changed) and the table data-since (the releases, oldest first).
 * Tables of controls marked with baselines also get "In baseline": rows and table
 * carry data-baselines (names, space-separated).
 * No server, no request.
 */
(function () {
  "use strict";

  var doc = document;
  var counter = 0;

  function text(el) { return (el.textContent || "").replace(/\s+/g, " ").toLowerCase(); }

  function naturalCompare(a, b) {
    var ax = a.toLowerCase().match(/\d+|\D+/g) || [];
    var bx = b.toLowerCase().match(/\d+|\D+/g) || [];
    for (var i = 0; i < Math.min(ax.length, bx.length); i++) {
      var x = ax[i], y = bx[i];
      if (x === y) { continue; }
      var nx = /^\d/.test(x), ny = /^\d/.test(y);
      if (nx && ny) { return parseInt(x, 10) - parseInt(y, 10); }
      return x < y ? -1 : 1;
    }
    return ax.length - bx.length;
  }

  function setupTable(table) {
    var body = table.tBodies && table.tBodies[0];
    if (!body) { return; }
    var names = {};
    try { names = JSON.parse(table.getAttribute("data-document-names") || "{}") || {}; } catch (e) { names = {}; }
    var releases = [];
    try { releases = JSON.parse(table.getAttribute("data-since") || "[]") || []; } catch (e) { releases = []; }

    // Rows, each with the statements row that follows it.
    var groups = [];
    var rows = body.rows;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row.hasAttribute("data-documents")) {
        var slugs = (row.getAttribute("data-documents") || "").split(/\s+/).filter(Boolean);
        var series = [];
        for (var s = 0; s < slugs.length; s++) {
          if (names[slugs[s]]) { series.push(names[slugs[s]][1]); }
        }
        var changed = (row.getAttribute("data-changed") || "").split(/\s+/).filter(Boolean).map(Number);
        var marks = (row.getAttribute("data-baselines") || "").split(/\s+/).filter(Boolean);
        groups.push({ rows: [row], documents: slugs, series: series, changed: changed, baselines: marks, text: text(row) });
      } else if (groups.length) {
        groups[groups.length - 1].rows.push(row);
        groups[groups.length - 1].text += " " + text(row);
      }
    }
    if (groups.length < 2) { return; }

    // Options: each series, and each part of a series with parts.
    var bySeries = {};
    var seriesList = [];
    for (var slug in names) {
      if (!Object.prototype.hasOwnProperty.call(names, slug)) { continue; }
      var entry = names[slug];
      if (!bySeries[entry[1]]) {
        bySeries[entry[1]] = { slug: entry[1], name: entry[2], parts: [] };
        seriesList.push(bySeries[entry[1]]);
      }
      if (slug !== entry[1]) { bySeries[entry[1]].parts.push({ slug: slug, name: entry[0] }); }
    }
    seriesList.sort(function (a, b) { return naturalCompare(a.name, b.name); });

    var id = "table-filter-" + (++counter);
    var bar = doc.createElement("div");
    bar.className = "table-filter";
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", "Filter the table");

    var html = "";
    if (seriesList.length) {
      html += "<label for=\"" + id + "-doc\">Cites</label> <select id=\"" + id + "-doc\"><option value=\"\">any document</option>";
      for (var k = 0; k < seriesList.length; k++) {
        var entrySeries = seriesList[k];
        var partsLabel = entrySeries.parts.length ? " (any part)" : "";
        html += "<option value=\"s:" + escapeAttr(entrySeries.slug) + "\">" + escapeHtml(entrySeries.name + partsLabel) + "</option>";
        entrySeries.parts.sort(function (a, b) { return naturalCompare(a.name, b.name); });
        for (var p = 0; p < entrySeries.parts.length; p++) {
          html += "<option value=\"d:" + escapeAttr(entrySeries.parts[p].slug) + "\">\u2003" + escapeHtml(entrySeries.parts[p].name) + "</option>";
        }
      }
      html += "</select> ";
    }
    if (releases.length) {
      html += "<label for=\"" + id + "-since\">Changed since</label> <select id=\"" + id + "-since\"><option value=\"\">any release</option>";
      for (var v = 0; v < releases.length; v++) {
        html += "<option value=\"" + v + "\">" + escapeHtml(releases[v]) + "</option>";
      }
      html += "</select> ";
    }
    var baselineNames = (table.getAttribute("data-baselines") || "").split(/\s+/).filter(Boolean);
    if (baselineNames.length) {
      html += "<label for=\"" + id + "-baseline\">In baseline</label> <select id=\"" + id + "-baseline\" class=\"table-filter-baseline\"><option value=\"\">any</option>";
      for (var b = 0; b < baselineNames.length; b++) {
        html += "<option value=\"" + escapeAttr(baselineNames[b]) + "\">" + escapeHtml(baselineNames[b]) + "</option>";
      }
      html += "</select> ";
    }
    html += "<label for=\"" + id + "-text\">Containing</label> <input id=\"" + id + "-text\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"words or ids\">" +
      " <button type=\"button\" class=\"table-filter-clear\" hidden>Clear</button>" +
      " <span class=\"table-filter-status\" role=\"status\" aria-live=\"polite\"></span>";
    bar.innerHTML = html;

    var wrap = table.parentNode && table.parentNode.className.indexOf("table-wrap") >= 0 ? table.parentNode : table;
    wrap.parentNode.insertBefore(bar, wrap);

    var select = bar.querySelector("#" + id + "-doc");
    var sinceSelect = bar.querySelector("#" + id + "-since");
    var baselineSelect = bar.querySelector(".table-filter-baseline");
    var input = bar.querySelector("input");
    var clear = bar.querySelector(".table-filter-clear");
    var status = bar.querySelector(".table-filter-status");

    function apply() {
      var choice = select ? select.value : "";
      var since = sinceSelect && sinceSelect.value !== "" ? Number(sinceSelect.value) : -1;
      var baseline = baselineSelect ? baselineSelect.value : "";
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var g = 0; g < groups.length; g++) {
        var group = groups[g];
        var ok = true;
        if (choice.indexOf("s:") === 0) {
          ok = group.series.indexOf(choice.slice(2)) >= 0;
        } else if (choice.indexOf("d:") === 0) {
          ok = group.documents.indexOf(choice.slice(2)) >= 0;
        }
        if (ok && since >= 0) {
          // Changed since release `since`: in that release's step or a later one.
          ok = group.changed.some(function (step) { return step >= since; });
        }
        if (ok && baseline) { ok = group.baselines.indexOf(baseline) >= 0; }
        for (var w = 0; ok && w < words.length; w++) {
          ok = group.text.indexOf(words[w]) >= 0;
        }
        for (var r = 0; r < group.rows.length; r++) { group.rows[r].hidden = !ok; }
        if (ok) { shown += 1; }
      }
      var filtered = !!(choice || baseline || words.length || since >= 0);
      clear.hidden = !filtered;
      table.setAttribute("data-filtered", filtered ? "true" : "false");
      status.textContent = filtered ? "Showing " + shown + " of " + groups.length + " rows" : "";
    }

    if (select) { select.addEventListener("change", apply); }
    if (sinceSelect) { sinceSelect.addEventListener("change", apply); }
    if (baselineSelect) { baselineSelect.addEventListener("change", apply); }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && input.value) {
        input.value = "";
        apply();
        event.preventDefault();
      }
    });
    clear.addEventListener("click", function () {
      if (select) { select.value = ""; }
      if (sinceSelect) { sinceSelect.value = ""; }
      if (baselineSelect) { baselineSelect.value = ""; }
      input.value = "";
      apply();
      input.focus();
    });
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function escapeAttr(value) { return escapeHtml(value); }

  function setupPrint() {
    var buttons = doc.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      var holder = buttons[i].parentNode;
      if (holder && holder.hasAttribute("hidden")) { holder.hidden = false; }
      buttons[i].addEventListener("click", function () { window.print(); });
    }
  }

  function run(step) {
    try { step(); } catch (e) { /* an enhancement failed; the page still works */ }
  }

  run(function () {
    // Not on the print edition: it is for reading whole.
    if (doc.querySelector(".print-edition")) { return; }
    var tables = doc.querySelectorAll("table.framework-table");
    for (var i = 0; i < tables.length; i++) {
      (function (table) { run(function () { setupTable(table); }); })(tables[i]);
    }
  });
  run(setupPrint);
})();
