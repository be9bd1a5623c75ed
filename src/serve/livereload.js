// framewright live preview: reloads the page when a rebuild finishes, shows build errors
// over the page, keeps the scroll position, and reconnects when the server restarts.
// Injected by `framewright serve` only; never part of a built site.
(function () {
  "use strict";
  var KEY = "framewright:scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = parseInt(saved, 10) || 0;
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "framewright-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.92);" +
        "color:#f8f8f2;overflow:auto;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      var title = document.createElement("h2");
      title.textContent = "framewright: the last edit broke the build";
      title.style.cssText = "color:#ff7b72;font:600 18px/1.3 system-ui,sans-serif;margin:0 0 1rem";
      var hint = document.createElement("p");
      hint.textContent = "The page below is the last good build. Fix the file and save: this message goes away.";
      hint.style.cssText = "font:14px/1.4 system-ui,sans-serif;color:#c9d1d9;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(title);
      overlay.appendChild(hint);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  function reload() {
    sessionStorage.setItem(KEY, String(window.scrollY || 0));
    location.reload();
  }
  // The rebuild and the refresh this page was served after (set by the server).
  var me = document.currentScript;
  var generation = me ? Number(me.getAttribute("data-generation")) : null;
  var refreshed = me ? Number(me.getAttribute("data-refreshed")) : null;
  // Reloads when the page is one of `paths`, or has loaded one of them (search index).
  function reloadIfShown(paths) {
    var used = [location.pathname];
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) { used.push(new URL(scripts[i].src, location.href).pathname); }
    for (var j = 0; j < used.length; j++) {
      var path = used[j].replace(/^\//, "").replace(/(^|\/)$/, "$1index.html");
      if (paths.indexOf(path) !== -1) { reload(); return true; }
    }
    return false;
  }
  function connect() {
    var source = new EventSource("/__framewright/events");
    source.addEventListener("hello", function (event) {
      var data = JSON.parse(event.data);
      // A different generation means a rebuild (or a server restart) happened while away.
      if (generation !== null && data.generation !== generation) { reload(); return; }
      if (refreshed !== null && data.refreshed !== refreshed && reloadIfShown(data.paths || [])) { return; }
      generation = data.generation;
      refreshed = data.refreshed;
      if (data.error) { showError(data.error); }
    });
    source.addEventListener("reload", function () { reload(); });
    // Files made after the reload (print edition, search index, exports) are current:
    // reload only a page that is one of them or has loaded one of them.
    source.addEventListener("refresh", function (event) {
      var data = JSON.parse(event.data);
      refreshed = data.refreshed;
      reloadIfShown(data.paths || []);
    });
    source.addEventListener("error-report", function (event) {
      showError(JSON.parse(event.data).error);
    });
    source.onerror = function () {
      source.close();
      setTimeout(connect, 1000);
    };
  }
  connect();
})();
