// Tabs of Adobe Flavored Markdown (`>[!BEGINTABS]`), written as `div.afm-tabs` holding one
// `section.afm-tab` per tab, each with its title as a heading: readable one after the other
// without JavaScript. With it, each group becomes a WAI-ARIA tablist: one button per tab,
// one panel shown, arrow keys, Home and End move between tabs (and show the tab).
// Pages without tabs do nothing.
(function () {
  "use strict";
  var groups = document.querySelectorAll(".afm-tabs");
  if (!groups.length) return;

  function tabsOf(group) {
    var out = [];
    for (var i = 0; i < group.children.length; i++) {
      var panel = group.children[i];
      if (panel.matches("section.afm-tab")) out.push(panel);
    }
    return out;
  }

  function setUp(group) {
    var panels = tabsOf(group);
    if (!panels.length) return;
    var list = document.createElement("div");
    list.className = "afm-tablist";
    list.setAttribute("role", "tablist");
    var tabs = panels.map(function (panel, i) {
      var title = panel.querySelector(".afm-tab-title");
      var base = (title && title.id) || "afm-tab-" + i;
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = base + "-tab";
      tab.className = "afm-tablist-tab";
      tab.setAttribute("role", "tab");
      tab.textContent = title ? title.textContent : String(i + 1);
      if (!panel.id) panel.id = base + "-panel";
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      // The tab says what the heading said; the heading stays for `#links` to it.
      if (title) title.classList.add("afm-tab-title-hidden");
      list.appendChild(tab);
      return tab;
    });

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    }

    list.addEventListener("click", function (e) {
      var i = tabs.indexOf(e.target.closest("[role=tab]"));
      if (i >= 0) select(i, false);
    });
    list.addEventListener("keydown", function (e) {
      var i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      var next = {
        ArrowRight: (i + 1) % tabs.length,
        ArrowLeft: (i - 1 + tabs.length) % tabs.length,
        Home: 0,
        End: tabs.length - 1,
      }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(next, true);
    });

    group.insertBefore(list, group.firstChild);
    group.classList.add("afm-tabs-active");
    // A `#link` into a tab shows that tab, on arrival and when the fragment changes.
    function tabOfHash() {
      var id = location.hash && decodeURIComponent(location.hash.slice(1));
      var target = id && document.getElementById(id);
      return panels.findIndex(function (p) { return target && p.contains(target); });
    }
    var shown = tabOfHash();
    select(shown < 0 ? 0 : shown, false);
    window.addEventListener("hashchange", function () {
      var i = tabOfHash();
      if (i >= 0) select(i, false);
    });
  }

  for (var g = 0; g < groups.length; g++) setUp(groups[g]);
})();
