/* Phone-width layout helpers (no inline script: the Content-Security-Policy allows only our own
   files). 1. The header's menu button collapses the navigation and the user's name on a narrow
   screen. 2. A table outside a .table-scroll box becomes a stack of cards there, each cell
   labelled with its column header (data-label, shown by app.css). */
(function () {
  "use strict";

  function collapsibleHeader() {
    var header = document.querySelector(".topbar");
    var toggle = header && header.querySelector(".nav-toggle");
    if (!toggle) return;
    header.classList.add("nav-collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function labelTableCells() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".table-scroll")) return;
      var headers = table.querySelectorAll("thead th");
      if (!headers.length) return;
      var labels = Array.prototype.map.call(headers, function (th) {
        return th.textContent.trim();
      });
      table.classList.add("stacks");
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function ready() {
    collapsibleHeader();
    labelTableCells();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  // htmx swaps in new tables (dashboard filters, search results).
  document.addEventListener("htmx:afterSettle", labelTableCells);
})();
