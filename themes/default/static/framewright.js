/*
 * framewright default theme: small progressive enhancements.
 *
 *  1. Menu button: shows the sidebar as a drawer on narrow screens.
 *  2. Opened from the file system: folder links point at index.html.
 *  3. The current sidebar entry is scrolled into view.
 *  4. Code blocks and tables that scroll sideways can be scrolled by keyboard.
 *
 * Plain ES5, no libraries, no network requests. Every step is guarded so
 * that a page without a sidebar (404, redirects, custom pages) is fine.
 */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;
  var sidebar = doc.getElementById("sidebar");

  function addClass(el, name) {
    if (el && (" " + el.className + " ").indexOf(" " + name + " ") < 0) {
      el.className = (el.className ? el.className + " " : "") + name;
    }
  }

  function removeClass(el, name) {
    if (el) {
      el.className = (" " + el.className + " ").replace(" " + name + " ", " ").replace(/^\s+|\s+$/g, "");
    }
  }

  /* 1. Menu button ------------------------------------------------------ */

  function setupMenu() {
    var toggle = doc.querySelector(".nav-toggle");
    if (!toggle || !sidebar) { return; }

    toggle.hidden = false;
    toggle.removeAttribute("hidden");
    addClass(html, "has-nav-toggle");

    function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }

    function setOpen(open, returnFocus) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        // The drawer starts below the (sticky) header, whatever its height.
        var header = doc.querySelector(".site-header");
        if (header && header.getBoundingClientRect) {
          sidebar.style.top = Math.max(0, Math.round(header.getBoundingClientRect().bottom)) + "px";
        }
        addClass(html, "nav-open");
        var first = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
        if (first && first.focus && isDrawer()) { first.focus(); }
      } else {
        removeClass(html, "nav-open");
        if (returnFocus) { toggle.focus(); }
      }
    }

    // The drawer only exists while the button is visible (narrow screens).
    function isDrawer() { return toggle.offsetWidth > 0 || toggle.offsetHeight > 0; }

    toggle.addEventListener("click", function () { setOpen(!isOpen(), false); });

    // Enable the drawer's slide only after the first layout, so that it does
    // not animate out of view while the page loads.
    window.setTimeout(function () { addClass(html, "nav-animate"); }, 300);

    doc.addEventListener("keydown", function (event) {
      var key = event.key || event.keyCode;
      if ((key === "Escape" || key === "Esc" || key === 27) && isOpen()) {
        setOpen(false, true);
      }
    });

    // A click outside the open drawer (on the dimmed page) closes it.
    doc.addEventListener("click", function (event) {
      if (!isOpen()) { return; }
      var target = event.target;
      if (sidebar.contains(target) || toggle.contains(target)) { return; }
      setOpen(false, false);
    });

    // Following a link inside the drawer (e.g. to an anchor) closes it.
    sidebar.addEventListener("click", function (event) {
      var target = event.target;
      while (target && target !== sidebar && target.tagName !== "A") { target = target.parentNode; }
      if (target && target.tagName === "A" && isOpen()) { setOpen(false, false); }
    });

    // Growing the window past the breakpoint resets the state.
    if (window.addEventListener) {
      window.addEventListener("resize", function () {
        if (isDrawer()) { return; }
        sidebar.style.top = "";
        if (isOpen()) { setOpen(false, false); }
      });
    }
  }

  /* 2. Links that work without a server --------------------------------- */

  // "../identify/" -> "../identify/index.html", "../x/#ID" -> "../x/index.html#ID",
  // "./" -> "./index.html", ".." -> "../index.html". Fragments, empty hrefs,
  // absolute URLs (with a scheme or "//") and links to files are left alone.
  function fileHref(href) {
    if (!href || href.charAt(0) === "#" || href.indexOf("//") === 0 || /^[a-z][a-z0-9+.\-]*:/i.test(href)) {
      return null;
    }
    var hash = "";
    var query = "";
    var i = href.indexOf("#");
    if (i >= 0) { hash = href.slice(i); href = href.slice(0, i); }
    i = href.indexOf("?");
    if (i >= 0) { query = href.slice(i); href = href.slice(0, i); }
    if (href === "") { return null; }
    if (/(^|\/)\.\.?$/.test(href)) { href += "/"; }
    if (href.charAt(href.length - 1) !== "/") { return null; }
    return href + "index.html" + query + hash;
  }

  function fixFileLinks() {
    if (window.location.protocol !== "file:") { return; }
    var links = doc.getElementsByTagName("a");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      var fixed = fileHref(href);
      if (fixed !== null) { links[i].setAttribute("href", fixed); }
    }
  }

  /* 3. Current entry in the sidebar -------------------------------------- */

  function revealCurrent() {
    if (!sidebar) { return; }
    var current = sidebar.querySelector("[aria-current=page]") ||
      sidebar.querySelector(".nav-ancestor") ||
      sidebar.querySelector("details[open]");
    if (!current || !current.getBoundingClientRect) { return; }
    var item = current.getBoundingClientRect();
    var box = sidebar.getBoundingClientRect();
    // Scroll only the sidebar, never the page.
    if (item.top < box.top || item.bottom > box.bottom) {
      sidebar.scrollTop += item.top - box.top - box.height / 3;
    }
  }

  /* 4. Scrollable regions reachable by keyboard --------------------------- */

  // A region wider than the screen (a long line of code, a wide table) takes focus, so
  // that the arrow keys scroll it; one that fits does not add a stop to the tab order.
  function focusableScrollers() {
    var regions = doc.querySelectorAll("pre, .table-wrap");
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      if (region.scrollWidth > region.clientWidth + 1) {
        if (!region.hasAttribute("tabindex")) { region.setAttribute("tabindex", "0"); }
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    }
  }

  function run(step) {
    try { step(); } catch (e) { /* an enhancement failed; the page still works */ }
  }

  run(setupMenu);
  run(fixFileLinks);
  run(revealCurrent);
  run(focusableScrollers);
  if (window.addEventListener) {
    var resizing = null;
    window.addEventListener("resize", function () {
      if (resizing) { window.clearTimeout(resizing); }
      resizing = window.setTimeout(function () { run(focusableScrollers); }, 150);
    });
  }
})();
