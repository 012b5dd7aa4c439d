/* equipe search: filters the index of the page's language as you type.
   The index is a script (assets/search-<lang>.js), loaded when the search field gets
   the focus or a first keystroke, so this works from file:// too.
   Accent-insensitive: "equipe" finds "équipe". No framework, no network. */
(function () {
  "use strict";

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Ranks the entries for a query: every word must appear; title matches count most.
  function search(entries, query, limit) {
    var words = fold(query).split(/\s+/).filter(function (w) { return w.length > 0; });
    if (words.length === 0) return [];
    var results = [];
    entries.forEach(function (e) {
      if (!e._f) e._f = { t: fold(e.t), d: fold(e.d), h: fold(e.h), x: fold(e.x) };
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var w = words[i];
        var s = (e._f.t.indexOf(w) >= 0 ? 8 : 0) + (e._f.h.indexOf(w) >= 0 ? 4 : 0) +
                (e._f.d.indexOf(w) >= 0 ? 2 : 0) + (e._f.x.indexOf(w) >= 0 ? 1 : 0);
        if (s === 0) return;
        score += s;
      }
      results.push({ entry: e, score: score });
    });
    results.sort(function (a, b) { return b.score - a.score || a.entry.t.localeCompare(b.entry.t); });
    return results.slice(0, limit || 8).map(function (r) { return r.entry; });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { fold: fold, search: search };
    return;
  }

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".search-results");
    var status = form.querySelector(".search-status");
    var lang = form.getAttribute("data-lang");
    var root = form.getAttribute("data-root") || "";
    var index = form.getAttribute("data-index");
    function entries() { return (window.EQUIPE_SEARCH || {})[lang] || []; }
    // The index (megabytes on a large site) loads when someone starts to search, not
    // with every page: a script element, which works from file:// where fetch does not.
    var loading = null;
    function load() {
      if (loading || !index || (window.EQUIPE_SEARCH || {})[lang]) return;
      loading = document.createElement("script");
      loading.src = index;
      loading.onload = show;
      document.head.appendChild(loading);
    }
    input.addEventListener("focus", load);
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) window.location.href = first.href;
    });
    input.addEventListener("input", function () { load(); show(); });
    function show() {
      var found = search(entries(), input.value, 8);
      list.textContent = "";
      found.forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + e.u;
        a.textContent = e.t;
        li.appendChild(a);
        if (e.d) {
          var p = document.createElement("span");
          p.className = "search-description";
          p.textContent = e.d;
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      var template = found.length === 0 ? status.getAttribute("data-none") : status.getAttribute("data-some");
      status.textContent = input.value.trim() === "" ? "" : template.replace("{n}", String(found.length));
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        list.textContent = "";
        list.hidden = true;
        status.textContent = "";
      }
    });
  }

  document.querySelectorAll("form.search").forEach(setUp);
})();
