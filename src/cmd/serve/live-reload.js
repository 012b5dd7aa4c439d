// The live-reload client of `equipe serve`: the server adds
// <script src="/__equipe/live-reload.js" data-version="..." data-events="..."> to every
// HTML page it serves (never to `build`'s output). It listens to the server's events:
// "hello" (reload if this page is from an older build), "reload", "css" (swap the
// stylesheets in place) and "errors" (draw an overlay with the failed build's messages).
(function () {
  var me = document.currentScript;
  var version = me.dataset.version;
  var overlay = null;
  function show(problems) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!problems.length) return;
    overlay = document.createElement("div");
    overlay.id = "equipe-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(24,24,24,.95);color:#f2f2f2;padding:2em;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1em;font-size:1.2em;color:#ff8a80";
    title.textContent = "equipe: the last change did not build (" + problems.length +
      (problems.length > 1 ? " errors" : " error") + "); the page shows the last good version.";
    overlay.appendChild(title);
    problems.forEach(function (p) {
      var where = document.createElement("div");
      where.className = "equipe-error";
      where.style.cssText = "margin-top:1.2em;color:#ffd54f;font-weight:bold";
      where.textContent = (p.location ? p.location + ": " : "") + p.message;
      overlay.appendChild(where);
      var text = document.createElement("pre");
      text.style.cssText = "white-space:pre-wrap;margin:.4em 0 0";
      text.textContent = p.text;
      overlay.appendChild(text);
    });
    (document.body || document.documentElement).appendChild(overlay);
  }
  function swapStylesheets(next) {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (old) {
      var url = new URL(old.href, location.href);
      url.searchParams.set("equipe", next);
      var fresh = old.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { old.remove(); };
      old.after(fresh);
    });
  }
  var events = new EventSource(me.dataset.events);
  events.addEventListener("hello", function (e) {
    if (JSON.parse(e.data).version !== version) location.reload();
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function (e) {
    version = JSON.parse(e.data).version;
    swapStylesheets(version);
  });
  events.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
})();
