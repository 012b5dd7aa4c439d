/* equipe checklists: ticks saved in localStorage, progress bars, reset and export.
   Plain JavaScript, no framework. Without it, checkboxes still work (but are not saved).
   Key: "equipe:" + site identity (<html data-site>) + ":" + item id, so a box ticked
   on one page is ticked on every page (and language) that shows the same item id. */
(function () {
  "use strict";
  var site = document.documentElement.getAttribute("data-site") || location.host;
  var prefix = "equipe:" + site + ":";
  var store = null;
  try {
    store = window.localStorage;
    store.setItem(prefix + "?", "1");
    store.removeItem(prefix + "?");
  } catch (e) {
    store = null;
  }

  function boxes(scope) {
    return (scope || document).querySelectorAll("input.check[data-check]");
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  // The saved state wins over the built default ("- [x]" items are done by default).
  function restore() {
    each(boxes(), function (box) {
      var saved = store && store.getItem(prefix + box.getAttribute("data-check"));
      box.checked = saved === null || saved === undefined ? box.defaultChecked : saved === "1";
    });
    progress();
  }

  function progress() {
    var states = null;
    each(document.querySelectorAll("[data-progress]"), function (el) {
      var scope = el.closest("[data-progress-scope]") || document;
      var seen = {};
      var done = 0;
      var total = 0;
      if (scope.hasAttribute && scope.hasAttribute("data-checklist-all")) {
        // A part of a split checklist page: its summary counts every item of the
        // language, whose ids the ids script lists; it shows once they are counted.
        var all = window.equipeChecklistIds;
        if (!all) return;
        var summary = el.closest("[data-checklist-total]");
        if (summary) summary.hidden = false;
        states = states || itemStates(all);
        all.parts.forEach(function (ids) {
          ids.forEach(function (id) {
            if (seen[id]) return;
            seen[id] = true;
            total++;
            if (states[id]) done++;
          });
        });
      } else {
        each(boxes(scope), function (box) {
          var id = box.getAttribute("data-check");
          if (seen[id]) return;
          seen[id] = true;
          total++;
          if (box.checked) done++;
        });
      }
      var bar = el.querySelector("progress");
      var text = el.querySelector("[data-text]");
      if (bar) {
        bar.max = total;
        bar.value = done;
      }
      if (text) {
        text.textContent = text.getAttribute("data-text")
          .replace("{done}", done).replace("{total}", total);
      }
    });
  }

  // Whether each item is done: by default, then as saved, then as ticked on this page
  // (which is the saved state, unless storage is unavailable).
  function itemStates(all) {
    var states = {};
    all.done.forEach(function (id) { states[id] = true; });
    var mine = saved();
    Object.keys(mine).forEach(function (id) { states[id] = mine[id]; });
    each(boxes(), function (box) { states[box.getAttribute("data-check")] = box.checked; });
    return states;
  }

  function saved() {
    var out = {};
    if (!store) return out;
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) out[key.slice(prefix.length)] = store.getItem(key) === "1";
    }
    return out;
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input.check[data-check]")) return;
    var id = box.getAttribute("data-check");
    if (store) {
      try {
        store.setItem(prefix + id, box.checked ? "1" : "0");
      } catch (e) { /* full or forbidden: the tick still shows on this page */ }
    }
    each(boxes(), function (other) {
      if (other.getAttribute("data-check") === id) other.checked = box.checked;
    });
    progress();
  });

  // The ids of a split page's items have arrived (see `checklists.html`).
  document.addEventListener("equipe:checklist-ids", progress);

  // Another tab ticked something.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(prefix) === 0) restore();
  });

  function setup() {
    restore();
    each(document.querySelectorAll("[data-checklist-actions]"), function (el) {
      el.hidden = !store;
    });
    each(document.querySelectorAll("[data-checklist-reset]"), function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm(button.getAttribute("data-confirm") || "?")) return;
        Object.keys(saved()).forEach(function (id) {
          store.removeItem(prefix + id);
        });
        restore();
      });
    });
    each(document.querySelectorAll("[data-checklist-export]"), function (button) {
      button.addEventListener("click", function () {
        if (button.getAttribute("data-checklist-export") === "csv") {
          partItems(function (items) {
            download(new Blob([csv(items)], { type: "text/csv" }), "checklists.csv");
          });
        } else {
          var data = { site: site, exported: new Date().toISOString(), items: saved() };
          download(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" }), "checklists.json");
        }
      });
    });
  }

  // A split checklist page's items, [id, text, done by default] for every part, from the
  // parts' scripts (loaded now: <script src> works from file://, fetch does not); null
  // on a page that is not split.
  function partItems(then) {
    var links = document.querySelectorAll("[data-checklist-items]");
    if (!links.length) return then(null);
    var loaded = window.equipeChecklistItems = window.equipeChecklistItems || {};
    var left = links.length;
    function one() {
      if (--left > 0) return;
      var items = [];
      each(links, function (link, i) {
        (loaded[i + 1] || []).forEach(function (item) { items.push(item); });
      });
      then(items);
    }
    each(links, function (link, i) {
      if (loaded[i + 1]) return one();
      var script = document.createElement("script");
      script.src = link.getAttribute("data-checklist-items");
      script.onload = script.onerror = one;
      document.head.appendChild(script);
    });
  }

  // Every item once (of the page, or of every part of a split page), with its text and
  // state, for a spreadsheet.
  function csv(items) {
    var seen = {};
    var rows = [["id", "text", "done"]];
    if (items) {
      var states = itemStates({ done: items.filter(function (item) { return item[2]; })
        .map(function (item) { return item[0]; }) });
      items.forEach(function (item) {
        if (seen[item[0]]) return;
        seen[item[0]] = true;
        rows.push([item[0], item[1], states[item[0]] ? "yes" : "no"]);
      });
    } else {
      each(boxes(), function (box) {
        var id = box.getAttribute("data-check");
        if (seen[id]) return;
        seen[id] = true;
        var label = box.closest("label");
        var text = box.getAttribute("aria-label") || (label ? label.textContent.trim() : "");
        rows.push([id, text, box.checked ? "yes" : "no"]);
      });
    }
    return rows.map(function (row) {
      return row.map(csvCell).join(",");
    }).join("\r\n") + "\r\n";
  }

  // A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a
  // leading ' as OWASP advises: item texts come from content, not from the reader.
  function csvCell(cell) {
    var text = String(cell);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function download(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
  // Back/forward cache: another page may have changed the state meanwhile.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) restore();
  });
})();
