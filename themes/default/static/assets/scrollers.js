// A table or a code block of the text that is wider than the page scrolls sideways on its
// own (the stylesheet's `overflow-x: auto`). Such a region must be reachable by keyboard,
// or a reader without a pointer cannot scroll it (WCAG 2.1.1; axe-core's
// `scrollable-region-focusable`): each one that overflows now is made focusable, and made
// so no more when the window grows to fit it. Pages without tables or code do nothing.
(function () {
  "use strict";
  var regions = document.querySelectorAll(".prose pre, .prose table");
  if (!regions.length) return;

  function update() {
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      var overflows = region.scrollWidth > region.clientWidth + 1;
      if (overflows && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("data-scroller", "");
      } else if (!overflows && region.hasAttribute("data-scroller")) {
        region.removeAttribute("tabindex");
        region.removeAttribute("data-scroller");
      }
    }
  }

  update();
  window.addEventListener("resize", update);
})();
